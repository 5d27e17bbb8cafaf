using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Reports;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DporReports.IntegrationTests.Scale;

/// <summary>
/// Scale-out as deployed: one web host and two worker processes (the real DporReports.Worker, started with dotnet) on one
/// server database and one Hangfire storage. The web host enqueues a usage pull for each of 200 sandbox tenants and 50
/// workbook requests come in through the partner API; the workers share them through Hangfire alone. One worker is
/// killed mid-run (no graceful shutdown): the jobs it held come back after the invisibility timeout, the other worker
/// completes them, and nothing is lost or done twice.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class MultiNodeTests(SandboxFixture sandbox, ITestOutputHelper output) : IDisposable
{
    private const int Tenants = 200;
    private const int Workbooks = 50;
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(15);
    private readonly string _files = Directory.CreateTempSubdirectory("dpor-multinode-").FullName;

    public void Dispose()
    {
        sandbox.Api.DeleteAsync("_sandbox/graph/faults").GetAwaiter().GetResult().Dispose();
        sandbox.Api.DeleteAsync("_sandbox/graph/synthetic-tenants").GetAwaiter().GetResult().Dispose();
        Directory.Delete(_files, recursive: true);
    }

    [ServerDatabaseFact]
    public async Task Jobs_TwoWorkerProcessesOneKilledMidRun_EveryJobCompletesOnceAndTheWorkIsShared()
    {
        var tenants = await SyntheticTenantsAsync();
        var shared = new Dictionary<string, string?>
        {
            ["Hangfire:Storage"] = TestDatabase.RunProvider,
            ["Hangfire:InvisibilityTimeout"] = InvisibilityTimeout.ToString(),
            ["Hangfire:DistributedLockTimeout"] = InvisibilityTimeout.ToString(),
            ["ReportFiles:Folder"] = Path.Combine(_files, "reports"),
            ["Mail:PickupFolder"] = Path.Combine(_files, "mail"),
        };
        using var web = new DporWebFactory(sandbox, shared);
        var partner = await new Given(web).ApprovedPartnerAsync("Scale Partner");
        var setUp = Stopwatch.StartNew();
        await web.ConnectAssignAndVerifyAsync(tenants, partner.MpnIds[0]);
        output.WriteLine($"set-up of {Tenants} tenants: {setUp.Elapsed.TotalSeconds:F1} s");
        var storage = web.Services.GetRequiredService<JobStorage>();
        var monitoring = storage.GetMonitoringApi();
        // The set-up queued each tenant's first sync and pull and registered recurring jobs: only the test's jobs count.
        web.ClearAll();
        Assert.Equal(0, monitoring.GetStatistics().Enqueued);

        using var first = WorkerProcess.Start("worker-1", WorkerSettings(web, shared));
        using var second = WorkerProcess.Start("worker-2", WorkerSettings(web, shared));
        try
        {
            await WaitForAsync(() => ServersOf(monitoring, first) > 0 && ServersOf(monitoring, second) > 0, TimeSpan.FromSeconds(60), "both workers' Hangfire servers");
            // Each report call answers a little late, so pulls are in flight when the worker dies.
            (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/faults", new { path = "reports", delayMs = 60, count = 100_000 })).EnsureSuccessStatusCode();

            var clock = Stopwatch.StartNew();
            var jobs = web.Services.GetRequiredService<IBackgroundJobClient>();
            var pulls = tenants.ToDictionary(t => jobs.Enqueue<PullTenantUsageJob>(j => j.RunAsync(t, CancellationToken.None)), t => t);
            var requested = new List<Guid>();
            for (var i = 0; i < Workbooks; i++)
            {
                using var response = await partner.Admin.PostAsJsonAsync("/api/partner/reports", new { reportId = "consumption-summary" });
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                requested.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
            }

            // Kill worker 1 mid-run: a good part of the work done, and jobs of its own in flight.
            await WaitForAsync(() => monitoring.GetStatistics().Succeeded >= (Tenants + Workbooks) / 3 && InFlightOn(monitoring, first).Count > 0,
                TimeSpan.FromMinutes(3), "worker 1 to be mid-run");
            first.Kill();
            var killedAt = clock.Elapsed;
            var doneAtKill = monitoring.GetStatistics().Succeeded;
            // Read once it is dead: what it still held then was cut off (a job it finished just before the kill is not).
            var inFlight = InFlightOn(monitoring, first);
            Assert.NotEmpty(inFlight);

            await WaitForAsync(() => inFlight.All(id => State(storage, id) == "Succeeded"), TimeSpan.FromMinutes(3), "worker 2 to finish worker 1's jobs");
            var recovered = clock.Elapsed - killedAt;
            // The test's own jobs, not the succeeded count: the workers' recurring jobs (the outbox every minute) succeed too.
            await WaitForAsync(() => pulls.Keys.All(id => State(storage, id) == "Succeeded")
                && monitoring.SucceededJobs(0, 10_000).Count(j => j.Value.Job?.Type == typeof(GenerateReportJob)) >= Workbooks,
                TimeSpan.FromMinutes(4), "every job to succeed");
            var total = clock.Elapsed;

            // Every job succeeded exactly once; the ones worker 1 held were taken over by worker 2.
            var workbookJobs = monitoring.SucceededJobs(0, 10_000).Where(j => j.Value.Job?.Type == typeof(GenerateReportJob))
                .ToDictionary(j => j.Key, j => (Guid)j.Value.Job.Args[1]);
            Assert.Equal(requested.Order(), workbookJobs.Values.Order());
            var histories = pulls.Keys.Concat(workbookJobs.Keys).ToDictionary(id => id, id => storage.GetMonitoringApi().JobDetails(id).History);
            Assert.All(histories, h => Assert.Equal(1, h.Value.Count(s => s.StateName == "Succeeded")));
            var finishedBy = histories.ToDictionary(h => h.Key, h => h.Value.First(s => s.StateName == "Processing").Data["ServerId"]);
            Assert.All(inFlight, id =>
            {
                Assert.True(RanOn(finishedBy[id], second), $"job {id} was finished by {finishedBy[id]}");
                Assert.Contains(histories[id], s => s.StateName == "Processing" && RanOn(s.Data["ServerId"], first));
            });
            var byFirst = finishedBy.Values.Count(s => RanOn(s, first));
            var bySecond = finishedBy.Values.Count(s => RanOn(s, second));
            Assert.Equal(Tenants + Workbooks, byFirst + bySecond);
            Assert.True(byFirst >= 20 && bySecond >= 20, $"work not shared: worker 1 finished {byFirst}, worker 2 {bySecond}");

            await using (var scope = web.Scope())
            {
                var db = DporWebFactory.Db(scope);
                var runs = await db.Set<IngestionRun>().AsNoTracking().Where(r => tenants.Contains(r.TenantId)).ToListAsync();
                // A pull taken over reads its reports again (replacing, never adding, facts); every other pull read each once.
                var inFlightTenants = inFlight.Where(pulls.ContainsKey).Select(id => pulls[id]).ToHashSet();
                foreach (var tenant in tenants)
                    foreach (var report in UsageIngestion.DailyReports)
                    {
                        var succeeded = runs.Count(r => r.TenantId == tenant && r.Report == report && r.Outcome == IngestionOutcome.Succeeded);
                        Assert.True(inFlightTenants.Contains(tenant) ? succeeded is 1 or 2 : succeeded == 1, $"{tenant} {report}: {succeeded} successful reads");
                    }
                Assert.DoesNotContain(runs, r => r.Outcome == IngestionOutcome.Running);
                var interrupted = runs.Where(r => r.Outcome == IngestionOutcome.Interrupted).Select(r => r.TenantId).ToHashSet();
                Assert.Subset(inFlightTenants, interrupted);
                var factsPerTenant = await db.Set<SubscriptionUsageFact>().GroupBy(f => f.TenantId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
                Assert.Equal(tenants.Order(), factsPerTenant.Where(f => f.Count > 0).Select(f => f.Key).Order());
            }
            var files = await partner.Admin.GetFromJsonAsync<JsonElement>("/api/partner/reports/files");
            var done = files.EnumerateArray().Where(f => f.GetProperty("status").GetString() == "Done").Select(f => f.GetProperty("id").GetGuid()).ToList();
            Assert.Equal(requested.Order(), done.Order());
            Assert.Equal(Workbooks, Directory.GetFiles(Path.Combine(_files, "reports"), "*.xlsx", SearchOption.AllDirectories).Length);

            var figures = $"multi-node on {TestDatabase.RunProvider}: {Tenants} pulls + {Workbooks} workbooks in {total.TotalSeconds:F1} s; "
                + $"worker 1 finished {byFirst} (killed after {killedAt.TotalSeconds:F1} s with {doneAtKill} jobs done overall and {inFlight.Count} of its own in flight), "
                + $"worker 2 finished {bySecond}; worker 1's jobs completed by worker 2 {recovered.TotalSeconds:F1} s after the kill "
                + $"(invisibility timeout {InvisibilityTimeout.TotalSeconds:F0} s); {interruptedCount(histories)} jobs ran twice, each succeeded once";
            output.WriteLine(figures);
            await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "multi-node-figures.txt"), figures + Environment.NewLine);
        }
        catch
        {
            foreach (var worker in new[] { first, second }) output.WriteLine($"--- {worker.Name} ---{Environment.NewLine}{worker.Output}");
            throw;
        }

        static int interruptedCount(Dictionary<string, IList<StateHistoryDto>> histories) =>
            histories.Count(h => h.Value.Count(s => s.StateName == "Processing") > 1);
    }

    private async Task<List<Guid>> SyntheticTenantsAsync()
    {
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/synthetic-tenants", new { count = Tenants, medianUsers = 20, seed = 11 })).EnsureSuccessStatusCode();
        (await sandbox.Api.PutAsJsonAsync("_sandbox/graph/reports/settings", new { budgetEnabled = false })).EnsureSuccessStatusCode();
        return [.. (await sandbox.Api.GetFromJsonAsync<JsonElement>("_sandbox/graph/synthetic-tenants")).GetProperty("tenantIds")
            .EnumerateArray().Select(e => e.GetGuid())];
    }

    private Dictionary<string, string?> WorkerSettings(DporWebFactory web, Dictionary<string, string?> shared)
    {
        var certificate = Path.Combine(_files, "sandbox.pem");
        File.WriteAllText(certificate, sandbox.Server.Certificate.ExportCertificatePem());
        return new Dictionary<string, string?>(shared)
        {
            ["AzureAd:Instance"] = sandbox.Server.HttpsBaseUrl.ToString(),
            ["AzureAd:ClientId"] = sandbox.Server.Options.ClientId,
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = sandbox.Server.Options.ClientSecret,
            ["Sandbox:CertificateFile"] = certificate,
            ["Database:Provider"] = web.Database.Provider,
            ["Database:ConnectionString"] = web.Database.ConnectionString,
            // As deployed: the schema and Hangfire's tables are a deployment step (here: the web host made them).
            ["Database:MigrateAtStartup"] = "false",
            ["Hangfire:PrepareSchema"] = "false",
            ["Hangfire:Server:Workers:ingestion"] = "4",
            ["Hangfire:Server:Workers:reports"] = "1",
            ["Graph:BaseUrl"] = $"{sandbox.Server.HttpsBaseUrl}graph/v1.0/",
            ["Graph:RetryBaseDelayMilliseconds"] = "50",
            ["Reports:Schedules:PublicBaseUrl"] = "https://dpor.test/",
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    private static List<string> InFlightOn(IMonitoringApi monitoring, WorkerProcess worker) =>
        [.. monitoring.ProcessingJobs(0, 1000).Where(j => RanOn(j.Value.ServerId, worker)).Select(j => j.Key)];

    private static int ServersOf(IMonitoringApi monitoring, WorkerProcess worker) => monitoring.Servers().Count(s => RanOn(s.Name, worker));

    // Hangfire's server ids end ":{process id}:{guid}".
    private static bool RanOn(string? serverId, WorkerProcess worker) =>
        serverId is not null && serverId.Split(':') is { Length: >= 3 } parts && parts[^2] == worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? State(JobStorage storage, string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(id)?.Name;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}");
            await Task.Delay(200);
        }
    }
}
