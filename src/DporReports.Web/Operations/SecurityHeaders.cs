namespace DporReports.Web.Operations;

/// <summary>
/// The browser-side defences, on every response of the host (pages, API, static files, the job dashboard, errors):
/// no script but our own files (no inline script, so injected markup cannot run), no framing by any site (clickjacking
/// of the partner-of-record forms), no MIME sniffing, and no full URL leaked to other sites in the Referer.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// 'self' only: pages load their CSS (and the job dashboard its scripts) from this host. Inline styles are allowed for
    /// the job dashboard's progress bars; inline script is allowed nowhere. form-action is left open because a sign-in or
    /// consent form answers with a redirect to Entra ID, which a 'self' form-action would block.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>First in the pipeline: the headers are written as the response starts, whoever wrote it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string dashboardPath) => app.Use((context, next) =>
    {
        // On starting, not now: the exception handler clears the headers of a failed response before writing its own.
        context.Response.OnStarting(static state =>
        {
            var (http, dashboard) = ((HttpContext, string))state;
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(dashboard) ? DashboardContentSecurityPolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            // The antiforgery system's SAMEORIGIN (sent only with its first token) is replaced: no framing at all.
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return Task.CompletedTask;
        }, (context, dashboardPath));
        return next(context);
    });
}
