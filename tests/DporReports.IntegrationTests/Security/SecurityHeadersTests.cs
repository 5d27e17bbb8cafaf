using System.Net;
using System.Text.RegularExpressions;
using DporReports.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Security;

/// <summary>
/// The attacks: clickjacking (our forms framed invisibly by another site and clicked through), script injection (any
/// markup that slipped through running as script), MIME sniffing (a served file read as HTML) and full URLs leaking to
/// other sites in the Referer. Every response — each page and API route of the host, as an anonymous caller, a signed-in
/// browser and an API client, plus static files, unknown paths and the job dashboard — carries the headers that forbid them,
/// and no page carries inline script the policy would have to allow.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class SecurityHeadersTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task EveryRoute_EveryCaller_CarriesTheSecurityHeaders()
    {
        using var anonymous = _app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using var partnerBrowser = await _app.SignInAsync("adatum-admin");
        using var operatorBrowser = await _app.SignInAsync("operator");
        using var api = await _app.ApiClientAsync("adatum-admin");
        var requests = Routes().ToList();
        requests.AddRange([(HttpMethods.Get, "/css/site.css"), (HttpMethods.Get, "/no/such/page"), (HttpMethods.Get, "/api/no/such/thing")]);
        Assert.True(requests.Count > 40, $"only {requests.Count} routes found");

        var checkedResponses = 0;
        foreach (var (method, path) in requests)
        {
            foreach (var client in new[] { anonymous, partnerBrowser, operatorBrowser, api })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method != HttpMethods.Get) request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                using var response = await client.SendAsync(request);
                var where = $"{method} {path} -> {(int)response.StatusCode}";
                Assert.True((int)response.StatusCode < 500, where);
                AssertHeaders(response, where);
                checkedResponses++;
                if (response.Content.Headers.ContentType?.MediaType == "text/html")
                    AssertNoInlineScript(await response.Content.ReadAsStringAsync(), where);
            }
        }
        Assert.True(checkedResponses >= requests.Count * 4);
    }

    [Fact]
    public async Task JobDashboard_ForOperators_CarriesTheHeadersAndNoInlineScript()
    {
        using var browser = await _app.SignInAsync("operator");

        using var dashboard = await browser.GetAsync("/ops/jobs");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        AssertHeaders(dashboard, "/ops/jobs");
        AssertNoInlineScript(await dashboard.Content.ReadAsStringAsync(), "/ops/jobs");
    }

    [Fact]
    public async Task FailedRequest_ProblemAnswer_StillCarriesTheHeaders()
    {
        using var api = await _app.ApiClientAsync("adatum-admin");

        using var response = await api.PostAsync("/api/partner/reports", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertHeaders(response, "malformed body");
    }

    internal static void AssertHeaders(HttpResponseMessage response, string where)
    {
        var csp = Header(response, "Content-Security-Policy", where);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options", where));
        Assert.Equal("DENY", Header(response, "X-Frame-Options", where));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy", where));
    }

    private static string Header(HttpResponseMessage response, string name, string where)
    {
        var values = response.Headers.TryGetValues(name, out var found) ? found.ToList() : [];
        Assert.True(values.Count == 1, $"{where}: {name} is {(values.Count == 0 ? "missing" : string.Join(" | ", values))}");
        return values[0];
    }

    private static void AssertNoInlineScript(string html, string where)
    {
        Assert.False(InlineScript().IsMatch(html), $"{where}: a <script> without src");
        Assert.False(EventHandler().IsMatch(html), $"{where}: an inline event handler attribute");
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every route the host maps, its parameters filled with plausible values, once per HTTP method.</summary>
    private IEnumerable<(string Method, string Path)> Routes()
    {
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { IsCatchAll: true } => "",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content == "guid") => Guid.NewGuid().ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "1234567",
                _ => "",
            }))));
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get, HttpMethods.Post];
            foreach (var method in methods.Distinct()) yield return (method, path.Replace("//", "/", StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();
}
