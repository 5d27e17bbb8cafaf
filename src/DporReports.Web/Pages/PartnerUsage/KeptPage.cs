using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using DporReports.Web.Partners;
using Microsoft.Net.Http.Headers;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>
/// A whole rendered page kept as bytes (in <see cref="KeptBodies"/>) for the immutable object it was drawn from (the partner's dashboard, made of two kept
/// portfolios) and the exact ask: the same cookies, language, path and query. At 10,000 customers the portfolio page is about
/// 150 KB; Razor buffers a page as characters before encoding it (300 KB per request), and with the copying of what the cache
/// tag helper keeps that held the page at 1/5 to 1/6.5 of its serving floor, where the summary API, whose bytes are kept
/// (<see cref="Partners.KeptJson{T}"/>), was at 1/2.9.
/// </summary>
/// <remarks>
/// Why the cookies are in the key: the page carries the reader's name and the sign-out form's antiforgery token, which is
/// valid only with the antiforgery cookie and session it was made for. The same cookies (hashed) make the kept token valid
/// for exactly the browser session that asked, and for nobody else. New data makes a new dashboard, so a kept page never
/// outlives its figures; the authorization (and the cookie session's renewal) runs on every request as before. A page is
/// kept only when its response sets no cookie: the first visit's page sets the antiforgery cookie, so its token is for the
/// cookies of the next request, not of this one. A kept page says it was generated when it was drawn: its figures are
/// those of that moment, unchanged since (the same dashboard).
/// </remarks>
public static class KeptPage
{
    private const string PendingItem = "dpor.kept-page";

    /// <summary>The ask, by value; the store keys it with its source (the dashboard) by reference.</summary>
    private sealed record Ask(string CookiesHash, string Culture, string Path, string Query);

    /// <summary>What a request that found nothing kept leaves for the filter: what to keep the rendered page under.</summary>
    private sealed record Pending(object Source, Ask Ask);

    /// <summary>
    /// The page kept for this exact ask of <paramref name="source"/>, or null: then the page the request renders is kept, if
    /// its class carries <see cref="KeepsRenderedPageAttribute"/> and the request came with cookies.
    /// </summary>
    public static IActionResult? Find(HttpContext http, object source)
    {
        var cookies = http.Request.Headers.Cookie.ToString();
        if (cookies.Length == 0) return null;
        var ask = new Ask(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(cookies))),
            $"{CultureInfo.CurrentCulture.Name}/{CultureInfo.CurrentUICulture.Name}", http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "");
        if (KeptBodies.Shared.TryGet(source, ask, out var body)) return new KeptResult(body);
        http.Items[PendingItem] = new Pending(source, ask);
        return null;
    }

    /// <summary>Keeps what a page rendered for a request <see cref="Find"/> found nothing kept for.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class KeepsRenderedPageAttribute : Attribute, IAsyncResultFilter
    {
        public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
        {
            var http = context.HttpContext;
            if (http.Items[PendingItem] is not Pending pending || context.Result is not PageResult)
            {
                await next();
                return;
            }
            var body = http.Response.Body;
            using var rendered = new MemoryStream();
            http.Response.Body = rendered;
            try
            {
                await next();
            }
            finally
            {
                http.Response.Body = body;
            }
            if (http.Response.StatusCode == StatusCodes.Status200OK && !http.Response.Headers.ContainsKey(HeaderNames.SetCookie))
            {
                KeptBodies.Shared.Keep(pending.Source, pending.Ask, rendered.ToArray());
            }
            http.Response.ContentLength = rendered.Length;
            rendered.Position = 0;
            await rendered.CopyToAsync(body, http.RequestAborted);
        }
    }

    private sealed class KeptResult(byte[] body) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/html; charset=utf-8";
            // What the antiforgery system sets on every page that carries a token: no cache may store it.
            response.Headers.CacheControl = "no-cache, no-store";
            response.Headers.Pragma = "no-cache";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
        }
    }
}
