using DporReports.Core.Data;
using DporReports.Core.Graph;
using DporReports.Core.Jobs;
using DporReports.Core.Tenants;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Usage;

/// <summary>
/// Pulls the daily usage reports of one tenant. Each report is its own transaction and its own run record: a refused
/// file (missing column, cut short, HTML) is recorded and skipped without retry; throttling and outages make the job
/// fail after recording, so Hangfire retries it with back-off; revoked consent marks the tenant and stops.
/// </summary>
[Queue(JobQueues.Ingestion)]
[AutomaticRetry(Attempts = 5, DelaysInSeconds = [60, 300, 900, 1800, 3600])]
public sealed class PullTenantUsageJob(DporDbContext db, UsageIngestion ingestion, ReportRequestBudget budget, TenantJobs jobs,
    TimeProvider clock, ILogger<PullTenantUsageJob> log)
{
    [DisableConcurrentExecution("usage:{0}", 1800)]
    public async Task RunAsync(Guid tenantId, CancellationToken ct)
    {
        if (!await ingestion.IsEligibleAsync(tenantId, ct)) return;
        // A run still "running" was cut off with its host (the lock above means no other pull of this tenant is live):
        // say so, rather than leave it running forever in the ingestion health.
        await db.Set<IngestionRun>().Where(r => r.TenantId == tenantId && r.Outcome == IngestionOutcome.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Outcome, IngestionOutcome.Interrupted)
                .SetProperty(r => r.Error, "Interrupted: the host running this pull stopped before it finished; the pull was run again."), ct);

        Exception? transient = null;
        DateOnly? detailRefresh = null;
        foreach (var report in await ingestion.ReportsOfAsync(tenantId, ct))
        {
            var run = IngestionRun.Start(tenantId, report, clock.GetUtcNow());
            db.Add(run);
            await db.SaveChangesAsync(ct);
            try
            {
                var (refreshDate, rows, concealed) = await PullWithinBudgetAsync(tenantId, report, run,
                    () => ingestion.PullAsync(tenantId, report, ct), ct);
                if (report == UsageReports.ActiveUserDetail) detailRefresh = refreshDate;
                await RecordAsync(run, r => r.Succeed(refreshDate, rows, concealed, clock.GetUtcNow()), ct);
                log.LogInformation("Usage {Report} of tenant {TenantId}: {Rows} rows, refresh date {RefreshDate}", report, tenantId, rows, refreshDate);
            }
            catch (GraphConsentRevokedException e)
            {
                await RecordAsync(run, r => r.Fail(IngestionOutcome.ConsentRevoked, e.Message, clock.GetUtcNow()), ct);
                var tenant = await db.CustomerTenants.SingleAsync(t => t.Id == tenantId, ct);
                tenant.RevokeConsent(e.Reason, clock.GetUtcNow());
                await db.SaveChangesAsync(ct);
                jobs.Unschedule(tenantId);
                log.LogWarning("Consent revoked in tenant {TenantId} during usage pull: {Reason}", tenantId, e.Reason);
                return;
            }
            catch (UsageReportFormatException e)
            {
                // The file is unusable: nothing of it was written; another attempt would read the same file.
                await RecordAsync(run, r => r.Fail(IngestionOutcome.Refused, e.Message, clock.GetUtcNow()), ct);
                log.LogWarning("Usage {Report} of tenant {TenantId} refused: {Error}", report, tenantId, e.Message);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Any other failure (Graph's, our budget's, a transfer cut short, the database's) is this report's: recorded
                // on its run — never left "running" — and the other reports are still pulled.
                await RecordAsync(run, r => r.Fail(IngestionOutcome.Failed, e.Message, clock.GetUtcNow()), ct);
                transient ??= e;
            }
        }
        if (detailRefresh is { } newest) await BackfillDailyActiveAsync(tenantId, newest, ct);
        // One slow or throttled report does not block the others; the job fails at the end so Hangfire retries it.
        if (transient is not null) throw new GraphRequestException($"Usage pull of tenant {tenantId} incomplete: {transient.Message}", transient);
    }

    /// <summary>
    /// Daily active users per subscription come from the detail of one date. Each pull asks for the newest day again
    /// (Graph still completes it for a day or two) and for every day of the MAU window not yet pulled, newest first, as
    /// long as the report's request budget allows; what is left waits for the next pull. A day that fails is recorded and
    /// stays missing (never 0) until a later pull gets it; it does not fail the job, which already stored the rest.
    /// </summary>
    private async Task BackfillDailyActiveAsync(Guid tenantId, DateOnly newest, CancellationToken ct)
    {
        var oldest = OldestBackfillDay(newest);
        var done = (await db.Set<IngestionRun>().AsNoTracking()
                .Where(r => r.TenantId == tenantId && r.Report == UsageReports.ActiveUserDetailOfDate && r.Outcome == IngestionOutcome.Succeeded
                            && r.RefreshDate >= oldest && r.RefreshDate < newest)
                .Select(r => r.RefreshDate!.Value).ToListAsync(ct))
            .ToHashSet();
        foreach (var day in BackfillDays(newest, done))
        {
            if (!budget.TryTake(tenantId, UsageReports.ActiveUserDetail, ReportRequestBudget.ReservedForPulls, out _))
            {
                log.LogInformation("Daily active users of tenant {TenantId}: report budget spent at {Day}; the rest waits for the next pull", tenantId, day);
                return;
            }
            var run = IngestionRun.Start(tenantId, UsageReports.ActiveUserDetailOfDate, clock.GetUtcNow());
            db.Add(run);
            await db.SaveChangesAsync(ct);
            try
            {
                var rows = await ingestion.PullDailyActiveAsync(tenantId, day, file: null, ct);
                await RecordAsync(run, r => r.Succeed(day, rows, null, clock.GetUtcNow()), ct);
            }
            catch (GraphConsentRevokedException e)
            {
                await RecordAsync(run, r => r.Fail(IngestionOutcome.ConsentRevoked, e.Message, clock.GetUtcNow()), ct);
                return; // the next pull's first request marks the tenant
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var outcome = e is UsageReportFormatException ? IngestionOutcome.Refused : IngestionOutcome.Failed;
                await RecordAsync(run, r => r.FailOn(day, outcome, e.Message, clock.GetUtcNow()), ct);
                log.LogWarning("Daily active users of tenant {TenantId} on {Day} not pulled: {Error}", tenantId, day, e.Message);
            }
        }
    }

    private static DateOnly OldestBackfillDay(DateOnly newest) => newest.AddDays(-(ActiveUserDetailAggregator.MauWindowDays - 1));

    /// <summary>
    /// The days of daily active users a pull asks for, in order, each paid from the detail report's budget: the newest day
    /// (always again, Graph still completes it) and every day of the MAU window not in <paramref name="done"/>, newest first.
    /// The capacity simulation (bench <c>schedule-day</c>) walks the same days.
    /// </summary>
    public static IEnumerable<DateOnly> BackfillDays(DateOnly newest, IReadOnlySet<DateOnly> done)
    {
        for (var day = newest; day >= OldestBackfillDay(newest); day = day.AddDays(-1))
            if (day == newest || !done.Contains(day)) yield return day;
    }

    private Task RecordAsync(IngestionRun run, Action<IngestionRun> outcome, CancellationToken ct) => db.SaveAloneAsync(run, outcome, ct);

    /// <summary>A report's attempts within one pull: the first, and again after a transfer cut short.</summary>
    private const int AttemptsPerReport = 3;

    /// <summary>
    /// Pulls one report; a download cut mid-transfer is asked for again at once (a new link, a new file), each attempt paid
    /// from the tenant's report budget like any request, so a flaky transfer never exceeds Graph's limit.
    /// </summary>
    private async Task<T> PullWithinBudgetAsync<T>(Guid tenantId, string report, IngestionRun run, Func<Task<T>> pull, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!budget.TryTake(tenantId, report, out var wait))
            {
                run.Throttled();
                throw new ReportBudgetExhaustedException(tenantId, report, wait);
            }
            try
            {
                return await pull();
            }
            catch (GraphRequestException e) when (e.TransferCut && attempt < AttemptsPerReport)
            {
                log.LogWarning("Usage {Report} of tenant {TenantId}: attempt {Attempt} cut off mid-transfer, asking again: {Error}", report, tenantId,
                    attempt, e.Message);
            }
        }
    }
}

/// <summary>
/// Hourly: enqueues one <see cref="PullTenantUsageJob"/> per eligible tenant whose slot (a stable hash of its id) falls in
/// this hour, so a thousand tenants spread over the day and no job loops over all of them for hours.
/// </summary>
[Queue(JobQueues.Ingestion)]
public sealed class FanOutUsagePullJob(DporDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringId = "usage:fan-out";

    /// <summary>Five past every hour (UTC): each run enqueues the tenants whose hour it is.</summary>
    public const string Cron = "5 * * * *";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var hour = clock.GetUtcNow().Hour;
        var connected = await db.CustomerTenants.Where(t => t.ConsentStatus == ConsentStatus.Connected).Select(t => t.Id).ToListAsync(ct);
        var due = connected.Where(id => UsageSchedule.HourOf(id) == hour).ToList();
        foreach (var tenantId in due) jobs.Enqueue<PullTenantUsageJob>(j => j.RunAsync(tenantId, CancellationToken.None));
        return due.Count;
    }
}

public static class UsageSchedule
{
    /// <summary>The hour of the day (UTC) a tenant's usage is pulled: stable per tenant, evenly spread.</summary>
    public static int HourOf(Guid tenantId) => (int)(BitConverter.ToUInt32(tenantId.ToByteArray(), 4) % 24);
}
