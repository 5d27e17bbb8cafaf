using System.Net;
using System.Text.RegularExpressions;
using DporReports.IntegrationTests.Infrastructure;

namespace DporReports.IntegrationTests.Shell;

/// <summary>
/// The one layout's shell: each person's navigation lists only the places its roles open, marks the current one, and
/// detail pages carry breadcrumbs; the favicon the layout names is served by the app.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class ApplicationShellTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Customer_SeesOnlyCustomerPlaces_CurrentMarked()
    {
        using var contoso = await _app.SignInAsync("contoso-admin", "/customer");

        var html = await contoso.GetStringAsync("/customer");

        Assert.Equal(["/customer", "/customer/history"], NavLinks(html));
        Assert.Equal("/customer", CurrentPlace(html));
        Assert.Contains("class=\"skip\" href=\"#main\"", html, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovedPartnerAdmin_SeesPartnerPlaces_DetailPageHasBreadcrumbs()
    {
        using var adatum = await _app.SignInAsync("adatum-admin", "/partner/usage");

        var portfolio = await adatum.GetStringAsync("/partner/usage");
        using var detail = await adatum.GetAsync($"/partner/usage/customers/{Guid.NewGuid()}");
        var detailHtml = await detail.Content.ReadAsStringAsync();
        var schedules = await adatum.GetStringAsync("/partner/reports/schedules");

        Assert.Equal(["/partner/usage", "/partner/help", "/partner/customers", "/partner/reports", "/partner/reports/schedules", "/partner/alerts",
            "/partner/registration", "/customer", "/customer/history"], NavLinks(portfolio));
        Assert.Equal("/partner/usage", CurrentPlace(portfolio));
        Assert.DoesNotContain("aria-label=\"Breadcrumb\"", portfolio, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.Equal("/partner/usage", CurrentPlace(detailHtml));
        Assert.Contains("aria-label=\"Breadcrumb\"", detailHtml, StringComparison.Ordinal);
        // The longest matching place wins: the schedules list is not marked as "Workbooks".
        Assert.Equal("/partner/reports/schedules", CurrentPlace(schedules));
    }

    [Fact]
    public async Task Operator_SeesOperatorPlacesOnly()
    {
        using var op = await _app.SignInAsync("operator", "/ops/partners");

        var html = await op.GetStringAsync("/ops/partners");

        Assert.Equal(["/ops/partners", "/ops/ingestion", "/ops/jobs"], NavLinks(html));
        Assert.Equal("/ops/partners", CurrentPlace(html));
    }

    [Fact]
    public async Task SignedOut_HasNoNavigation_FaviconIsServed()
    {
        using var anonymous = _app.CreateClient();

        var home = await anonymous.GetStringAsync("/");
        using var icon = await anonymous.GetAsync("/favicon.svg");

        Assert.Empty(NavLinks(home));
        Assert.Contains("rel=\"icon\" href=\"/favicon.svg\"", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }

    private static string[] NavLinks(string html)
    {
        var nav = PlacesNav().Match(html);
        return nav.Success ? [.. Link().Matches(nav.Value).Select(m => m.Groups["href"].Value)] : [];
    }

    private static string? CurrentPlace(string html)
    {
        var nav = PlacesNav().Match(html);
        return nav.Success ? Current().Match(nav.Value) is { Success: true } m ? m.Groups["href"].Value : null : null;
    }

    [GeneratedRegex("<nav class=\"places\".*?</nav>", RegexOptions.Singleline)]
    private static partial Regex PlacesNav();

    [GeneratedRegex("<a href=\"(?<href>[^\"]+)\"")]
    private static partial Regex Link();

    [GeneratedRegex("<a href=\"(?<href>[^\"]+)\" aria-current=\"page\"")]
    private static partial Regex Current();
}
