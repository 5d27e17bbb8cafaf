using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Observability;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Observability;

/// <summary>
/// The metrics and spans an operator reads to see ingestion health (design.md §3: Graph is a shared, throttled resource;
/// each pull is recorded), measured through the real host, the sandbox's Graph and the product's own instruments, and
/// checked against what was stored and what the sandbox saw.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TelemetryTests(SandboxFixture sandbox) : IAsyncLifetime
{
    /// <summary>Dates of daily active users a pull's backfill asks for: the detail's budget less its own call and the reserve.</summary>
    private const int DatedPerPull = ReportRequestBudget.RequestsPerWindow - ReportRequestBudget.ReservedForPulls - 1;

    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public Task InitializeAsync() => _app.VerifiedTenantAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Pull_VerifiedTenant_RowsIngestedEqualTheFactsStored()
    {
        using var telemetry = new TelemetryRecorder();

        await PullAsync();

        var ingested = telemetry.ForTenant("dpor.usage.rows.ingested", Contoso);
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var subscriptionFacts = await db.Set<SubscriptionUsageFact>().CountAsync(f => f.TenantId == Contoso);
        var unattributedFacts = await db.Set<UnattributedUsageFact>().CountAsync(f => f.TenantId == Contoso);
        var dailyFacts = await db.Set<TenantDailyUsageFact>().CountAsync(f => f.TenantId == Contoso);
        var dailyActiveFacts = await db.Set<SubscriptionDailyUsageFact>().CountAsync(f => f.TenantId == Contoso);
        Assert.True(subscriptionFacts > 0 && dailyFacts > 0 && dailyActiveFacts > 0);
        Assert.Equal(subscriptionFacts + unattributedFacts,
            ingested.Where(m => (string?)m.Tag(DporTelemetry.Tags.UsageReport) == UsageReports.ActiveUserDetail).Sum(m => m.Value));
        Assert.Equal(dailyActiveFacts,
            ingested.Where(m => (string?)m.Tag(DporTelemetry.Tags.UsageReport) == UsageReports.ActiveUserDetailOfDate).Sum(m => m.Value));
        Assert.Equal(subscriptionFacts + unattributedFacts + dailyFacts + dailyActiveFacts, ingested.Sum(m => m.Value));
        Assert.Equal(UsageIngestion.DailyReports.Append(UsageReports.ActiveUserDetailOfDate).Order(),
            ingested.Select(m => (string)m.Tag(DporTelemetry.Tags.UsageReport)!).Distinct().Order());
        Assert.All(ingested, m => Assert.False(string.IsNullOrEmpty(m.Tag(DporTelemetry.Tags.Workload) as string)));
        // Cardinality: the tenant is on the span, never on the metric.
        Assert.All(ingested, m => Assert.DoesNotContain(DporTelemetry.Tags.TenantId, m.Tags.Keys));
    }

    [Fact]
    public async Task Pull_VerifiedTenant_RecordsEveryGraphAttemptWithItsEndpointAndStatusCode()
    {
        (await sandbox.Api.DeleteAsync("_sandbox/graph/requests")).EnsureSuccessStatusCode();
        using var telemetry = new TelemetryRecorder();

        await PullAsync();

        var seen = (await sandbox.Api.GetFromJsonAsync<JsonElement[]>("_sandbox/graph/requests"))!;
        var attempts = telemetry.ForTenant("dpor.graph.requests", Contoso);
        var durations = telemetry.ForTenant("dpor.graph.request.duration", Contoso);
        Assert.Equal(seen.Length, attempts.Count);
        Assert.Equal(seen.Length, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value > 0));
        // What Graph really answered, attempt by attempt: 302 to the download link for each report, 200 for each file.
        Assert.Equal(seen.Select(r => r.GetProperty("status").GetInt32()).Order(), attempts.Select(a => (int)a.Tag(DporTelemetry.Tags.StatusCode)!).Order());
        Assert.All(attempts, a => Assert.InRange((int)a.Tag(DporTelemetry.Tags.StatusCode)!, 200, 399));
        var expectedEndpoints = UsageIngestion.DailyReports.Select(r => $"reports/{r}").Append("report-download").Order();
        Assert.Equal(expectedEndpoints, attempts.Select(a => (string)a.Tag(DporTelemetry.Tags.GraphEndpoint)!).Distinct().Order());
        Assert.Equal(UsageIngestion.DailyReports.Count + DatedPerPull, attempts.Count(a => (string?)a.Tag(DporTelemetry.Tags.GraphEndpoint) == "report-download"));
        Assert.All(attempts, a => Assert.DoesNotContain(DporTelemetry.Tags.TenantId, a.Tags.Keys));
        // One span per report call, carrying the tenant the metrics leave out.
        var graphSpans = telemetry.Spans.Where(s => s.OperationName.StartsWith("graph reports/", StringComparison.Ordinal)).ToList();
        Assert.Equal(UsageIngestion.DailyReports.Count + DatedPerPull, graphSpans.Count);
        Assert.All(graphSpans, s => Assert.Equal(Contoso, s.GetTagItem(DporTelemetry.Tags.TenantId)));
    }

    [Fact]
    public async Task Pull_GraphThrottlesWithRetryAfter_RecordsTheWaitsAndThe429s()
    {
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/faults",
            new { tenantId = Contoso, path = UsageReports.ActiveUserDetail, status = 429, retryAfterSeconds = 1, count = 2 })).EnsureSuccessStatusCode();
        using var telemetry = new TelemetryRecorder();

        await PullAsync();

        var endpoint = $"reports/{UsageReports.ActiveUserDetail}";
        var waits = telemetry.ForTenant("dpor.graph.throttling.waits", Contoso);
        var waited = telemetry.ForTenant("dpor.graph.throttling.wait.duration", Contoso);
        Assert.Equal(2, waits.Sum(w => w.Value));
        Assert.All(waits, w =>
        {
            Assert.Equal(endpoint, w.Tag(DporTelemetry.Tags.GraphEndpoint));
            Assert.Equal(429, w.Tag(DporTelemetry.Tags.StatusCode));
            Assert.Equal(true, w.Tag(DporTelemetry.Tags.RetryAfter));
        });
        // Retry-After: 1 is honoured as it is (no back-off on top, no jitter).
        Assert.Equal(2, waited.Count);
        Assert.All(waited, w => Assert.InRange(w.Value, 0.99, 1.01));
        var attempts = telemetry.ForTenant("dpor.graph.requests", Contoso).Where(a => (string?)a.Tag(DporTelemetry.Tags.GraphEndpoint) == endpoint).ToList();
        Assert.Equal(2, attempts.Count(a => (int)a.Tag(DporTelemetry.Tags.StatusCode)! == 429));
        // The 30-day detail's one success after its two 429s, then the detail of each date the backfill asked for.
        Assert.Equal(1 + DatedPerPull, attempts.Count(a => (int)a.Tag(DporTelemetry.Tags.StatusCode)! is >= 200 and <= 399));
        var span = Assert.Single(telemetry.Spans, s => s.OperationName == $"graph {endpoint}" && s.Events.Any(e => e.Name == "dpor.graph.throttled"));
        Assert.Equal(2, span.Events.Count(e => e.Name == "dpor.graph.throttled"));
    }

    [Fact]
    public async Task Pull_OfATenant_IsOneSpanPerReportWithTheTenantAndRowsWritten()
    {
        using var telemetry = new TelemetryRecorder();

        await PullAsync();

        var spans = telemetry.Spans.Where(s => s.OperationName.StartsWith("usage ingest ", StringComparison.Ordinal)).ToList();
        Assert.Equal(UsageIngestion.DailyReports.Concat(Enumerable.Repeat(UsageReports.ActiveUserDetailOfDate, DatedPerPull)).Order(),
            spans.Select(s => (string)s.GetTagItem(DporTelemetry.Tags.UsageReport)!).Order());
        Assert.All(spans, s => Assert.Equal(Contoso, s.GetTagItem(DporTelemetry.Tags.TenantId)));
        Assert.All(spans, s => Assert.True((long)s.GetTagItem(DporTelemetry.Tags.Rows)! > 0));
        // The Graph call of each report is a child of its ingestion span.
        Assert.All(spans, s => Assert.Contains(telemetry.Spans, g => g.ParentSpanId == s.SpanId && g.OperationName.StartsWith("graph ", StringComparison.Ordinal)));
    }

    private Task PullAsync() => _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(Contoso, default));
}
