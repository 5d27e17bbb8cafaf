using System.ComponentModel.DataAnnotations;
using DporReports.Core.Data;
using DporReports.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Usage;

public sealed class UsageRetentionOptions
{
    public const string SectionName = "UsageRetention";

    /// <summary>
    /// Days of usage facts kept (all fact tables). 400 = thirteen months: a year against the same month a year earlier. The
    /// dashboards need at most six months and the month before them, hence the lower bound.
    /// </summary>
    [Range(190, 3660)] public int FactDays { get; set; } = 400;

    /// <summary>Days of ingestion runs kept: the backfill looks 28 days back for the days it has, the health page up to 30 days.</summary>
    [Range(35, 3660)] public int IngestionRunDays { get; set; } = 90;
}

/// <summary>
/// Daily: deletes usage facts and ingestion runs older than <see cref="UsageRetentionOptions"/>, so the fact tables stay
/// bounded (deploy/README.md "Capacity"). Tenant by tenant: every fact table's key starts with the tenant, so each delete
/// reads one tenant's range of the key, never the whole table (no fact table has an index on the date alone). Facts
/// deleted change what a partner's portfolio is computed from, so their partners' usage version is raised in the same
/// transaction and the tenant recorded as changed, as the ingestion does. Re-entrant: a second run finds nothing to delete.
/// </summary>
[Queue(JobQueues.Default)]
public sealed class PruneUsageHistoryJob(DporDbContext db, IOptions<UsageRetentionOptions> options, TimeProvider clock, ILogger<PruneUsageHistoryJob> log)
{
    public const string RecurringId = "usage:prune";

    /// <summary>Once a day at 03:30 UTC, outside the hour of most report schedules.</summary>
    public const string Cron = "30 3 * * *";

    [DisableConcurrentExecution("usage:prune", 3600)]
    public async Task<long> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var factsBefore = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-options.Value.FactDays);
        var runsBefore = now.AddDays(-options.Value.IngestionRunDays);
        var tenants = await db.CustomerTenants.AsNoTracking().Select(t => t.Id).ToListAsync(ct);
        long facts = 0, runs = 0;
        foreach (var tenantId in tenants)
        {
            facts += await PruneFactsAsync(tenantId, factsBefore, ct);
            runs += await db.Set<IngestionRun>()
                .Where(r => r.TenantId == tenantId && r.StartedAt < runsBefore && r.Outcome != IngestionOutcome.Running)
                .ExecuteDeleteAsync(ct);
        }
        log.LogInformation("Usage history pruned: {Facts} facts before {FactsBefore}, {Runs} ingestion runs before {RunsBefore}", facts, factsBefore, runs,
            runsBefore);
        return facts + runs;
    }

    private async Task<int> PruneFactsAsync(Guid tenantId, DateOnly before, CancellationToken ct) =>
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            // A retried attempt starts from the database's rows, not from what a rolled-back attempt left tracked.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            // The same lock as the facts transaction of a pull: a pull of this tenant and its pruning take turns.
            await TransactionLocks.TakeAsync(db, $"usage-facts:{tenantId}", token);
            var deleted = await db.Set<SubscriptionUsageFact>().Where(f => f.TenantId == tenantId && f.Date < before).ExecuteDeleteAsync(token)
                + await db.Set<SubscriptionDailyUsageFact>().Where(f => f.TenantId == tenantId && f.Date < before).ExecuteDeleteAsync(token)
                + await db.Set<TenantDailyUsageFact>().Where(f => f.TenantId == tenantId && f.Date < before).ExecuteDeleteAsync(token)
                + await db.Set<UnattributedUsageFact>().Where(f => f.TenantId == tenantId && f.Date < before).ExecuteDeleteAsync(token)
                + await db.Set<UnknownProductFact>().Where(f => f.TenantId == tenantId && f.Date < before).ExecuteDeleteAsync(token);
            if (deleted > 0) await TenantUsageChange.RecordAsync(db, tenantId, token);
            await transaction.CommitAsync(token);
            return deleted;
        }, ct);
}
