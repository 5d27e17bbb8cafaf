using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Pages.PartnerUsage;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Reports;

/// <summary>
/// The partner dashboards (server-rendered pages) under design.md §2 "What a partner may see". The attack: a partner
/// reading, in the HTML of its portfolio or customer page, usage of days before its verification (another partner's
/// time) or of another partner's customers, or a customer user opening partner pages. Pre-verification facts carry
/// values that occur nowhere else, so finding one anywhere in the HTML is a leak.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class PartnerDashboardPagesTests(SandboxFixture sandbox) : IAsyncLifetime
{
    // The clock starts at the real time: the browser sign-in's OpenID Connect nonce is checked against the real clock, so
    // the app's clock cannot run weeks behind it. The tests therefore never advance it; "today" is day 0 of the facts.
    private static readonly DateTimeOffset T0 = TimeProvider.System.GetUtcNow();
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private readonly FakeTimeProvider _clock = new(T0);
    private DporWebFactory _app = null!;
    private Guid[] _active = [];

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" }) { Clock = _clock };
        await _app.ConnectedTenantAsync();
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        _active = await admin.ActiveSubscriptionIdsAsync();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Portfolio_ShowsOnlyTheVerifiedWindowsFigures()
    {
        await SeedFactsAsync(_active[0], _active[1]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        await _app.AssignAndVerifyAsync(_active[1], DemoData.LitwareMpnId);
        using var adatum = await _app.SignInAsync("adatum-admin");

        var html = await adatum.GetStringAsync("/partner/usage?period=28d");

        Assert.Contains("data-total=\"customers\">1<", html, StringComparison.Ordinal);
        Assert.Contains("data-total=\"subscriptions\">1<", html, StringComparison.Ordinal);
        Assert.Contains($"Teams, {D(Day0)}: 600", html, StringComparison.Ordinal); // inside the window: 600 + day
        Assert.Contains("<td>100</td>", html, StringComparison.Ordinal); // Exchange MAU of day 0
        // Days before verification (91,000,0xx) and Litware's subscription (77,000,0xx) never reach the page.
        Assert.DoesNotContain("91,000,0", html, StringComparison.Ordinal);
        Assert.DoesNotContain("77,000,0", html, StringComparison.Ordinal);
        Assert.DoesNotContain(D(Day0.AddDays(-1)), html, StringComparison.Ordinal);
        Assert.Matches("<svg[^>]*class=\"chart\" role=\"group\"", html);
        // Charts are drawn on the server; the only scripts are the app's own files (live progress, keyboard-scrollable tables,
        // chart tooltips), no inline script.
        Assert.Equal(["<script src=\"/js/live.js", "<script src=\"/js/tables.js", "<script src=\"/js/chart.js"],
            System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*?(?=\\?v=|>)").Select(m => m.Value));
    }

    [Fact]
    public async Task Portfolio_SearchSortAndPaging_WorkOverAllCustomers()
    {
        await SeedCustomersAsync(30);
        using var adatum = await _app.SignInAsync("adatum-admin");

        var first = await adatum.GetStringAsync("/partner/usage");
        var second = await adatum.GetStringAsync("/partner/usage?page=2");
        var search = await adatum.GetStringAsync("/partner/usage?q=CUSTOMER%201");
        var bySeats = await adatum.GetStringAsync("/partner/usage?sort=seats&dir=desc");
        // A page past the end shows the last one; asked again, its table comes from the cache (kept by the ask) and must say the same.
        var past = await adatum.GetStringAsync("/partner/usage?page=9");
        var pastAgain = await adatum.GetStringAsync("/partner/usage?page=9");

        Assert.Contains("30 customers, page 1 of 2", first, StringComparison.Ordinal);
        Assert.Equal(25, Names(first).Count);
        Assert.Equal(["Dashboard Customer 25", "Dashboard Customer 26", "Dashboard Customer 27", "Dashboard Customer 28", "Dashboard Customer 29"], Names(second));
        foreach (var html in new[] { past, pastAgain })
        {
            Assert.Equal(Names(second), Names(html));
            Assert.Contains("30 customers, page 2 of 2", html, StringComparison.Ordinal);
            Assert.Contains("<span>Page 2 of 2</span>", html, StringComparison.Ordinal);
            Assert.Contains("page=1\" rel=\"prev\"", html, StringComparison.Ordinal);
        }
        Assert.Equal([.. Enumerable.Range(10, 10).Select(i => $"Dashboard Customer {i}")], Names(search));
        Assert.Contains("10 customers match", search, StringComparison.Ordinal);
        Assert.Equal("Dashboard Customer 29", Names(bySeats)[0]);
        Assert.Matches("aria-sort=\"descending\"><a href=\"[^\"]*sort=seats&amp;dir=asc", bySeats);
        Assert.Contains("aria-sort=\"none\"><a href=\"/partner/usage?period=28d&amp;tz=UTC&amp;sort=name&amp;dir=asc", bySeats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portfolio_ChangeColumn_ShowsPointsAgainstAMonthEarlier_AndSorts()
    {
        // Customer i: usage i / (10 + i) now, (29 − i) / (10 + i) a month earlier: the change grows with i.
        await SeedCustomersAsync(30, monthEarlierMau: i => 29 - i);
        using var adatum = await _app.SignInAsync("adatum-admin");

        var down = await adatum.GetStringAsync("/partner/usage?sort=change&dir=desc");
        var up = await adatum.GetStringAsync("/partner/usage?sort=change&dir=asc");

        Assert.Equal("Dashboard Customer 29", Names(down)[0]);
        Assert.Equal("Dashboard Customer 00", Names(up)[0]);
        Assert.Matches("aria-sort=\"descending\"><a href=\"[^\"]*sort=change&amp;dir=asc", down);
        // Customer 29: 74.4 % now (29 / 39), 0 % a month earlier; customer 00: 0 % now, 290 % (29 / 10) a month earlier.
        Assert.Contains("<td data-label=\"Change vs a month earlier\" data-field=\"change\">+74.4 pts</td>", Row(down, "Dashboard Customer 29"), StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Overall usage\" data-field=\"usage\">74.4 %</td>", Row(down, "Dashboard Customer 29"), StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Change vs a month earlier\" data-field=\"change\">−290.0 pts</td>", Row(up, "Dashboard Customer 00"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portfolio_UsageBelowFilter_KeepsOnlyCustomersUnderTheThreshold_ABadValueSaysSo()
    {
        await SeedCustomersAsync(30); // customer i: usage i / (10 + i), under 50 % for i < 10
        using var adatum = await _app.SignInAsync("adatum-admin");

        var below = await adatum.GetStringAsync("/partner/usage?below=50&sort=seats&dir=desc");
        var combined = await adatum.GetStringAsync("/partner/usage?below=50&q=customer%200");
        var bad = await adatum.GetStringAsync("/partner/usage?below=half");

        Assert.Equal([.. Enumerable.Range(0, 10).Reverse().Select(i => $"Dashboard Customer {i:00}")], Names(below));
        Assert.Contains("10 customers match", below, StringComparison.Ordinal);
        Assert.Contains("id=\"below\" name=\"below\" value=\"50\"", below, StringComparison.Ordinal);
        Assert.Contains("below=50", Regex.Match(below, "<a href=\"([^\"]*)\" data-sort=\"name\"").Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(Names(below).Where(n => n.StartsWith("Dashboard Customer 0", StringComparison.Ordinal)).Order(), Names(combined));
        Assert.Contains("“Usage below” takes a percentage", WebUtility.HtmlDecode(bad), StringComparison.Ordinal);
        Assert.Contains("30 customers, page 1 of 2", bad, StringComparison.Ordinal);
    }

    /// <summary>The summary API reads the same portfolio with the same parameters: the same customers in the same order.</summary>
    [Fact]
    public async Task SummaryApi_SameQueryAsThePage_ListsTheSameCustomers()
    {
        await SeedCustomersAsync(30, monthEarlierMau: i => (i * 7) % 30);
        using var page = await _app.SignInAsync("adatum-admin");
        using var api = await _app.ApiClientAsync("adatum-admin");

        foreach (var query in new[] { "sort=change&dir=desc", "below=60&sort=usage", "q=CUSTOMER%201&sort=exchange&dir=desc", "sort=seats&page=2" })
        {
            var html = await page.GetStringAsync($"/partner/usage?{query}");
            var json = JsonDocument.Parse(await api.GetStringAsync($"/api/partner/usage/summary?{query}&pageSize={PortfolioModel.PageSize}")).RootElement;

            Assert.Equal(Names(html), [.. json.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("tenantName").GetString()!)]);
            Assert.Contains($"data-total=\"customers\">{json.GetProperty("customers").GetInt32()}<", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Portfolio_AfterRemoval_NoLongerListsTheCustomer_ThoughTheFiguresWereKept()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        using var adatum = await _app.SignInAsync("adatum-admin");
        var before = await adatum.GetStringAsync("/partner/usage");
        _ = await adatum.GetStringAsync("/partner/usage?sort=seats"); // served from the kept portfolio

        using var admin = await _app.ApiClientAsync("contoso-admin");
        (await admin.RemoveAsync(_active[0])).EnsureSuccessStatusCode();
        var after = await adatum.GetStringAsync("/partner/usage");

        Assert.Contains($"data-customer=\"{Contoso}\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-customer=\"{Contoso}\"", after, StringComparison.Ordinal);
        Assert.Contains("data-total=\"customers\">0<", after, StringComparison.Ordinal);
    }

    /// <summary>
    /// The portfolio trend adds customers whose windows cover the whole period (summed by the database) and customers seen
    /// only part of it (filtered day by day): each customer's days count only inside its own windows.
    /// </summary>
    [Fact]
    public async Task Portfolio_Trend_SumsWhollyAndPartlyVisibleCustomers_EachInsideItsWindows()
    {
        await SeedCustomerAsync("Trend Whole", verified: T0.AddDays(-60), teamsDaily: 1_000);
        await SeedCustomerAsync("Trend Partly", verified: T0.AddDays(-5), teamsDaily: 20);
        using var adatum = await _app.SignInAsync("adatum-admin");

        var html = await adatum.GetStringAsync("/partner/usage");

        Assert.Contains($"Teams, {D(Day0.AddDays(-10))}: 1,000; 7-day average", html, StringComparison.Ordinal); // before the second window
        Assert.Contains($"Teams, {D(Day0.AddDays(-5))}: 1,020; 7-day average", html, StringComparison.Ordinal);
        Assert.Contains($"Teams, {D(Day0)}: 1,020; 7-day average", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// The page's dashboard part (key figures, totals, charts, biggest changes) is drawn once and kept (the cache tag helper):
    /// each language gets its own drawing, new data a new one, and another partner never gets this partner's.
    /// </summary>
    [Fact]
    public async Task Portfolio_KeptDashboardPart_IsRedrawnForNewDataAndEachLanguage_AndNeverSharedWithAnotherPartner()
    {
        await SeedCustomerAsync("Drawn Once", verified: T0.AddDays(-60), teamsDaily: 1_000);
        using var adatum = await _app.SignInAsync("adatum-admin");
        var customersBefore = Customers(await adatum.GetStringAsync("/partner/usage"));
        var english = await adatum.GetStringAsync("/partner/usage?sort=seats");
        var spanish = await SpanishAsync(adatum);

        // New data: Contoso's first subscription (Teams 600 on day 0) joins through the real assignment path.
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        var englishAfter = await adatum.GetStringAsync("/partner/usage");
        var spanishAfter = await SpanishAsync(adatum);
        using var litware = await _app.SignInAsync("litware-admin");
        var litwarePage = await litware.GetStringAsync("/partner/usage");

        Assert.Equal(customersBefore, Customers(english));
        Assert.Contains($"Teams, {D(Day0)}: 1,000; 7-day average", english, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"key-figures\">Key figures</h2>", english, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"key-figures\">Cifras clave</h2>", spanish, StringComparison.Ordinal);
        Assert.Contains("Teams: usuarios activos diarios, todos los clientes", spanish, StringComparison.Ordinal);
        Assert.DoesNotContain("Key figures", spanish, StringComparison.Ordinal);
        Assert.Equal(customersBefore + 1, Customers(englishAfter));
        Assert.Equal(customersBefore + 1, Customers(spanishAfter));
        Assert.Contains($"Teams, {D(Day0)}: 1,600; 7-day average", englishAfter, StringComparison.Ordinal); // 1,000 + 600
        Assert.DoesNotContain("Drawn Once", litwarePage, StringComparison.Ordinal);
        Assert.DoesNotContain($"Teams, {D(Day0)}: 1,", litwarePage, StringComparison.Ordinal);

        static int Customers(string html) => int.Parse(Regex.Match(html, "data-total=\"customers\">([0-9]+)<").Groups[1].Value, CultureInfo.InvariantCulture);

        static async Task<string> SpanishAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/partner/usage");
            request.Headers.AcceptLanguage.Add(new System.Net.Http.Headers.StringWithQualityHeaderValue("es"));
            using var response = await client.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }
    }

    /// <summary>
    /// The whole page is kept as bytes per browser session and ask (KeptPage). Asked again with the same cookies it is the same
    /// page to the byte, headers included; a page drawn again would carry a new antiforgery token. Its sign-out token still
    /// works, another ask is drawn for itself, another reader of the same partner gets a page of their own, and new data a new page.
    /// </summary>
    [Fact]
    public async Task Portfolio_KeptPage_IsOnlyTheSameSessionsAndAsks_AndItsSignOutTokenWorks()
    {
        await SeedCustomerAsync("Kept Whole", verified: T0.AddDays(-60), teamsDaily: 1_000);
        using var admin = await _app.SignInAsync("adatum-admin");
        using var reader = await _app.SignInAsync("adatum-reader");

        var (_, firstVisit) = await GetAsync(admin, "/partner/usage?sort=seats"); // sets the antiforgery cookie: drawn, not kept
        var (drawnHeaders, drawn) = await GetAsync(admin, "/partner/usage?sort=seats");
        var (keptHeaders, kept) = await GetAsync(admin, "/partner/usage?sort=seats");
        var (_, otherAsk) = await GetAsync(admin, "/partner/usage?sort=name");
        _ = await GetAsync(reader, "/partner/usage?sort=seats");
        var (_, readers) = await GetAsync(reader, "/partner/usage?sort=seats");
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        var (_, afterNewData) = await GetAsync(admin, "/partner/usage?sort=seats");

        Assert.NotEqual(firstVisit, drawn);
        Assert.Equal(drawn, kept);
        Assert.Equal(drawnHeaders, keptHeaders);
        Assert.Contains(keptHeaders, h => h.Item1 == "Cache-Control" && h.Item2.Contains("no-store", StringComparison.Ordinal));
        Assert.Contains("Kept Whole", kept, StringComparison.Ordinal);
        Assert.Contains("Adam Admin", kept, StringComparison.Ordinal);
        Assert.NotEqual(BrowserSignIn.HiddenFields(kept)["__RequestVerificationToken"], BrowserSignIn.HiddenFields(otherAsk)["__RequestVerificationToken"]);
        Assert.Contains("Ava Reader", readers, StringComparison.Ordinal);
        Assert.DoesNotContain("Adam Admin", readers, StringComparison.Ordinal);
        Assert.Contains($"data-customer=\"{Contoso}\"", afterNewData, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-customer=\"{Contoso}\"", kept, StringComparison.Ordinal);
        using var signedOut = await admin.PostAsync("/account/signout",
            new FormUrlEncodedContent([new("__RequestVerificationToken", BrowserSignIn.HiddenFields(kept)["__RequestVerificationToken"])]));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        // The headers a page answers with (the date aside), and its body.
        static async Task<(List<(string, string)> Headers, string Html)> GetAsync(HttpClient client, string url)
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var headers = response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date")
                .SelectMany(h => h.Value.Select(v => (h.Key, v))).OrderBy(h => h).ToList();
            return (headers, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>
    /// Figures not ready within the page's wait (here none, on a host that has computed nothing): the page says they are
    /// being prepared, in a live region whose status is busy until the computation it started is done; then the status
    /// changes and the page shows the figures. The computation goes on after the first request has been answered.
    /// </summary>
    [Fact]
    public async Task Portfolio_FiguresNotReadyInTime_PageSaysTheyAreBeingPrepared_AndItsStatusTurnsReady()
    {
        await SeedCustomerAsync("Prepared Later", verified: T0.AddDays(-60), teamsDaily: 1_000);
        using var impatient = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["DemoData:Enabled"] = "true",
            ["Database:Provider"] = _app.Database.Provider,
            ["Database:ConnectionString"] = _app.Database.ConnectionString,
            ["PortfolioCache:WarmAtStart"] = "false",
            ["PortfolioCache:PageWaitSeconds"] = "0",
        }) { Clock = _clock };
        using var adatum = await impatient.SignInAsync("adatum-admin");

        var preparing = await adatum.GetStringAsync("/partner/usage?period=3m");
        var statusLink = WebUtility.HtmlDecode(Regex.Match(preparing, "data-live=\"([^\"]+)\"").Groups[1].Value);
        var preparingState = Regex.Match(preparing, "data-live-state=\"([^\"]+)\"").Groups[1].Value;
        // The computation the page started may be done before the first poll (it is small here): poll until it says so.
        var status = JsonDocument.Parse(await adatum.GetStringAsync(statusLink)).RootElement;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); status.GetProperty("busy").GetBoolean() && waited.Elapsed < TimeSpan.FromSeconds(60);)
        {
            await Task.Delay(100);
            status = JsonDocument.Parse(await adatum.GetStringAsync(statusLink)).RootElement;
        }
        var ready = await adatum.GetStringAsync("/partner/usage?period=3m");

        Assert.Contains("data-preparing", preparing, StringComparison.Ordinal);
        Assert.Contains("data-live-busy", preparing, StringComparison.Ordinal);
        Assert.DoesNotContain("Prepared Later", preparing, StringComparison.Ordinal);
        Assert.Equal("/partner/usage?handler=Status&period=3m&tz=UTC", statusLink);
        Assert.False(status.GetProperty("busy").GetBoolean());
        Assert.NotEqual(preparingState, status.GetProperty("state").GetString());
        Assert.DoesNotContain("data-preparing", ready, StringComparison.Ordinal);
        Assert.DoesNotContain("data-live-busy", ready, StringComparison.Ordinal);
        Assert.Contains($"data-live-state=\"{status.GetProperty("state").GetString()}\"", ready, StringComparison.Ordinal);
        Assert.Contains("Prepared Later", ready, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"key-figures\">Key figures</h2>", ready, StringComparison.Ordinal);
    }

    /// <summary>
    /// The summary API's answer is kept as bytes with the kept portfolio, per query: the same query gets the same body, another
    /// query its own, new data a new one, and another partner never this partner's.
    /// </summary>
    [Fact]
    public async Task SummaryApi_KeptAnswer_IsPerQuery_FollowsNewData_AndIsNeverAnotherPartners()
    {
        await SeedCustomerAsync("Answered Once", verified: T0.AddDays(-60), teamsDaily: 1_000);
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var litware = await _app.ApiClientAsync("litware-admin");

        var first = await adatum.GetStringAsync("/api/partner/usage/summary");
        var again = await adatum.GetStringAsync("/api/partner/usage/summary");
        var searched = JsonDocument.Parse(await adatum.GetStringAsync("/api/partner/usage/summary?q=answered")).RootElement;
        var others = await litware.GetStringAsync("/api/partner/usage/summary");
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        var after = JsonDocument.Parse(await adatum.GetStringAsync("/api/partner/usage/summary")).RootElement;

        var before = JsonDocument.Parse(first).RootElement;
        Assert.Equal(first, again);
        Assert.Equal(["Answered Once"], searched.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("tenantName").GetString()));
        Assert.Equal(1, searched.GetProperty("matches").GetInt32());
        Assert.DoesNotContain("Answered Once", others, StringComparison.Ordinal);
        Assert.Equal(before.GetProperty("customers").GetInt32() + 1, after.GetProperty("customers").GetInt32());
        Assert.Contains(after.GetProperty("items").EnumerateArray(), c => c.GetProperty("tenantId").GetGuid() == Contoso);
    }

    [Fact]
    public async Task Portfolio_BadTimeZone_ShowsAMessageAndFallsBackToUtc()
    {
        using var adatum = await _app.SignInAsync("adatum-admin");

        var bad = await adatum.GetStringAsync("/partner/usage?tz=Mars%2FOlympus");
        var tokyo = await adatum.GetStringAsync("/partner/usage?tz=Asia%2FTokyo");

        Assert.Contains("That time zone is not known", bad, StringComparison.Ordinal);
        Assert.Contains(T0.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC", bad, StringComparison.Ordinal);
        Assert.Contains(T0.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " Asia/Tokyo", tokyo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerPage_OwnCustomer_ShowsSubscriptionsChartsAndWindows()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        using var adatum = await _app.SignInAsync("adatum-admin");

        var html = await adatum.GetStringAsync($"/partner/usage/customers/{Contoso}");

        Assert.Contains($"data-subscription=\"{_active[0]}\"", html, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"MAU\">100</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Until\">current</td>", html, StringComparison.Ordinal);
        Assert.Contains($"Teams, {D(Day0)}: 600", html, StringComparison.Ordinal);
        Assert.DoesNotContain("91,000,0", html, StringComparison.Ordinal);
    }

    /// <summary>Attacker/victim: Adatum opens the page of Litware's customer; it answers 404 exactly like an unknown id.</summary>
    [Fact]
    public async Task CustomerPage_OfAnotherPartnersOrUnknownCustomer_Returns404()
    {
        await SeedFactsAsync(_active[1]);
        await _app.AssignAndVerifyAsync(_active[1], DemoData.LitwareMpnId);
        using var adatum = await _app.SignInAsync("adatum-admin");

        using var victims = await adatum.GetAsync($"/partner/usage/customers/{Contoso}");
        using var unknown = await adatum.GetAsync($"/partner/usage/customers/{Guid.NewGuid()}");
        var victimsHtml = await victims.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, victims.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("data-not-found", victimsHtml, StringComparison.Ordinal);
        Assert.Contains("data-not-found", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Contoso", victimsHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_ForACustomerUser_AreDenied()
    {
        using var customer = await _app.SignInAsync("contoso-admin");

        using var portfolio = await customer.GetAsync("/partner/usage");
        using var page = await customer.GetAsync($"/partner/usage/customers/{Contoso}");

        foreach (var response in new[] { portfolio, page })
        {
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/access-denied", StringComparison.Ordinal)),
                $"answered {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    /// <summary>
    /// Facts from 10 days before T0 to 15 after. Inside a window: Exchange MAU 100 + day, Teams daily active users 600 + day (of the
    /// first subscription). Before T0 every value is 91,000,0xx, and the second subscription's are 77,000,0xx: numbers that occur nowhere else.
    /// </summary>
    private async Task SeedFactsAsync(params Guid[] subscriptions)
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        for (var offset = -10; offset <= 15; offset++)
        {
            var day = Day0.AddDays(offset);
            for (var i = 0; i < subscriptions.Length; i++)
            {
                var active = i > 0 ? 77_000_010 + offset : offset < 0 ? 91_000_010 + offset : 100 + offset;
                db.Add(SubscriptionUsageFact.Of(Contoso, day, new SubscriptionWorkloadUsage(subscriptions[i], Workload.Exchange, 250, 200, active)));
                var daily = i > 0 ? 77_000_010 + offset : offset < 0 ? 91_000_010 + offset : 600 + offset;
                db.Add(SubscriptionDailyUsageFact.Of(Contoso, day, new SubscriptionWorkloadUsage(subscriptions[i], Workload.Teams, 250, 0, daily)));
            }
        }
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Customers "Dashboard Customer 00".."NN", each with one subscription verified to Adatum; customer i has 10 + i seats
    /// and Exchange MAU i yesterday. With <paramref name="monthEarlierMau"/>, verified two months ago and with a fact on the
    /// same day a month earlier too.
    /// </summary>
    private async Task SeedCustomersAsync(int count, Func<int, int>? monthEarlierMau = null)
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var adatum = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId);
        var actor = new Actor(Guid.NewGuid(), Guid.NewGuid(), "Seeder");
        for (var i = 0; i < count; i++)
        {
            var tenant = CustomerTenant.Create(Guid.NewGuid(), string.Create(CultureInfo.InvariantCulture, $"Dashboard Customer {i:00}"));
            var subscription = Subscription.Discover(Guid.NewGuid(), tenant.Id, T0.AddDays(-30));
            var verified = T0.AddDays(monthEarlierMau is null ? -20 : -60);
            var assignment = Assignment.Start(tenant.Id, subscription.Id, adatum.Id, DemoData.AdatumMpnId, actor, qualified: true, verified);
            assignment.Verify(verified);
            db.AddRange(tenant, subscription, assignment);
            db.Add(SubscriptionUsageFact.Of(tenant.Id, Day0.AddDays(-1), new SubscriptionWorkloadUsage(subscription.Id, Workload.Exchange, 10 + i, 10 + i, i)));
            if (monthEarlierMau is not null)
                db.Add(SubscriptionUsageFact.Of(tenant.Id, Day0.AddMonths(-1),
                    new SubscriptionWorkloadUsage(subscription.Id, Workload.Exchange, 10 + i, 10 + i, monthEarlierMau(i))));
        }
        await db.SaveChangesAsync();
    }

    /// <summary>A customer with one subscription verified to Adatum at <paramref name="verified"/> and Teams daily active users every day of the last 40.</summary>
    private async Task SeedCustomerAsync(string name, DateTimeOffset verified, int teamsDaily)
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var adatum = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId);
        var tenant = CustomerTenant.Create(Guid.NewGuid(), name);
        var subscription = Subscription.Discover(Guid.NewGuid(), tenant.Id, T0.AddDays(-90));
        var assignment = Assignment.Start(tenant.Id, subscription.Id, adatum.Id, DemoData.AdatumMpnId, new Actor(Guid.NewGuid(), Guid.NewGuid(), "Seeder"),
            qualified: true, verified);
        assignment.Verify(verified);
        db.AddRange(tenant, subscription, assignment);
        for (var offset = -40; offset <= 0; offset++)
            db.Add(SubscriptionDailyUsageFact.Of(tenant.Id, Day0.AddDays(offset), new SubscriptionWorkloadUsage(subscription.Id, Workload.Teams, 0, 0, teamsDaily)));
        await db.SaveChangesAsync();
    }

    private static string D(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The table row of the named customer, HTML-decoded (Razor writes "−" as a character reference).</summary>
    private static string Row(string html, string name) => WebUtility.HtmlDecode(
        Regex.Match(html, $"<tr data-customer=\"[^\"]+\">(?:(?!</tr>).)*>{Regex.Escape(name)}</a>(?:(?!</tr>).)*</tr>", RegexOptions.Singleline).Value);

    /// <summary>The customers table's names, in order (the "biggest changes" lists link to customers too).</summary>
    private static List<string> Names(string html) =>
        [.. CustomerLink().Matches(Regex.Match(html, "<table[^>]*data-customers>.*?</table>", RegexOptions.Singleline).Value)
            .Select(m => WebUtility.HtmlDecode(m.Groups["name"].Value))];

    [GeneratedRegex("<a href=\"/partner/usage/customers/[0-9a-f-]+\\?[^\"]*\">(?<name>[^<]+)</a>")]
    private static partial Regex CustomerLink();
}
