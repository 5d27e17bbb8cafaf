using System.Diagnostics;
using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Graph;
using DporReports.Core.Observability;
using DporReports.Core.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Usage;

/// <summary>
/// Reads one usage report of one tenant and writes its facts in one transaction: the new rows for the dates the file
/// covers replace the old ones, so a repeated pull leaves the same facts and a failed one leaves the previous facts intact.
/// </summary>
public sealed class UsageIngestion(DporDbContext db, GraphClient graph)
{
    /// <summary>The reports a daily pull reads: the per-user detail (MAU/PAU per subscription) and the tenant-level daily counts.</summary>
    public static readonly IReadOnlyList<string> DailyReports =
    [
        UsageReports.ActiveUserDetail, UsageReports.ActiveUserCounts, UsageReports.EmailActivityCounts,
        UsageReports.SharePointActivityUserCounts, UsageReports.TeamsUserActivityUserCounts, UsageReports.YammerActivityCounts,
        UsageReports.SkypeForBusinessActivityCounts,
    ];

    /// <summary>
    /// The reports a daily pull of this tenant reads: <see cref="DailyReports"/>, and the Copilot user detail and user-count
    /// trend when the tenant's inventory holds a Copilot subscription (Graph would count nobody otherwise, so the requests
    /// are not spent).
    /// </summary>
    public async Task<IReadOnlyList<string>> ReportsOfAsync(Guid tenantId, CancellationToken ct) =>
        await HasCopilotAsync(tenantId, ct) ? [.. DailyReports, .. CopilotReports] : DailyReports;

    /// <summary>The Copilot reports a pull reads for a tenant holding a Copilot subscription.</summary>
    public static readonly IReadOnlyList<string> CopilotReports = [UsageReports.CopilotUsageUserDetail, UsageReports.CopilotUserCountTrend];

    /// <summary>Whether the tenant's current inventory holds a subscription carrying Microsoft 365 Copilot.</summary>
    public async Task<bool> HasCopilotAsync(Guid tenantId, CancellationToken ct) =>
        (await TenantSubscriptionsAsync(tenantId, ct)).Any(s => s.Workloads.Contains(Workload.Copilot));

    /// <summary>Pulls and stores one report; returns the refresh date, rows read and whether names were concealed.</summary>
    public Task<(DateOnly RefreshDate, long Rows, bool? NamesConcealed)> PullAsync(Guid tenantId, string report, CancellationToken ct) =>
        IngestAsync(tenantId, report, file: null, ct);

    /// <summary>
    /// Stores a report file that was not just downloaded from Graph — the demo data's backfill of earlier days — through
    /// exactly the parsing, attribution and write of <see cref="PullAsync"/>.
    /// </summary>
    public Task<(DateOnly RefreshDate, long Rows, bool? NamesConcealed)> IngestFileAsync(Guid tenantId, string report, Stream csv, CancellationToken ct) =>
        IngestAsync(tenantId, report, csv, ct);

    private async Task<(DateOnly RefreshDate, long Rows, bool? NamesConcealed)> IngestAsync(Guid tenantId, string report, Stream? file, CancellationToken ct)
    {
        using var activity = DporTelemetry.Source.StartActivity($"usage ingest {report}");
        activity?.SetTag(DporTelemetry.Tags.TenantId, tenantId);
        activity?.SetTag(DporTelemetry.Tags.UsageReport, report);
        try
        {
            var result = await ReadAndWriteAsync(tenantId, report, file, ct);
            activity?.SetTag(DporTelemetry.Tags.Rows, result.Rows);
            return result;
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            throw;
        }
    }

    private async Task<(DateOnly RefreshDate, long Rows, bool? NamesConcealed)> ReadAndWriteAsync(Guid tenantId, string report, Stream? file,
        CancellationToken ct)
    {
        if (report == UsageReports.CopilotUsageUserDetail)
        {
            return await ReadAndWriteCopilotAsync(tenantId, file, ct);
        }

        if (report == UsageReports.CopilotUserCountTrend)
        {
            return await ReadAndWriteCopilotTrendAsync(tenantId, file, ct);
        }

        if (report == UsageReports.ActiveUserDetail)
        {
            var subscriptions = await TenantSubscriptionsAsync(tenantId, ct);
            var snapshot = await ReadAsync(tenantId, report, file,
                (stream, token) => ActiveUserDetailAggregator.AggregateAsync(stream, subscriptions, token), ct);
            await WriteAsync(tenantId, async () =>
            {
                var date = snapshot.RefreshDate;
                // Copilot's rows of the day come from its own report and stay.
                await db.Set<SubscriptionUsageFact>().Where(f => f.TenantId == tenantId && f.Date == date && f.Workload != Workload.Copilot)
                    .ExecuteDeleteAsync(ct);
                await db.Set<UnattributedUsageFact>().Where(f => f.TenantId == tenantId && f.Date == date && f.Workload != Workload.Copilot)
                    .ExecuteDeleteAsync(ct);
                await db.Set<UnknownProductFact>().Where(f => f.TenantId == tenantId && f.Date == date).ExecuteDeleteAsync(ct);
                await FactRows.AddAsync(db, snapshot.Subscriptions.Select(u => SubscriptionUsageFact.Of(tenantId, date, u)).ToList(), ct);
                await FactRows.AddAsync(db, snapshot.Unattributed.Select(u => UnattributedUsageFact.Of(tenantId, date, u)).ToList(), ct);
                await FactRows.AddAsync(db, UnknownProductFact.Of(tenantId, date, snapshot.UnknownProducts).ToList(), ct);
            }, ct);
            DporTelemetry.UsageRowsRead.Add(snapshot.RowsRead, new KeyValuePair<string, object?>("report", report));
            RecordIngested(report, snapshot.Subscriptions.Select(u => u.Workload).Concat(snapshot.Unattributed.Select(u => u.Workload)));
            return (snapshot.RefreshDate, snapshot.RowsRead, snapshot.NamesConcealed);
        }

        var daily = await ReadAsync(tenantId, report, file, (stream, token) => DailyCountsReader.ReadAsync(report, stream, token), ct);
        await WriteAsync(tenantId, async () =>
        {
            foreach (var group in daily.Values.GroupBy(v => (v.Workload, v.Metric)))
            {
                var (workload, metric) = group.Key;
                var dates = group.Select(v => v.Date).Distinct().ToList();
                await db.Set<TenantDailyUsageFact>()
                    .Where(f => f.TenantId == tenantId && f.Workload == workload && f.Metric == metric && dates.Contains(f.Date))
                    .ExecuteDeleteAsync(ct);
                await FactRows.AddAsync(db, group.Select(v => TenantDailyUsageFact.Of(tenantId, v)).ToList(), ct);
            }
        }, ct);
        DporTelemetry.UsageRowsRead.Add(daily.RowsRead, new KeyValuePair<string, object?>("report", report));
        RecordIngested(report, daily.Values.Select(v => v.Workload));
        return (daily.RefreshDate, daily.RowsRead, null);
    }

    /// <summary>
    /// The Copilot user detail: per Copilot subscription, its licensed users, seats and MAU (as workload
    /// <see cref="Workload.Copilot"/> beside the other workloads' facts) and each Copilot app's MAU, replacing the refresh
    /// date's earlier Copilot figures and nothing else.
    /// </summary>
    private async Task<(DateOnly RefreshDate, long Rows, bool? NamesConcealed)> ReadAndWriteCopilotAsync(Guid tenantId, Stream? file, CancellationToken ct)
    {
        var subscriptions = await TenantSubscriptionsAsync(tenantId, ct);
        Task<CopilotUsageSnapshot> Read(Stream stream, CancellationToken token) => CopilotUsageAggregator.AggregateAsync(stream, subscriptions, token);
        var snapshot = file is null
            ? await graph.ReadCopilotReportAsync(tenantId, UsageReports.CopilotUsageUserDetail, "period='D30'", Read, ct)
            : await Read(file, ct);
        var date = snapshot.RefreshDate;
        await WriteAsync(tenantId, async () =>
        {
            await db.Set<SubscriptionUsageFact>().Where(f => f.TenantId == tenantId && f.Date == date && f.Workload == Workload.Copilot)
                .ExecuteDeleteAsync(ct);
            await db.Set<CopilotAppUsageFact>().Where(f => f.TenantId == tenantId && f.Date == date).ExecuteDeleteAsync(ct);
            await db.Set<UnattributedUsageFact>().Where(f => f.TenantId == tenantId && f.Date == date && f.Workload == Workload.Copilot)
                .ExecuteDeleteAsync(ct);
            await FactRows.AddAsync(db, snapshot.Subscriptions.Select(u => SubscriptionUsageFact.Of(tenantId, date, u)).ToList(), ct);
            await FactRows.AddAsync(db, snapshot.Apps.Select(u => CopilotAppUsageFact.Of(tenantId, date, u)).ToList(), ct);
            await FactRows.AddAsync(db, snapshot.Unattributed.Select(u => UnattributedUsageFact.Of(tenantId, date, u)).ToList(), ct);
        }, ct);
        DporTelemetry.UsageRowsRead.Add(snapshot.RowsRead, new KeyValuePair<string, object?>("report", UsageReports.CopilotUsageUserDetail));
        RecordIngested(UsageReports.CopilotUsageUserDetail, snapshot.Subscriptions.Select(u => u.Workload));
        return (date, snapshot.RowsRead, snapshot.NamesConcealed);
    }

    /// <summary>
    /// The Copilot user-count trend: each day's Copilot active users split across the Copilot subscriptions (workload
    /// <see cref="Workload.Copilot"/> in the daily active users), replacing those days' earlier Copilot rows and nothing else.
    /// </summary>
    private async Task<(DateOnly RefreshDate, long Rows, bool? NamesConcealed)> ReadAndWriteCopilotTrendAsync(Guid tenantId, Stream? file, CancellationToken ct)
    {
        var subscriptions = await TenantSubscriptionsAsync(tenantId, ct);
        Task<CopilotTrendSnapshot> Read(Stream stream, CancellationToken token) => CopilotTrendAggregator.AggregateAsync(stream, subscriptions, token);
        var snapshot = file is null
            ? await graph.ReadCopilotReportAsync(tenantId, UsageReports.CopilotUserCountTrend, "period='D30'", Read, ct)
            : await Read(file, ct);
        var dates = snapshot.Dates.ToList();
        await WriteAsync(tenantId, async () =>
        {
            await db.Set<SubscriptionDailyUsageFact>()
                .Where(f => f.TenantId == tenantId && f.Workload == Workload.Copilot && dates.Contains(f.Date))
                .ExecuteDeleteAsync(ct);
            await FactRows.AddAsync(db, snapshot.Days.Select(d => SubscriptionDailyUsageFact.Of(tenantId, d.Date,
                new SubscriptionWorkloadUsage(d.SubscriptionId, Workload.Copilot, 0, 0, d.ActiveUsers))).ToList(), ct);
        }, ct);
        DporTelemetry.UsageRowsRead.Add(snapshot.RowsRead, new KeyValuePair<string, object?>("report", UsageReports.CopilotUserCountTrend));
        RecordIngested(UsageReports.CopilotUserCountTrend, snapshot.Days.Select(_ => Workload.Copilot));
        return (snapshot.RefreshDate, snapshot.RowsRead, null);
    }

    /// <summary>
    /// Pulls the per-user detail of one date (<c>(date=…)</c>, which Graph keeps for 30 days) and stores that day's daily
    /// active users per subscription, replacing the day's earlier figures; the given file instead of Graph's when not null
    /// (the demo's earlier days). Returns the rows read.
    /// </summary>
    public async Task<long> PullDailyActiveAsync(Guid tenantId, DateOnly date, Stream? file, CancellationToken ct)
    {
        using var activity = DporTelemetry.Source.StartActivity($"usage ingest {UsageReports.ActiveUserDetailOfDate}");
        activity?.SetTag(DporTelemetry.Tags.TenantId, tenantId);
        activity?.SetTag(DporTelemetry.Tags.UsageReport, UsageReports.ActiveUserDetailOfDate);
        try
        {
            var rows = await ReadAndWriteDayAsync(tenantId, date, file, ct);
            activity?.SetTag(DporTelemetry.Tags.Rows, rows);
            return rows;
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            throw;
        }
    }

    private async Task<long> ReadAndWriteDayAsync(Guid tenantId, DateOnly date, Stream? file, CancellationToken ct)
    {
        var subscriptions = await TenantSubscriptionsAsync(tenantId, ct);
        Task<ActiveUserSnapshot> Read(Stream stream, CancellationToken token) =>
            ActiveUserDetailAggregator.AggregateDayAsync(stream, subscriptions, date, token);
        var snapshot = file is null
            ? await graph.ReadReportAsync(tenantId, UsageReports.ActiveUserDetail, $"date={date:yyyy-MM-dd}", Read, ct)
            : await Read(file, ct);
        await WriteAsync(tenantId, async () =>
        {
            // Copilot's daily rows come from its own trend report and stay.
            await db.Set<SubscriptionDailyUsageFact>().Where(f => f.TenantId == tenantId && f.Date == date && f.Workload != Workload.Copilot)
                .ExecuteDeleteAsync(ct);
            await FactRows.AddAsync(db, snapshot.Subscriptions.Select(u => SubscriptionDailyUsageFact.Of(tenantId, date, u)).ToList(), ct);
        }, ct);
        DporTelemetry.UsageRowsRead.Add(snapshot.RowsRead, new KeyValuePair<string, object?>("report", UsageReports.ActiveUserDetailOfDate));
        RecordIngested(UsageReports.ActiveUserDetailOfDate, snapshot.Subscriptions.Select(u => u.Workload));
        return snapshot.RowsRead;
    }

    /// <summary>Fact rows written, per workload: recorded after the commit, so a failed or retried write counts once.</summary>
    private static void RecordIngested(string report, IEnumerable<Workload> workloads)
    {
        foreach (var group in workloads.GroupBy(w => w))
            DporTelemetry.UsageRowsIngested.Add(group.Count(),
                new KeyValuePair<string, object?>(DporTelemetry.Tags.UsageReport, report),
                new KeyValuePair<string, object?>(DporTelemetry.Tags.Workload, group.Key.ToString()));
    }

    /// <summary>The given file, or else the report's latest 30 days from Graph.</summary>
    private Task<T> ReadAsync<T>(Guid tenantId, string report, Stream? file, Func<Stream, CancellationToken, Task<T>> read, CancellationToken ct) =>
        file is null ? graph.ReadReportAsync(tenantId, report, "period='D30'", read, ct) : read(file, ct);

    /// <summary>Tenants whose usage is pulled: connected, consent active, and at least one verified assignment.</summary>
    public async Task<bool> IsEligibleAsync(Guid tenantId, CancellationToken ct) =>
        await db.CustomerTenants.AnyAsync(t => t.Id == tenantId && t.ConsentStatus == Tenants.ConsentStatus.Connected, ct)
        && await CustomerAssignments.CurrentOfTenant(db, tenantId).AnyAsync(a => a.State == AssignmentState.Verified, ct);

    private async Task<List<TenantSubscription>> TenantSubscriptionsAsync(Guid tenantId, CancellationToken ct) =>
        [.. (await db.Subscriptions.AsNoTracking().Where(s => s.TenantId == tenantId && s.DisappearedAt == null).ToListAsync(ct))
            .Select(s => new TenantSubscription(s.Id, s.SkuPartNumber, s.TotalLicenses, s.IsActive, s.Workloads.ToHashSet(), s.SkuId, s.IsTrial))];

    /// <summary>
    /// One transaction that deletes and re-adds the facts. On a server database a transient failure (failover, deadlock,
    /// serialization failure) makes the execution strategy run the whole unit again from the start, so each attempt begins
    /// with an empty change tracker: the facts of a failed attempt must not be saved twice, and <paramref name="replaceFacts"/>
    /// builds new rows from the file already read (Graph is not asked again). A replay after a commit whose acknowledgement
    /// was lost is harmless too: the unit replaces the same rows. Callers save their own changes first.
    /// </summary>
    private async Task WriteAsync(Guid tenantId, Func<Task> replaceFacts, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            // Two pulls of one tenant (a retry beside a slow original) replace facts in turn: without it both delete, then
            // the second insert hits the first's keys.
            await TransactionLocks.TakeAsync(db, $"usage-facts:{tenantId}", token);
            await replaceFacts();
            await db.SaveChangesAsync(token);
            // Last, so the partners' rows are locked only for the commit: their cached portfolios are now out of date, for
            // this tenant only.
            await TenantUsageChange.RecordAsync(db, tenantId, token);
            await transaction.CommitAsync(token);
        }, ct);
        db.ChangeTracker.Clear();
        DporTelemetry.UsageFactsWriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
