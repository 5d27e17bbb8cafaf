using System.Net.Http.Json;
using DporReports.Core.Graph;
using DporReports.Core.Observability;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DporReports.IntegrationTests.Observability;

/// <summary>
/// Jobs through a real Hangfire server: every run is timed with its outcome, and everything a job logs carries the job's
/// id, type and tenant, so an operator can follow one tenant's pull through the logs of several workers.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class JobTelemetryTests : IDisposable
{
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SandboxFixture _sandbox;
    private readonly LogCapture _logs = new();
    private readonly TelemetryRecorder _telemetry = new();
    private readonly DporWebFactory _app;

    public JobTelemetryTests(SandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["DemoData:Enabled"] = "true",
            ["Hangfire:Server:Enabled"] = "true",
        })
        { TestServices = services => services.AddSingleton<ILoggerProvider>(_logs) };
    }

    public void Dispose()
    {
        _app.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    public async Task PullOnTheServer_Succeeds_RecordsItsDurationAndLogsInTheJobsScope()
    {
        // Connect → the server syncs the inventory; assign → the server verifies and queues the tenant's first pull.
        await ConnectAndAssignOnTheServerAsync();

        var run = await _telemetry.WaitForAsync("dpor.job.duration",
            m => (string?)m.Tag(DporTelemetry.Tags.JobType) == nameof(PullTenantUsageJob) && m.IsFor(DporTelemetry.Tags.TenantId, Contoso), Patience);

        Assert.Equal(DporTelemetry.Outcomes.Succeeded, run.Tag(DporTelemetry.Tags.Outcome));
        Assert.True(run.Value > 0);
        Assert.DoesNotContain(DporTelemetry.Tags.TenantId, run.Tags.Keys);
        var jobId = run.Context[DporTelemetry.Tags.JobId]?.ToString();
        Assert.False(string.IsNullOrEmpty(jobId));
        var pulled = _logs.Entries.Where(e => e.Category == typeof(PullTenantUsageJob).FullName && e.Message.StartsWith("Usage ", StringComparison.Ordinal)).ToList();
        Assert.Equal(UsageIngestion.DailyReports.Count, pulled.Count);
        Assert.All(pulled, e =>
        {
            Assert.Equal(Contoso, e.Scope("TenantId"));
            Assert.Equal(jobId, e.Scope("JobId"));
            Assert.Equal(nameof(PullTenantUsageJob), e.Scope("JobType"));
        });
        // The jobs before it ran in scopes of their own.
        Assert.Contains(_logs.Entries, e => (string?)e.Scope("JobType") == nameof(SyncTenantInventoryJob) && Equals(e.Scope("TenantId"), Contoso));
    }

    [Fact]
    public async Task PullOnTheServer_GraphDown_RecordsAFailedRunWithTheErrorType()
    {
        await ConnectAndAssignOnTheServerAsync();
        await _telemetry.WaitForAsync("dpor.job.duration", m => (string?)m.Tag(DporTelemetry.Tags.JobType) == nameof(PullTenantUsageJob), Patience);
        (await _sandbox.Api.PostAsJsonAsync("_sandbox/graph/faults",
            new { tenantId = Contoso, path = UsageReports.EmailActivityCounts, status = 503, count = 50 })).EnsureSuccessStatusCode();

        var jobId = _app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<PullTenantUsageJob>(j => j.RunAsync(Contoso, CancellationToken.None));

        var run = await _telemetry.WaitForAsync("dpor.job.duration", m => m.IsFor(DporTelemetry.Tags.JobId, jobId), Patience);
        Assert.Equal(DporTelemetry.Outcomes.Failed, run.Tag(DporTelemetry.Tags.Outcome));
        Assert.Equal(typeof(GraphRequestException).FullName, run.Tag(DporTelemetry.Tags.ErrorType));
        Assert.Equal(nameof(PullTenantUsageJob), run.Tag(DporTelemetry.Tags.JobType));
        var span = await _telemetry.WaitForSpanAsync(s => (string?)s.GetTagItem(DporTelemetry.Tags.JobId) == jobId, Patience);
        Assert.Single(_telemetry.Spans, s => (string?)s.GetTagItem(DporTelemetry.Tags.JobId) == jobId);
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, span.Status);
        Assert.Equal(Contoso, span.GetTagItem(DporTelemetry.Tags.TenantId));
    }

    private async Task ConnectAndAssignOnTheServerAsync()
    {
        var persona = SandboxDirectory.Persona("contoso-admin");
        await _sandbox.ResetGraphAsync();
        (await _sandbox.Api.PostAsync($"_sandbox/tenants/{persona.TenantId}/consent", null)).EnsureSuccessStatusCode();
        await using (var connect = _app.Scope())
            Assert.True((await connect.ServiceProvider.GetRequiredService<TenantConnections>().ConnectAsync(Customers.UserOf(persona), persona.TenantId, default)).Succeeded);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await admin.ActiveSubscriptionIdsAsync()).Length == 0)
        {
            Assert.True(waited.Elapsed < Patience, "the server's inventory sync did not list the subscriptions");
            await Task.Delay(200);
        }
        (await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = DemoData.AdatumMpnId })).EnsureSuccessStatusCode();
    }
}
