using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Usage;

/// <summary>
/// PullTenantUsageJob against the sandbox's usage reports (302 to a download link, CSV with BOM and quoting, refresh date
/// two days back): facts per subscription and workload, idempotent, only for tenants with a verified assignment.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class UsageIngestionTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;

    public Task InitializeAsync() => _app.VerifiedTenantAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Pull_VerifiedTenant_StoresFactsForEveryActiveSubscriptionAndRecordsEachReport()
    {
        await PullAsync();

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var all = await db.Set<IngestionRun>().Where(r => r.TenantId == Contoso).ToListAsync();
        Assert.All(all, r => Assert.Equal(IngestionOutcome.Succeeded, r.Outcome));
        var runs = all.Where(r => r.Report != UsageReports.ActiveUserDetailOfDate).ToList();
        Assert.Equal(UsageIngestion.DailyReports.Order(), runs.Select(r => r.Report).Order());
        // Then the detail of one date per day, newest first, while the report's budget (14 per 10 minutes) lasts.
        var dated = all.Where(r => r.Report == UsageReports.ActiveUserDetailOfDate).Select(r => r.RefreshDate!.Value).ToList();
        // One slot went to the 30-day detail; the backfill leaves the reserve free for the next pull.
        Assert.Equal(ReportRequestBudget.RequestsPerWindow - ReportRequestBudget.ReservedForPulls - 1, dated.Count);
        Assert.Equal(Enumerable.Range(0, dated.Count).Select(i => RefreshDateOf(all).AddDays(-i)), dated);
        var refreshDate = RefreshDateOf(all);
        Assert.Equal(DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(-2), refreshDate);

        var facts = await db.Set<SubscriptionUsageFact>().Where(f => f.TenantId == Contoso).ToListAsync();
        var active = await db.Subscriptions.Where(s => s.TenantId == Contoso).ToListAsync();
        foreach (var subscription in active.Where(s => s.IsActive))
            foreach (var workload in subscription.Workloads)
            {
                var fact = Assert.Single(facts, f => f.SubscriptionId == subscription.Id && f.Workload == workload);
                Assert.Equal(subscription.TotalLicenses, fact.Seats);
                Assert.InRange(fact.ActiveUsers, 0, fact.LicensedUsers);
            }
        Assert.Contains(facts, f => f.ActiveUsers > 0);
        Assert.NotEmpty(await db.Set<TenantDailyUsageFact>().Where(f => f.TenantId == Contoso && f.Metric == "ActiveUsers").ToListAsync());
    }

    /// <summary>
    /// The pooled Office 365 E3 SKU (two subscriptions): their Exchange licensed users and MAU add up exactly to what the
    /// CSV says for that SKU, counted here independently from the same file the job read.
    /// </summary>
    [Fact]
    public async Task Pull_PooledSku_SplitsLicensedAndActiveUsersThatAddUpToTheFile()
    {
        await PullAsync();
        var (licensed, active) = await CountFromCsvAsync("OFFICE 365 E3", "Exchange");

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var e3 = await db.Subscriptions.Where(s => s.TenantId == Contoso && s.SkuPartNumber == "ENTERPRISEPACK").Select(s => s.Id).ToListAsync();
        var facts = await db.Set<SubscriptionUsageFact>().Where(f => e3.Contains(f.SubscriptionId) && f.Workload == Workload.Exchange).ToListAsync();
        Assert.Equal(2, facts.Count);
        Assert.Equal(licensed, facts.Sum(f => f.LicensedUsers));
        Assert.Equal(active, facts.Sum(f => f.ActiveUsers));
    }

    [Fact]
    public async Task Pull_Twice_LeavesTheSameFacts()
    {
        await PullAsync();
        var first = await FactsAsync();

        await PullAsync();

        Assert.Equal(first, await FactsAsync());
    }

    [Fact]
    public async Task Pull_TenantWithoutVerifiedAssignment_PullsNothing()
    {
        await _app.ConnectOtherTenantAsync("fabrikam-admin");

        await _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(SandboxDirectory.FabrikamTenantId, default));

        await using var scope = _app.Scope();
        Assert.False(await DporWebFactory.Db(scope).Set<IngestionRun>().AnyAsync(r => r.TenantId == SandboxDirectory.FabrikamTenantId));
    }

    [Fact]
    public async Task Pull_ConsentRevoked_MarksTheTenantAndStops()
    {
        (await sandbox.Api.DeleteAsync($"_sandbox/tenants/{Contoso}/consent")).EnsureSuccessStatusCode();
        try
        {
            await PullAsync();

            await using var scope = _app.Scope();
            var db = DporWebFactory.Db(scope);
            Assert.Equal(ConsentStatus.ConsentRevoked, (await db.CustomerTenants.SingleAsync(t => t.Id == Contoso)).ConsentStatus);
            Assert.Equal(IngestionOutcome.ConsentRevoked, (await db.Set<IngestionRun>().SingleAsync()).Outcome);
        }
        finally
        {
            (await sandbox.Api.PostAsync($"_sandbox/tenants/{Contoso}/consent", null)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>
    /// design.md §2 "No personal data kept": after ingestion, no user principal name or display name of the tenant's users
    /// (Contoso's are not concealed) appears anywhere in the database (the whole file on SQLite), in any table.
    /// </summary>
    [Fact]
    public async Task Pull_StoresNoUserNamesOrTheirHashesAnywhereInTheDatabase()
    {
        await PullAsync();
        var plain = await DownloadDetailAsync();
        (await sandbox.Api.PutAsJsonAsync($"_sandbox/graph/tenants/{Contoso}/report-settings", new { displayConcealedNames = true })).EnsureSuccessStatusCode();
        await PullAsync();
        var concealed = await DownloadDetailAsync();
        var names = plain.Concat(concealed).Skip(1).SelectMany(r => new[] { r["User Principal Name"], r["Display Name"] })
            .Where(n => n.Length > 3 && n != "User Principal Name" && n != "Display Name").Distinct().ToList();
        Assert.Contains(names, n => n.Length == 32 && n.All(Uri.IsHexDigit));
        Assert.Contains(names, n => n.Contains('@', StringComparison.Ordinal));

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var text = await DatabaseText.AllAsync(db);
        Assert.Contains(Contoso.ToString(), text, StringComparison.OrdinalIgnoreCase); // the scan does read the stored rows
        Assert.DoesNotContain(names, n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FanOut_EnqueuesOnePullPerConnectedTenantWhoseHourItIs()
    {
        await _app.ConnectOtherTenantAsync("fabrikam-admin");
        var hour = TimeProvider.System.GetUtcNow().Hour;
        var expected = new[] { Contoso, SandboxDirectory.FabrikamTenantId }.Count(t => UsageSchedule.HourOf(t) == hour);

        int enqueued = -1;
        await _app.RunJobAsync<FanOutUsagePullJob>(async j => enqueued = await j.RunAsync(default));

        Assert.Equal(expected, enqueued);
        Assert.InRange(Enumerable.Range(0, 2400).Select(_ => UsageSchedule.HourOf(Guid.NewGuid())).GroupBy(h => h).Min(g => g.Count()), 50, 100);
    }

    [Fact]
    public async Task PartnerCustomers_ShowFreshnessOfTheUsage()
    {
        await PullAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        var customers = await adatum.GetFromJsonAsync<JsonElement[]>("/api/partner/customers");

        var freshness = Assert.Single(customers!).GetProperty("freshness");
        Assert.Equal(JsonValueKind.String, freshness.GetProperty("usageAsOf").ValueKind);
    }

    [Fact]
    public async Task IngestionHealth_OperatorSeesOutcomesButNoUsageFigures_OthersAreRefused()
    {
        await PullAsync();
        using var op = await _app.ApiClientAsync("operator");
        using var partner = await _app.ApiClientAsync("adatum-admin");

        var health = await op.GetStringAsync("/api/ops/ingestion/health");
        using var refused = await partner.GetAsync("/api/ops/ingestion/health");

        // The 7 daily reports and the detail of each date the backfill pulled.
        Assert.Contains($"\"Succeeded\":{7 + ReportRequestBudget.RequestsPerWindow - ReportRequestBudget.ReservedForPulls - 1}", health, StringComparison.Ordinal);
        Assert.DoesNotContain("activeUsers", health, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("licensedUsers", health, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task RefreshNow_Operator_QueuesThePull_UnknownTenant404()
    {
        using var op = await _app.ApiClientAsync("operator");

        using var queued = await op.PostAsync($"/api/ops/tenants/{Contoso}/usage/refresh", null);
        using var unknown = await op.PostAsync($"/api/ops/tenants/{Guid.NewGuid()}/usage/refresh", null);

        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>
    /// design.md §3 "Unknown products": each non-deleted user holding a name Microsoft's table does not know counts once per
    /// name, licensed workload or not; operators see the names and counts on /ops/ingestion, never silently dropped.
    /// </summary>
    [Fact]
    public async Task Pull_UnknownProductNames_AreCountedPerUserAndShownToOperators()
    {
        await PullAsync();
        var rows = (await DownloadDetailAsync()).Skip(1).ToList();
        var expected = rows.Where(r => r["Is Deleted"] != "True")
            .Count(r => r["Assigned Products"].Split('+').Any(p => p.Trim().Equals("CONTOSO CUSTOM PRODUCT", StringComparison.OrdinalIgnoreCase)));
        Assert.True(expected > 0, "the sandbox gives some of Contoso's users its custom product");

        await using (var scope = _app.Scope())
        {
            var fact = await DporWebFactory.Db(scope).Set<UnknownProductFact>().SingleAsync(f => f.TenantId == Contoso);
            Assert.Equal(("CONTOSO CUSTOM PRODUCT", expected), (fact.Name, fact.Users));
        }
        using var op = await _app.SignInAsync("operator");
        var page = await op.GetStringAsync("/ops/ingestion");
        var row = System.Text.RegularExpressions.Regex.Match(page, "<tr data-unknown-product=\"CONTOSO CUSTOM PRODUCT\">.*?</tr>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("Contoso Ltd", row, StringComparison.Ordinal);
        Assert.Contains($"<td data-users>{expected}</td>", row, StringComparison.Ordinal);
    }

    private static DateOnly RefreshDateOf(List<IngestionRun> runs) => runs.Single(r => r.Report == UsageReports.ActiveUserDetail).RefreshDate!.Value;

    private Task PullAsync() => _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(Contoso, default));

    private Task<List<(Guid, Core.Subscriptions.Workload, DateOnly, int, int, int)>> FactsAsync() => _app.UsageFactsAsync();

    /// <summary>Counts, straight from the sandbox's CSV, the licensed and 28-day-active users of one product and workload.</summary>
    private async Task<(int Licensed, int Active)> CountFromCsvAsync(string product, string workload)
    {
        var rows = (await DownloadDetailAsync()).Skip(1).ToList();
        int licensed = 0, active = 0;
        foreach (var row in rows)
        {
            if (row["Is Deleted"] == "True" || row[$"Has {workload} License"] != "True") continue;
            var products = row["Assigned Products"].Split('+').Select(p => p.Trim()).ToList();
            if (!products.Contains(product, StringComparer.OrdinalIgnoreCase)) continue;
            licensed++;
            var refresh = DateOnly.Parse(row["Report Refresh Date"], System.Globalization.CultureInfo.InvariantCulture);
            if (DateOnly.TryParse(row[$"{workload} Last Activity Date"], System.Globalization.CultureInfo.InvariantCulture, out var last)
                && last >= refresh.AddDays(-27) && last <= refresh) active++;
        }
        return (licensed, active);
    }

    private async Task<List<Dictionary<string, string>>> DownloadDetailAsync() =>
        await SandboxReports.DownloadAsync(sandbox, Contoso, "getOffice365ActiveUserDetail(period='D30')");
}
