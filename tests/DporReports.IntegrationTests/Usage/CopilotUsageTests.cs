using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DporReports.Core.Assignments;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Usage;

/// <summary>
/// Microsoft 365 Copilot, the sixth workload (design.md §3, "Copilot"), pulled through the real job from the sandbox's
/// Copilot user detail (beta's /copilot/reports, the 302 download). Wingtip holds two Copilot subscriptions of one SKU and
/// gets a third here, so the report's users pool over three. Expected licensed users, MAU and each app's MAU are computed
/// here from the sandbox's own file and the definitions (the 28 days ending on the refresh date; every Copilot subscription
/// of the tenant pools; seats split by this test's own largest remainder), never by calling the product's aggregation.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class CopilotUsageTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly Guid Wingtip = SandboxDirectory.WingtipTenantId;
    private const string CopilotCall = "getMicrosoft365CopilotUsageUserDetail(period='D30')?$format=text/csv";
    private const string CopilotRoot = "graph/beta/copilot/reports/";
    private const string TrendCall = "getMicrosoft365CopilotUserCountTrend(period='D30')?$format=text/csv";

    private static readonly (string App, string Column)[] Apps =
    [
        ("Teams", "Microsoft Teams Copilot Last Activity Date"), ("Word", "Word Copilot Last Activity Date"),
        ("Excel", "Excel Copilot Last Activity Date"), ("PowerPoint", "PowerPoint Copilot Last Activity Date"),
        ("Outlook", "Outlook Copilot Last Activity Date"), ("OneNote", "OneNote Copilot Last Activity Date"),
        ("Loop", "Loop Copilot Last Activity Date"), ("CopilotChat", "Copilot Chat Last Activity Date"),
    ];

    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public async Task InitializeAsync()
    {
        await sandbox.ResetGraphAsync();
        sandbox.Server.Graph.AddSubscription(Wingtip, "Microsoft_365_Copilot_EDU", 40);
        sandbox.Server.Graph.Reports.ResetBudget();
        await _app.ConnectOtherTenantAsync("wingtip-admin");
    }

    public async Task DisposeAsync()
    {
        await sandbox.ResetGraphAsync();
        sandbox.Server.Graph.Reports.ResetBudget();
        _app.Dispose();
    }

    [Fact]
    public async Task Pull_PooledCopilotSubscriptions_LicensedMauAndAppMauEqualTheDefinitions()
    {
        await AssignAsync(all: true);
        await PullAsync();

        var rows = await SandboxReports.DownloadAsync(sandbox, Wingtip, CopilotCall, CopilotRoot);
        var users = rows.Skip(1).ToList();
        var refresh = DateOnly.Parse(users[0]["Report Refresh Date"], CultureInfo.InvariantCulture);
        bool InWindow(string value) => DateOnly.TryParse(value, CultureInfo.InvariantCulture, out var d) && d >= refresh.AddDays(-27) && d <= refresh;
        var copilot = Inventory().Where(s => s.ServiceStatus.Any(p => p.ProvisioningStatus != "Disabled" && CopilotPlan().IsMatch(p.ServicePlanName)))
            .ToList();
        var units = copilot.Select(s => s.Status is "Enabled" or "Warning" ? (long)s.TotalLicenses : 0).ToList();
        var licensed = Split(users.Count, units, copilot);
        var mau = Split(users.Count(u => InWindow(u["Last Activity Date"])), units, copilot);
        var appMau = Apps.ToDictionary(a => a.App, a => Split(users.Count(u => InWindow(u[a.Column])), units, copilot));
        bool In90Days(string value) => DateOnly.TryParse(value, CultureInfo.InvariantCulture, out var d) && d >= refresh.AddDays(-89) && d <= refresh;
        var active90 = Split(users.Count(u => In90Days(u["Last Activity Date"])), units, copilot);

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var facts = await db.Set<SubscriptionUsageFact>().AsNoTracking()
            .Where(f => f.TenantId == Wingtip && f.Date == refresh && f.Workload == Workload.Copilot).ToListAsync();
        var appFacts = await db.Set<CopilotAppUsageFact>().AsNoTracking().Where(f => f.TenantId == Wingtip && f.Date == refresh).ToListAsync();

        Assert.Equal(3, copilot.Count);
        Assert.True(users.Count >= 20, $"{users.Count} Copilot users in the report");
        Assert.Contains(users, u => !InWindow(u["Last Activity Date"]));
        Assert.Equal(copilot.Select(s => s.Id).Order(), facts.Select(f => f.SubscriptionId).Order());
        for (var i = 0; i < copilot.Count; i++)
        {
            var fact = facts.Single(f => f.SubscriptionId == copilot[i].Id);
            Assert.Equal((copilot[i].TotalLicenses, licensed[i], mau[i], active90[i]), (fact.Seats, fact.LicensedUsers, fact.ActiveUsers, fact.ActiveUsers90Days));
            foreach (var (app, _) in Apps)
                Assert.Equal(appMau[app][i], appFacts.Single(f => f.SubscriptionId == copilot[i].Id && f.App.ToString() == app).ActiveUsers);
        }
        Assert.Equal(users.Count, facts.Sum(f => f.LicensedUsers));
        Assert.Contains(appFacts, f => f.ActiveUsers > 0);
        Assert.Equal(copilot.Count * Apps.Length, appFacts.Count);
        // The other subscriptions' workloads come from the Office 365 detail alone: no Copilot figures there.
        Assert.False(await db.Set<SubscriptionUsageFact>().AnyAsync(f => f.Workload == Workload.Copilot && !copilot.Select(s => s.Id).Contains(f.SubscriptionId)));
        var run = await db.Set<IngestionRun>().AsNoTracking().SingleAsync(r => r.TenantId == Wingtip && r.Report == UsageReports.CopilotUsageUserDetail);
        Assert.Equal((IngestionOutcome.Succeeded, refresh, (long)users.Count), (run.Outcome, run.RefreshDate!.Value, run.RowsRead));

        // Daily active users: each day's "Any App Active Users" of the trend file, split by the same units; one row per
        // subscription and day, and nothing else under Copilot.
        var trend = (await SandboxReports.DownloadAsync(sandbox, Wingtip, TrendCall, CopilotRoot)).Skip(1).ToList();
        var expectedDaily = trend.SelectMany(r =>
        {
            var day = DateOnly.Parse(r["Report Date"], CultureInfo.InvariantCulture);
            var parts = Split(int.Parse(r["Any App Active Users"], CultureInfo.InvariantCulture), units, copilot);
            return copilot.Select((s, i) => $"{s.Id} {day:yyyy-MM-dd} {parts[i]}");
        }).Order().ToList();
        var daily = (await db.Set<SubscriptionDailyUsageFact>().AsNoTracking().Where(f => f.TenantId == Wingtip && f.Workload == Workload.Copilot).ToListAsync())
            .Select(f => $"{f.SubscriptionId} {f.Date:yyyy-MM-dd} {f.ActiveUsers}").Order().ToList();
        Assert.Equal(30, trend.Count);
        Assert.Contains(trend, r => r["Any App Active Users"] != "0");
        Assert.Equal(expectedDaily, daily);
        var trendRun = await db.Set<IngestionRun>().AsNoTracking().SingleAsync(r => r.TenantId == Wingtip && r.Report == UsageReports.CopilotUserCountTrend);
        Assert.Equal((IngestionOutcome.Succeeded, refresh, (long)trend.Count), (trendRun.Outcome, trendRun.RefreshDate!.Value, trendRun.RowsRead));

        // The customer's own adoption signals (every day visible to it): seats never assigned, inactive for 28 and 90 days.
        using var customer = await _app.ApiClientAsync("wingtip-admin");
        var adoption = await customer.GetFromJsonAsync<JsonElement>("/api/customer/adoption");
        for (var i = 0; i < copilot.Count; i++)
        {
            var signals = CopilotSignals(adoption.GetProperty("subscriptions"), copilot[i].Id);
            Assert.Equal((Math.Max(0, copilot[i].TotalLicenses - licensed[i]), licensed[i] - mau[i], licensed[i] - active90[i]),
                (signals.GetProperty("unassignedSeats").GetInt32(), signals.GetProperty("inactiveUsers28Days").GetInt32(),
                    signals.GetProperty("inactiveUsers90Days").GetInt32()));
        }
    }

    private static JsonElement CopilotSignals(JsonElement subscriptions, Guid subscriptionId) =>
        subscriptions.EnumerateArray().Single(s => s.GetProperty("subscriptionId").GetGuid() == subscriptionId)
            .GetProperty("workloads").EnumerateArray().Single(w => w.GetProperty("workload").GetString() == "Copilot");

    /// <summary>The Copilot report's faults are the others': throttled twice then served; a file cut short refused, nothing written.</summary>
    [Fact]
    public async Task Pull_CopilotReportThrottledThenCutShort_WaitsOutTheThrottlingAndRefusesTheCutFile()
    {
        await AssignAsync(all: true);
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/faults",
            new { tenantId = Wingtip, path = UsageReports.CopilotUsageUserDetail, status = 429, retryAfterSeconds = 1, count = 2 })).EnsureSuccessStatusCode();
        await PullAsync();
        var before = await CopilotFactsAsync();
        Assert.Equal(IngestionOutcome.Succeeded, (await LatestCopilotRunAsync()).Outcome);
        Assert.NotEmpty(before);

        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/reports/download-faults",
            new { tenantId = Wingtip, function = UsageReports.CopilotUsageUserDetail, kind = "truncate", count = 1 })).EnsureSuccessStatusCode();
        sandbox.Server.Graph.Reports.ResetBudget();
        await PullAsync();

        var refused = await LatestCopilotRunAsync();
        Assert.Equal(IngestionOutcome.Refused, refused.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(refused.Error));
        Assert.Equal(before, await CopilotFactsAsync());
    }

    /// <summary>The trend's faults are the others' too: a file cut short, or missing the column read, is refused with nothing written.</summary>
    [Fact]
    public async Task Pull_CopilotTrendCutShortThenMissingAColumn_RefusedWithNothingWritten()
    {
        await AssignAsync(all: true);
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/reports/download-faults",
            new { tenantId = Wingtip, function = UsageReports.CopilotUserCountTrend, kind = "truncate", count = 1 })).EnsureSuccessStatusCode();
        await PullAsync();
        Assert.Equal(IngestionOutcome.Refused, (await LatestTrendRunAsync()).Outcome);
        Assert.Empty(await CopilotDailyFactsAsync());

        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/reports/download-faults",
            new { tenantId = Wingtip, function = UsageReports.CopilotUserCountTrend, kind = "missingColumn", column = "Any App Active Users", count = 1 }))
            .EnsureSuccessStatusCode();
        sandbox.Server.Graph.Reports.ResetBudget();
        await PullAsync();

        var refused = await LatestTrendRunAsync();
        Assert.Equal(IngestionOutcome.Refused, refused.Outcome);
        Assert.Contains("Any App Active Users", refused.Error, StringComparison.Ordinal);
        Assert.Empty(await CopilotDailyFactsAsync());

        // Served whole, it is stored; pulled again, the same days' rows are replaced, not added.
        sandbox.Server.Graph.Reports.ResetBudget();
        await PullAsync();
        var stored = await CopilotDailyFactsAsync();
        sandbox.Server.Graph.Reports.ResetBudget();
        await PullAsync();
        Assert.NotEmpty(stored);
        Assert.Equal(stored, await CopilotDailyFactsAsync());
    }

    private async Task<IngestionRun> LatestTrendRunAsync()
    {
        await using var scope = _app.Scope();
        return await DporWebFactory.Db(scope).Set<IngestionRun>().AsNoTracking()
            .Where(r => r.TenantId == Wingtip && r.Report == UsageReports.CopilotUserCountTrend).OrderByDescending(r => r.Id).FirstAsync();
    }

    private async Task<List<string>> CopilotDailyFactsAsync()
    {
        await using var scope = _app.Scope();
        return [.. (await DporWebFactory.Db(scope).Set<SubscriptionDailyUsageFact>().AsNoTracking().Where(f => f.Workload == Workload.Copilot).ToListAsync())
            .Select(f => $"{f.SubscriptionId} {f.Date} {f.ActiveUsers}").Order()];
    }

    [Fact]
    public async Task Pull_CopilotReportMissingAColumn_IsRefusedNamingIt()
    {
        await AssignAsync(all: true);
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/reports/download-faults",
            new { tenantId = Wingtip, function = UsageReports.CopilotUsageUserDetail, kind = "missingColumn", column = "Copilot Chat Last Activity Date", count = 1 }))
            .EnsureSuccessStatusCode();

        await PullAsync();

        var refused = await LatestCopilotRunAsync();
        Assert.Equal(IngestionOutcome.Refused, refused.Outcome);
        Assert.Contains("Copilot Chat Last Activity Date", refused.Error, StringComparison.Ordinal);
        Assert.Empty(await CopilotFactsAsync());
    }

    /// <summary>
    /// design.md §2 "What a partner may see": Adatum holds one of the three Copilot subscriptions. Its API and customer page
    /// give Copilot figures (and per-app MAU) of that one only, though the others' facts are stored.
    /// </summary>
    [Fact]
    public async Task PartnerView_OneOfThreeCopilotSubscriptions_ShowsCopilotFiguresOfThatOneOnly()
    {
        var copilot = Inventory().Where(s => s.SkuPartNumber == "Microsoft_365_Copilot_EDU").OrderBy(s => s.TotalLicenses).ToList();
        var mine = copilot[^1];
        await AssignFiveDaysAgoAsync(mine.Id);
        await PullAsync();

        using var api = await _app.ApiClientAsync("adatum-admin");
        var usage = await api.GetFromJsonAsync<JsonElement>($"/api/partner/customers/{Wingtip}/usage");
        var withCopilot = usage.GetProperty("customer").GetProperty("subscriptions").EnumerateArray()
            .Where(s => s.GetProperty("workloads").EnumerateArray().Any(w => w.GetProperty("workload").GetString() == "Copilot"))
            .Select(s => s.GetProperty("subscriptionId").GetGuid()).ToList();
        using var browser = await _app.SignInAsync("adatum-admin");
        var page = await browser.GetStringAsync($"/partner/usage/customers/{Wingtip}");

        await using var scope = _app.Scope();
        var stored = await DporWebFactory.Db(scope).Set<SubscriptionUsageFact>().AsNoTracking()
            .Where(f => f.TenantId == Wingtip && f.Workload == Workload.Copilot).Select(f => f.SubscriptionId).Distinct().ToListAsync();
        Assert.Equal(3, stored.Count);
        Assert.Equal([mine.Id], withCopilot);
        var apps = usage.GetProperty("copilotApps").EnumerateArray().ToList();
        Assert.Equal(8, apps.Count);
        Assert.All(apps, a => Assert.Equal(mine.Id, a.GetProperty("subscriptionId").GetGuid()));
        Assert.Contains($"data-subscription=\"{mine.Id}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-copilot-apps", page, StringComparison.Ordinal);
        foreach (var other in copilot.Take(2)) Assert.DoesNotContain(other.Id.ToString(), page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-no-copilot", page, StringComparison.Ordinal);
        // Its Copilot daily active users (from the trend) get a chart beside the other workloads'.
        Assert.Contains("Microsoft 365 Copilot: daily active users", page, StringComparison.Ordinal);

        // Adoption signals: the partner's hold that one Copilot subscription only, with the figures the customer sees for it.
        var partnerSignals = await api.GetFromJsonAsync<JsonElement>("/api/partner/adoption");
        var partnerCopilot = partnerSignals.EnumerateArray().Where(s => s.GetProperty("workloads").EnumerateArray()
            .Any(w => w.GetProperty("workload").GetString() == "Copilot")).Select(s => s.GetProperty("subscriptionId").GetGuid()).ToList();
        Assert.Equal([mine.Id], partnerCopilot);
        using var customer = await _app.ApiClientAsync("wingtip-admin");
        var own = await customer.GetFromJsonAsync<JsonElement>("/api/customer/adoption");
        var seenByPartner = CopilotSignals(partnerSignals, mine.Id);
        var seenByCustomer = CopilotSignals(own.GetProperty("subscriptions"), mine.Id);
        foreach (var field in new[] { "seats", "licensedUsers", "activeUsers", "activeUsers90Days", "unassignedSeats", "inactiveUsers28Days", "inactiveUsers90Days" })
            Assert.Equal(seenByCustomer.GetProperty(field).GetInt32(), seenByPartner.GetProperty(field).GetInt32());
        Assert.Equal(copilot.Count, own.GetProperty("subscriptions").EnumerateArray().Count(s => s.GetProperty("workloads").EnumerateArray()
            .Any(w => w.GetProperty("workload").GetString() == "Copilot")));
    }

    /// <summary>A partner holding none of a customer's Copilot subscriptions is told "no Copilot subscription", never 0 %, in both languages.</summary>
    [Fact]
    public async Task PartnerView_NoCopilotSubscriptionInTheWindows_SaysSoInsteadOfAPercentage()
    {
        var faculty = Inventory().Single(s => s.SkuPartNumber == "STANDARDWOFFPACK_FACULTY");
        await AssignFiveDaysAgoAsync(faculty.Id);
        await PullAsync();

        using var browser = await _app.SignInAsync("adatum-admin");
        var customer = await browser.GetStringAsync($"/partner/usage/customers/{Wingtip}");
        var portfolio = await browser.GetStringAsync("/partner/usage");
        using var spanish = new HttpRequestMessage(HttpMethod.Get, $"/partner/usage/customers/{Wingtip}");
        spanish.Headers.AcceptLanguage.ParseAdd("es");
        var customerEs = await (await browser.SendAsync(spanish)).Content.ReadAsStringAsync();

        Assert.Contains("data-no-copilot", customer, StringComparison.Ordinal);
        Assert.Contains("Microsoft 365 Copilot: no Copilot subscription.", customer, StringComparison.Ordinal);
        Assert.DoesNotContain("data-workload=\"Copilot\"", customer, StringComparison.Ordinal);
        Assert.DoesNotContain("data-copilot-apps", customer, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft 365 Copilot: daily active users", customer, StringComparison.Ordinal);
        var row = Regex.Match(portfolio, $"<tr data-customer=\"{Wingtip}\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("no Copilot subscription", row, StringComparison.Ordinal);
        Assert.Contains("Microsoft 365 Copilot: sin suscripción de Copilot.", System.Net.WebUtility.HtmlDecode(customerEs), StringComparison.Ordinal);
        Assert.Contains("data-workload=\"Exchange\"", customer, StringComparison.Ordinal); // the partner does see the subscription's figures
    }

    private async Task AssignAsync(bool all, params Guid[] subscriptionIds)
    {
        using var admin = await _app.ApiClientAsync("wingtip-admin");
        if (all)
        {
            (await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = DemoData.AdatumMpnId })).EnsureSuccessStatusCode();
        }
        foreach (var id in subscriptionIds)
        {
            (await admin.PutAsJsonAsync($"/api/customer/subscriptions/{id}/partner-of-record", new { partnerId = DemoData.AdatumMpnId })).EnsureSuccessStatusCode();
        }
        await _app.RunJobAsync<VerifyAssignmentJob>(j => j.RunAsync(Wingtip, default));
    }

    /// <summary>
    /// Named and verified now, then its verification moved five days back (as if done then): the report pulled now, whose
    /// refresh date is two days ago, then lies inside the window.
    /// </summary>
    private async Task AssignFiveDaysAgoAsync(Guid subscriptionId)
    {
        await AssignAsync(all: false, subscriptionId);
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var verifiedAt = (await CustomerAssignments.OfTenant(db, Wingtip).SingleAsync(a => a.SubscriptionId == subscriptionId)).VerifiedAt!.Value;
        await CustomerAssignments.OfTenant(db, Wingtip).Where(a => a.SubscriptionId == subscriptionId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.VerifiedAt, verifiedAt.AddDays(-5)));
    }

    private async Task PullAsync()
    {
        try
        {
            await _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(Wingtip, default));
        }
        catch (Core.Graph.GraphRequestException)
        {
            // A report the test broke on purpose fails the job at its end, after the others were stored.
        }
    }

    private IReadOnlyList<SandboxGraphSubscription> Inventory() => sandbox.Server.Graph.Subscriptions(Wingtip);

    private async Task<IngestionRun> LatestCopilotRunAsync()
    {
        await using var scope = _app.Scope();
        return await DporWebFactory.Db(scope).Set<IngestionRun>().AsNoTracking()
            .Where(r => r.TenantId == Wingtip && r.Report == UsageReports.CopilotUsageUserDetail).OrderByDescending(r => r.Id).FirstAsync();
    }

    private async Task<List<string>> CopilotFactsAsync()
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var facts = (await db.Set<SubscriptionUsageFact>().AsNoTracking().Where(f => f.Workload == Workload.Copilot).ToListAsync())
            .Select(f => $"{f.SubscriptionId} {f.Date} {f.Seats} {f.LicensedUsers} {f.ActiveUsers}");
        var apps = (await db.Set<CopilotAppUsageFact>().AsNoTracking().ToListAsync()).Select(f => $"{f.SubscriptionId} {f.App} {f.Date} {f.ActiveUsers}");
        return [.. facts.Concat(apps).Order()];
    }

    /// <summary>Hamilton's method: floors of the exact quotas, the rest one each to the largest remainders (ties: smaller id).</summary>
    private static int[] Split(int total, List<long> weights, List<SandboxGraphSubscription> subscriptions)
    {
        var w = weights.Sum() == 0 ? [.. weights.Select(_ => 1L)] : weights;
        var sum = w.Sum();
        var parts = w.Select(x => (int)(total * x / sum)).ToArray();
        var left = total - parts.Sum();
        foreach (var i in Enumerable.Range(0, parts.Length).OrderByDescending(i => total * w[i] % sum).ThenBy(i => subscriptions[i].Id).Take(left))
            parts[i]++;
        return parts;
    }

    /// <summary>This test's reading of Microsoft's Copilot plans: Copilot in the apps, in Teams, in chat.</summary>
    [GeneratedRegex(@"^M365_COPILOT_(APPS|TEAMS|BUSINESS_CHAT)$", RegexOptions.IgnoreCase)]
    private static partial Regex CopilotPlan();
}
