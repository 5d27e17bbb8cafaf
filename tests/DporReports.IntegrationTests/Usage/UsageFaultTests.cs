using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Graph;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Usage;

/// <summary>
/// design.md §5 and §3: a cut-short, re-shaped or HTML file is refused with a readable, recorded reason and writes nothing
/// (the previous facts stay); throttling is waited out; our own budget keeps us under Graph's 14 requests per 10 minutes.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class UsageFaultTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;

    public Task InitializeAsync() => _app.VerifiedTenantAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("truncate", "")]
    [InlineData("missingColumn", "Teams Last Activity Date")]
    [InlineData("renameHeader", "Teams Last Activity Date")]
    [InlineData("htmlError", "HTML")]
    public async Task Pull_UnusableDetailFile_IsRefusedWithAReasonAndThePreviousFactsStay(string fault, string reasonMentions)
    {
        await PullAsync();
        var before = await FactsAsync();
        await DownloadFaultAsync(fault);

        await PullAsync();

        var refused = await LatestRunAsync(UsageReports.ActiveUserDetail);
        Assert.Equal(IngestionOutcome.Refused, refused.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(refused.Error));
        Assert.Contains(reasonMentions, refused.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await FactsAsync());
    }

    /// <summary>
    /// design.md §5: a download whose connection ends early — the Content-Length promised, fewer bytes sent, or the
    /// connection reset — used to escape the job (the run stayed "running", the other reports were skipped, the retry
    /// relabelled it "interrupted"). It is asked for again within the pull, paid from the report budget, and the pull
    /// completes with the facts of a clean file.
    /// </summary>
    [Theory]
    [InlineData("cutConnection")]
    [InlineData("reset")]
    public async Task Pull_DownloadCutOnce_IsAskedForAgainWithinThePull(string fault)
    {
        await PullAsync();
        var before = await FactsAsync();
        await DownloadFaultAsync(fault);

        await PullAsync();

        Assert.Equal(IngestionOutcome.Succeeded, (await LatestRunAsync(UsageReports.ActiveUserDetail)).Outcome);
        Assert.Equal(before, await FactsAsync());
        var log = await sandbox.Api.GetFromJsonAsync<JsonElement[]>("_sandbox/graph/requests");
        Assert.Contains(log!, r => r.TryGetProperty("fault", out var kind) && kind.GetString() == fault);
    }

    /// <summary>
    /// Cut on every attempt: a recorded failure of that report alone — with the reason, never left "running" — while every
    /// other report of the pull is pulled, nothing of the cut file is stored, and the job fails so Hangfire retries it.
    /// </summary>
    [Theory]
    [InlineData("cutConnection")]
    [InlineData("reset")]
    public async Task Pull_DownloadCutEveryTime_IsARecordedFailureOfThatReportAlone(string fault)
    {
        await PullAsync();
        var before = await FactsAsync();
        // Enough for every send: a reset that lands before the headers is retried by the HTTP pipeline too (up to MaxRetries + 1
        // sends per attempt), not only by the pull's attempts, so a small count could run out and let a clean file through.
        await DownloadFaultAsync(fault, count: 1_000);

        await Assert.ThrowsAsync<GraphRequestException>(PullAsync);

        var cut = await LatestRunAsync(UsageReports.ActiveUserDetail);
        Assert.Equal(IngestionOutcome.Failed, cut.Outcome);
        // Cut while reading the body, or (the headers lost with the connection) while waiting for them: either way the download.
        Assert.True(cut.Error!.Contains("cut off mid-transfer", StringComparison.Ordinal) || cut.Error.Contains("reportfiles", StringComparison.Ordinal),
            cut.Error);
        foreach (var report in UsageIngestion.DailyReports.Where(r => r != UsageReports.ActiveUserDetail))
            Assert.Equal(IngestionOutcome.Succeeded, (await LatestRunAsync(report)).Outcome);
        Assert.Equal(before, await FactsAsync());
        await using var scope = _app.Scope();
        Assert.False(await DporWebFactory.Db(scope).Set<IngestionRun>().AnyAsync(r => r.Outcome == IngestionOutcome.Running));
    }

    [Theory]
    [InlineData("reorderHeader")]
    [InlineData("extraColumn")]
    public async Task Pull_ReorderedOrExtraColumns_AreReadByName(string fault)
    {
        await PullAsync();
        var before = await FactsAsync();
        await DownloadFaultAsync(fault);

        await PullAsync();

        Assert.Equal(IngestionOutcome.Succeeded, (await LatestRunAsync(UsageReports.ActiveUserDetail)).Outcome);
        Assert.Equal(before, await FactsAsync());
    }

    [Fact]
    public async Task Pull_ExpiredDownloadLink_FailsTransientlyAndTheRetrySucceeds()
    {
        await DownloadFaultAsync("expired");

        await Assert.ThrowsAsync<GraphRequestException>(PullAsync);
        Assert.Equal(IngestionOutcome.Failed, (await LatestRunAsync(UsageReports.ActiveUserDetail)).Outcome);
        await PullAsync();

        Assert.Equal(IngestionOutcome.Succeeded, (await LatestRunAsync(UsageReports.ActiveUserDetail)).Outcome);
        Assert.NotEmpty(await FactsAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(null)]
    public async Task Pull_Throttled_WaitsAndSucceeds(int? retryAfterSeconds)
    {
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/faults",
            new { tenantId = Contoso, path = UsageReports.ActiveUserDetail, status = 429, retryAfterSeconds, count = 2 })).EnsureSuccessStatusCode();

        await PullAsync();

        Assert.Equal(IngestionOutcome.Succeeded, (await LatestRunAsync(UsageReports.ActiveUserDetail)).Outcome);
        var log = await sandbox.Api.GetFromJsonAsync<JsonElement[]>("_sandbox/graph/requests");
        Assert.Equal(2, log!.Count(r => r.GetProperty("status").GetInt32() == 429));
    }

    [Fact]
    public async Task Pull_DownloadsNeverCarryTheBearerToken()
    {
        await PullAsync();

        var log = await sandbox.Api.GetFromJsonAsync<JsonElement[]>("_sandbox/graph/requests");
        var downloads = log!.Where(r => r.GetProperty("path").GetString()!.Contains("reportfiles", StringComparison.Ordinal)).ToList();
        var dated = ReportRequestBudget.RequestsPerWindow - ReportRequestBudget.ReservedForPulls - 1;
        Assert.Equal(UsageIngestion.DailyReports.Count + dated, downloads.Count);
        Assert.All(downloads, d => Assert.False(d.TryGetProperty("authorizationSent", out var sent) && sent.ValueKind == JsonValueKind.True));
    }

    /// <summary>
    /// Graph allows 14 report requests per function per 10 minutes per tenant. Fifteen pulls in a row: our budget refuses the
    /// fifteenth itself (recorded, retried later), so Graph never has to answer 429 — asserted from the sandbox's log.
    /// </summary>
    [Fact]
    public async Task Pull_TooOftenInTenMinutes_NeverExceedsGraphsBudget()
    {
        // The first pull also backfills daily active users up to the reserve; each later one spends a slot of the detail's 14.
        for (var i = 0; i < 1 + ReportRequestBudget.ReservedForPulls; i++) await PullAsync();

        await Assert.ThrowsAsync<GraphRequestException>(PullAsync);

        var log = await sandbox.Api.GetFromJsonAsync<JsonElement[]>("_sandbox/graph/requests");
        Assert.DoesNotContain(log!, r => r.GetProperty("status").GetInt32() == 429);
        var perFunction = log!.Where(r => r.GetProperty("path").GetString()!.Contains("/reports/", StringComparison.Ordinal))
            .GroupBy(r => r.GetProperty("path").GetString()!.Split('(')[0]);
        Assert.All(perFunction, g => Assert.True(g.Count() <= 14, $"{g.Key}: {g.Count()} requests"));
        var refused = await LatestRunAsync(UsageReports.ActiveUserDetail);
        Assert.Equal(IngestionOutcome.Failed, refused.Outcome);
        Assert.Contains("budget", refused.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// An outage in the middle of a tenant (the detail and active-user counts written, the e-mail counts not): each report is
    /// its own transaction, so what was written is whole, and Hangfire's retry completes the tenant to exactly the facts
    /// of an uninterrupted pull.
    /// </summary>
    [Fact]
    public async Task Pull_OutageMidTenant_RetryCompletesToTheSameFactsAsACleanPull()
    {
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/faults",
            new { tenantId = Contoso, path = UsageReports.EmailActivityCounts, status = 503, count = 50 })).EnsureSuccessStatusCode();

        await Assert.ThrowsAsync<GraphRequestException>(PullAsync);
        var partial = await DailyFactsAsync();
        (await sandbox.Api.DeleteAsync("_sandbox/graph/faults")).EnsureSuccessStatusCode();
        await PullAsync();
        var (retriedFacts, retriedDaily) = (await FactsAsync(), await DailyFactsAsync());
        await PullAsync();

        Assert.DoesNotContain(partial, f => f.Workload == Core.Subscriptions.Workload.Exchange && f.Metric != "ActiveUsers");
        Assert.NotEmpty(partial);
        Assert.Equal(await FactsAsync(), retriedFacts);
        Assert.Equal(await DailyFactsAsync(), retriedDaily);
        Assert.Contains(retriedDaily, f => f.Metric == "Send");
    }

    private async Task<List<(Core.Subscriptions.Workload Workload, string Metric, DateOnly Date, long Value)>> DailyFactsAsync()
    {
        await using var scope = _app.Scope();
        return [.. (await DporWebFactory.Db(scope).Set<TenantDailyUsageFact>().AsNoTracking().ToListAsync())
            .Select(f => (f.Workload, f.Metric, f.Date, f.Value)).Order()];
    }

    private Task PullAsync() => _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(Contoso, default));

    private async Task DownloadFaultAsync(string kind, int count = 1) =>
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/reports/download-faults",
            new { tenantId = Contoso, function = UsageReports.ActiveUserDetail, kind, count, column = "Teams Last Activity Date", newName = "Teams Last Activity" }))
        .EnsureSuccessStatusCode();

    private async Task<IngestionRun> LatestRunAsync(string report)
    {
        await using var scope = _app.Scope();
        return await DporWebFactory.Db(scope).Set<IngestionRun>().AsNoTracking().Where(r => r.Report == report).OrderByDescending(r => r.Id).FirstAsync();
    }

    private Task<List<(Guid, Core.Subscriptions.Workload, DateOnly, int, int, int)>> FactsAsync() => _app.UsageFactsAsync();
}
