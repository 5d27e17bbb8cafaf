using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Adoption;

/// <summary>
/// Adoption signals and "where to help" (reports/README.md) through the real pipeline: the partner's API, page and workbook
/// and the customer's own API and page, against figures worked out here from the facts seeded and the definitions.
/// Contoso holds three subscriptions: Adatum is the verified partner of record of "Signals E3" (for 70 days) and "Signals
/// E1" (for 20 days, so its month-earlier figures and older daily figures lie outside Adatum's window and, with values
/// that would change every figure, must not count), and Litware of "Signals Business" (200 seats at 5 % usage: the top
/// item of any list it reached). E3's daily means thus come from the database's sums over a window showing the whole
/// 56 days, E1's from its rows filtered by a window that cuts them, in the same tenant and request. The attack the isolation test covers: a signal or item revealing another partner's
/// subscription in the same tenant, or a day outside the partner's window.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class AdoptionSignalsTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = TimeProvider.System.GetUtcNow();
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;

    /// <summary>Every subscription's usage day: two days back, as Graph's reports lag.</summary>
    private static readonly DateOnly Usage = Day0.AddDays(-2);

    private readonly Guid _e3 = Guid.NewGuid(), _e1 = Guid.NewGuid(), _litwares = Guid.NewGuid();
    private readonly Dictionary<(Guid, Workload), List<(DateOnly Day, int Users)>> _daily = [];
    private DporWebFactory _app = null!;

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        // Contoso is created here, not connected: no pull runs for it, so the seeded facts stay exactly as written.
        if (!await db.CustomerTenants.AnyAsync(t => t.Id == Contoso)) db.Add(CustomerTenant.Create(Contoso, "Contoso Ltd"));
        var adatum = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId);
        var litware = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.LitwareTenantId);
        Seed(db, _e3, "ENTERPRISEPACK", 100, renewsInDays: 30, adatum.Id, DemoData.AdatumMpnId, verifiedDaysAgo: 70);
        Seed(db, _e1, "STANDARDPACK", 40, renewsInDays: 200, adatum.Id, DemoData.AdatumMpnId, verifiedDaysAgo: 20);
        Seed(db, _litwares, "O365_BUSINESS_PREMIUM", 200, renewsInDays: 10, litware.Id, DemoData.LitwareMpnId, verifiedDaysAgo: 70);

        // E3: Exchange 100 seats, 90 licensed, MAU 30, 60 active in 90 days; Teams 80 licensed, MAU 45, 70 in 90 days.
        Monthly(db, _e3, Usage, (Workload.Exchange, 100, 90, 30, 60), (Workload.Teams, 100, 80, 45, 70));
        Monthly(db, _e3, Usage.AddDays(-7), (Workload.Exchange, 100, 90, 35, 60), (Workload.Teams, 100, 80, 52, 70));
        // A month earlier the pull failed on the exact day: the figure is the latest day before it, within 6 days.
        Monthly(db, _e3, Usage.AddMonths(-1).AddDays(-3), (Workload.Exchange, 100, 90, 45, 60), (Workload.Teams, 100, 80, 80, 70));
        Monthly(db, _e3, Usage.AddMonths(-1).AddDays(-8), (Workload.Exchange, 100, 90, 1, 1), (Workload.Teams, 100, 80, 1, 1)); // too old
        // E1: 40 seats, 30 licensed and active. Its month-earlier figure lies before Adatum's window (verified 20 days ago).
        Monthly(db, _e1, Usage, (Workload.Exchange, 40, 30, 30, 30));
        Monthly(db, _e1, Usage.AddMonths(-1), (Workload.Exchange, 40, 30, 1_000, 1_000));
        Monthly(db, _litwares, Usage, (Workload.Exchange, 200, 200, 10, 10));
        // Daily active users: E3's Teams every day but every fifth; E1's Exchange over 60 days, huge before Adatum's window.
        Daily(db, _e3, Workload.Teams, Enumerable.Range(0, 60).Where(d => d % 5 != 2).Select(d => (Usage.AddDays(-d), 20 + (d % 9))));
        Daily(db, _e1, Workload.Exchange, Enumerable.Range(0, 60).Select(d => (Usage.AddDays(-d), d <= 18 ? 10 + (d % 4) : 50_000)));
        // E3's window shows its whole 56-day span, so the database sums it; a day after its usage day must not count there.
        db.Add(SubscriptionDailyUsageFact.Of(Contoso, Usage.AddDays(1), new SubscriptionWorkloadUsage(_e3, Workload.Teams, 0, 0, 50_000)));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PartnerAdoption_EverySignal_EqualsTheDefinitions_InsideTheWindowsOnly()
    {
        using var api = await _app.ApiClientAsync("adatum-admin");

        var signals = (await api.GetFromJsonAsync<JsonElement>("/api/partner/adoption")).EnumerateArray().ToList();

        var ours = signals.Where(s => s.GetProperty("tenantId").GetGuid() == Contoso).ToList();
        Assert.Equal(new[] { _e1, _e3 }.Order(), ours.Select(s => s.GetProperty("subscriptionId").GetGuid()).Order());
        Assert.DoesNotContain(signals, s => s.GetProperty("subscriptionId").GetGuid() == _litwares);

        var e3 = ours.Single(s => s.GetProperty("subscriptionId").GetGuid() == _e3);
        Assert.Equal((Usage, 30, 10), (DateOnly.Parse(e3.GetProperty("asOf").GetString()!, CultureInfo.InvariantCulture),
            e3.GetProperty("daysToRenewal").GetInt32(), e3.GetProperty("unassignedSeats").GetInt32())); // 100 − 90 (most licensed)
        var exchange = WorkloadOf(e3, "Exchange");
        AssertSignals(exchange, unassigned: 100 - 90, inactive28: 90 - 30, inactive90: 90 - 60,
            mauWeek: Rate(30, 35), mauMonth: Rate(30, 45), dauWeek: null, dauMonth: null);
        var teams = WorkloadOf(e3, "Teams");
        AssertSignals(teams, unassigned: 100 - 80, inactive28: 80 - 45, inactive90: 80 - 70, mauWeek: Rate(45, 52), mauMonth: Rate(45, 80),
            dauWeek: Rate(Mean(_e3, Workload.Teams, 0, 6), Mean(_e3, Workload.Teams, 7, 13)),
            dauMonth: Rate(Mean(_e3, Workload.Teams, 0, 27), Mean(_e3, Workload.Teams, 28, 55)));

        // E1's window began 20 days ago: no month-earlier MAU, and only its visible days in the daily means (the 28 days
        // before the month reach outside the window entirely, so month over month is empty, never a comparison with 50,000).
        var e1 = WorkloadOf(ours.Single(s => s.GetProperty("subscriptionId").GetGuid() == _e1), "Exchange");
        var visibleFrom = Day0.AddDays(-20);
        AssertSignals(e1, unassigned: 10, inactive28: 0, inactive90: 0, mauWeek: null, mauMonth: null,
            dauWeek: Rate(Mean(_e1, Workload.Exchange, 0, 6, visibleFrom), Mean(_e1, Workload.Exchange, 7, 13, visibleFrom)), dauMonth: null);
    }

    [Fact]
    public async Task WhereToHelp_RankedByTheRule_SameOnApiPageAndWorkbook_WithoutAnotherPartnersSubscription()
    {
        using var api = await _app.ApiClientAsync("adatum-admin");
        using var browser = await _app.SignInAsync("adatum-admin", "/partner/help");

        var help = await api.GetFromJsonAsync<JsonElement>("/api/partner/help");
        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/partner/help"));

        // Worked out from reports/README.md "Where to help" and the seeded figures:
        // E3 renews in 30 days at 45 % overall usage (Teams 45/100; below 50 %): 55 idle seats, doubled → score 110.
        // E3's Teams MAU fell 80 → 45 (−43.75 %, steeper than Exchange's 45 → 30): 35 users lost.
        // E3: 10 of 100 seats never assigned (10 %); Teams has the fewest inactive for 90 days: 80 − 70 = 10 (12.5 %).
        // E1: 40 − 30 = 10 seats never assigned (25 %). E3 (100 seats) before E1 (40); within E3 by the reasons' order.
        // E3's 45 % is not below low usage's 40 %; E1 has 30 of 40 seats active.
        (Guid, string, int)[] expected =
        [
            (_e3, "RenewalNear", 55), (_e3, "FallingUsage", 35), (_e3, "UnassignedSeats", 10), (_e3, "InactiveUsers", 10), (_e1, "UnassignedSeats", 10),
        ];
        var items = help.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("tenantId").GetGuid() == Contoso).ToList();
        Assert.Equal(expected, items.Select(i => (i.GetProperty("subscriptionId").GetGuid(), i.GetProperty("reason").GetString()!,
            i.GetProperty("seatsAtStake").GetInt32())));
        Assert.Equal(110, items[0].GetProperty("score").GetInt32());
        Assert.Equal(Rate(45, 80), items[1].GetProperty("figure").GetDecimal());
        Assert.Equal("Teams", items[1].GetProperty("workload").GetString());
        Assert.DoesNotContain(help.GetProperty("items").EnumerateArray(), i => i.GetProperty("subscriptionId").GetGuid() == _litwares);
        // The ranks are the list's order, and the page lists the same items in the same order.
        var all = help.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, all.Count), all.Select(i => i.GetProperty("rank").GetInt32()));
        // Only Contoso's items are compared across the three: the demo customers' pulls may land between the requests.
        string[] contoso = [_e3.ToString(), _e1.ToString()];
        Assert.Equal(items.Select(i => $"{i.GetProperty("subscriptionId").GetGuid()}:{i.GetProperty("reason").GetString()}"),
            PageItems().Matches(html).Select(m => m.Groups["item"].Value).Where(item => contoso.Contains(item[..36])));
        Assert.Contains("Renews in 30 days with 45.0 % usage", html, StringComparison.Ordinal);
        Assert.DoesNotContain(_litwares.ToString(), html, StringComparison.Ordinal);

        // The workbook: the same items in the same order, with the figures of the list.
        var file = await RequestAndRunAsync(api);
        using var workbook = new XLWorkbook(new MemoryStream(await api.GetByteArrayAsync($"/api/partner/reports/files/{file}")));
        var sheet = workbook.Worksheet("Where to help");
        var headers = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList();
        int Col(string header) => headers.IndexOf(header) + 1;
        var allRows = sheet.RowsUsed().Skip(1).ToList();
        Assert.Equal(Enumerable.Range(1, allRows.Count), allRows.Select(r => (int)r.Cell(Col("Rank")).GetDouble()));
        var rows = allRows.Where(r => r.Cell(Col("Tenant ID")).GetString() == Contoso.ToString()).ToList();
        Assert.Equal(items.Select(i => i.GetProperty("subscriptionId").GetGuid().ToString()), rows.Select(r => r.Cell(Col("Subscription ID")).GetString()));
        Assert.Equal(items.Select(i => i.GetProperty("seatsAtStake").GetInt32()), rows.Select(r => (int)r.Cell(Col("Seats or users at stake")).GetDouble()));
        var renewal = rows.First(r => r.Cell(Col("Subscription ID")).GetString() == _e3.ToString());
        Assert.Equal(("Renewal near, low use", 30), (renewal.Cell(Col("Reason")).GetString(), (int)renewal.Cell(Col("Days to renewal")).GetDouble()));
    }

    [Fact]
    public async Task CustomerAdoption_OwnTenant_SeesEverySubscriptionWithEveryDay_AndThePartnersFiguresForItsOwn()
    {
        using var customer = await _app.ApiClientAsync("contoso-reader");
        using var partner = await _app.ApiClientAsync("adatum-admin");

        var own = await customer.GetFromJsonAsync<JsonElement>("/api/customer/adoption");
        var partners = (await partner.GetFromJsonAsync<JsonElement>("/api/partner/adoption")).EnumerateArray().ToList();

        var subscriptions = own.GetProperty("subscriptions").EnumerateArray().ToList();
        Assert.All(new[] { _e3, _e1, _litwares }, id => Assert.Contains(subscriptions, s => s.GetProperty("subscriptionId").GetGuid() == id));
        // E3's whole history lies inside Adatum's window: the customer and the partner see the same signals.
        Assert.Equal(WorkloadOf(partners.Single(s => s.GetProperty("subscriptionId").GetGuid() == _e3), "Teams").GetRawText(),
            WorkloadOf(subscriptions.Single(s => s.GetProperty("subscriptionId").GetGuid() == _e3), "Teams").GetRawText());
        // E1's days before Adatum's window are the customer's own: its month-earlier MAU of 1,000 counts for the customer.
        var e1 = WorkloadOf(subscriptions.Single(s => s.GetProperty("subscriptionId").GetGuid() == _e1), "Exchange");
        Assert.Equal(Rate(30, 1_000), e1.GetProperty("mauChangeMonth").GetDecimal());
        // And so do its daily figures of 50,000: every day of the customer's own history is visible, month over month too.
        Assert.Equal(Rate(Mean(_e1, Workload.Exchange, 0, 6), Mean(_e1, Workload.Exchange, 7, 13)), Decimal(e1, "dailyActiveUsersChangeWeek"));
        Assert.Equal(Rate(Mean(_e1, Workload.Exchange, 0, 27), Mean(_e1, Workload.Exchange, 28, 55)), Decimal(e1, "dailyActiveUsersChangeMonth"));
        // So the customer's list starts with E1's fall from 1,000 to 30 (970 users lost), then Litware's subscription, the
        // customer's too: renewing in 10 days at 10 of 200 seats (190 idle seats, doubled: 380).
        var top = own.GetProperty("help").EnumerateArray().Take(2)
            .Select(i => (i.GetProperty("subscriptionId").GetGuid(), i.GetProperty("reason").GetString(), i.GetProperty("seatsAtStake").GetInt32()));
        Assert.Equal([(_e1, "FallingUsage", 1_000 - 30), (_litwares, "RenewalNear", 200 - 10)], top);
    }

    /// <summary>
    /// Usage of a tenant is for its own Global Administrators, Global Readers and Reports Readers. The attack: a partner's GDAP
    /// technician (who carries admin role ids in a token for the customer tenant) reading every subscription's usage through
    /// the customer's page, past the verified windows; a guest or plain member reading it at all.
    /// </summary>
    [Theory]
    [InlineData("contoso-user")]
    [InlineData("contoso-guest-admin")]
    [InlineData("contoso-gdap-adatum")]
    public async Task CustomerAdoption_NotAnOwnUsageReader_IsRefusedWithTheReason_AndThePageShowsNoFigures(string persona)
    {
        using var api = await _app.ApiClientAsync(persona);
        using var browser = await _app.SignInAsync(persona, "/customer");

        using var response = await api.GetAsync("/api/customer/adoption");
        var page = await browser.GetStringAsync("/customer");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Usage is shown to the tenant", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("data-adoption", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerPage_Admin_SeesTheSignals_InSpanish()
    {
        using var browser = await _app.SignInAsync("contoso-admin", "/customer");
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/customer"));

        Assert.Contains("data-adoption", page, StringComparison.Ordinal);
        Assert.Contains($"data-signals=\"{_litwares}\"", page, StringComparison.Ordinal);
        Assert.Contains("Renovación cercana con poco uso", page, StringComparison.Ordinal);
        Assert.Contains("Con licencia, inactivos 90 días", page, StringComparison.Ordinal);
    }

    private static void AssertSignals(JsonElement w, int unassigned, int inactive28, int inactive90, decimal? mauWeek, decimal? mauMonth,
        decimal? dauWeek, decimal? dauMonth)
    {
        Assert.Equal((unassigned, inactive28, inactive90), (w.GetProperty("unassignedSeats").GetInt32(), w.GetProperty("inactiveUsers28Days").GetInt32(),
            w.GetProperty("inactiveUsers90Days").GetInt32()));
        Assert.Equal(mauWeek, Decimal(w, "mauChangeWeek"));
        Assert.Equal(mauMonth, Decimal(w, "mauChangeMonth"));
        Assert.Equal(dauWeek, Decimal(w, "dailyActiveUsersChangeWeek"));
        Assert.Equal(dauMonth, Decimal(w, "dailyActiveUsersChangeMonth"));
    }

    private static decimal? Decimal(JsonElement w, string name) =>
        w.GetProperty(name).ValueKind == JsonValueKind.Null ? null : w.GetProperty(name).GetDecimal();

    private static JsonElement WorkloadOf(JsonElement subscription, string workload) =>
        subscription.GetProperty("workloads").EnumerateArray().Single(w => w.GetProperty("workload").GetString() == workload);

    /// <summary>(now − before) / before to four places; null without both or when before is 0.</summary>
    private static decimal? Rate(decimal? now, decimal? before) => now is { } n && before is { } b && b != 0 ? Math.Round((n - b) / b, 4) : null;

    /// <summary>The mean of the seeded daily figures from <paramref name="fromBack"/> to <paramref name="toBack"/> days before the usage day, only days on or after <paramref name="visibleFrom"/>, to two places.</summary>
    private decimal? Mean(Guid subscription, Workload workload, int toBack, int fromBack, DateOnly? visibleFrom = null)
    {
        var days = _daily[(subscription, workload)]
            .Where(d => d.Day >= Usage.AddDays(-fromBack) && d.Day <= Usage.AddDays(-toBack) && (visibleFrom is null || d.Day >= visibleFrom)).ToList();
        return days.Count == 0 ? null : Math.Round((decimal)days.Sum(d => d.Users) / days.Count, 2);
    }

    private static void Seed(Core.Data.DporDbContext db, Guid id, string sku, int seats, int renewsInDays, Guid partnerId, string mpnId, int verifiedDaysAgo)
    {
        var subscription = Subscription.Discover(id, Contoso, T0.AddDays(-200));
        subscription.Refresh($"{id:N}"[..12], Guid.NewGuid(), sku, SubscriptionStatus.Enabled, seats, isTrial: false, T0.AddDays(-200), [],
            0, ProductCatalog.Microsoft, T0.AddDays(renewsInDays));
        var verified = T0.AddDays(-verifiedDaysAgo);
        var assignment = Assignment.Start(Contoso, id, partnerId, mpnId, new Actor(Guid.NewGuid(), Guid.NewGuid(), "Seeder"), qualified: true, verified);
        assignment.Verify(verified);
        db.AddRange(subscription, assignment);
    }

    private static void Monthly(Core.Data.DporDbContext db, Guid subscription, DateOnly day,
        params (Workload Workload, int Seats, int Licensed, int Mau, int Active90)[] workloads)
    {
        foreach (var (workload, seats, licensed, mau, active90) in workloads)
            db.Add(SubscriptionUsageFact.Of(Contoso, day, new SubscriptionWorkloadUsage(subscription, workload, seats, licensed, mau, active90)));
    }

    private void Daily(Core.Data.DporDbContext db, Guid subscription, Workload workload, IEnumerable<(DateOnly Day, int Users)> days)
    {
        var list = days.ToList();
        _daily[(subscription, workload)] = list;
        foreach (var (day, users) in list)
            db.Add(SubscriptionDailyUsageFact.Of(Contoso, day, new SubscriptionWorkloadUsage(subscription, workload, 0, 0, users)));
    }

    private async Task<Guid> RequestAndRunAsync(HttpClient partner)
    {
        using var requested = await partner.PostAsJsonAsync("/api/partner/reports",
            new { reportId = "where-to-help", from = Day0.AddDays(-27).ToString("yyyy-MM-dd"), to = Day0.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var id = JsonDocument.Parse(await requested.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        await using var scope = _app.Scope();
        var partnerId = DporWebFactory.Db(scope).Partners.Single(p => p.TenantId == SandboxDirectory.AdatumTenantId).Id;
        await _app.RunJobAsync<GenerateReportJob>(j => j.RunAsync(partnerId, id, default));
        return id;
    }

    [GeneratedRegex("<tr data-item=\"(?<item>[0-9a-f-]{36}:[A-Za-z]+)\"")]
    private static partial Regex PageItems();
}
