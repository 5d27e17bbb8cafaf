using DporReports.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Usage;

/// <summary>How fresh a tenant's usage is, per report: the newest refresh date, the last success, the last error since.</summary>
public sealed record ReportFreshness(string Report, DateOnly? RefreshDate, DateTimeOffset? LastSuccessAt, string? LastError,
    DateTimeOffset? LastErrorAt, bool? NamesConcealed);

public sealed record TenantFreshness(Guid TenantId, IReadOnlyList<ReportFreshness> Reports)
{
    /// <summary>The refresh date of the per-user detail: the date MAU and PAU are as of.</summary>
    public DateOnly? UsageAsOf => Reports.FirstOrDefault(r => r.Report == UsageReports.ActiveUserDetail)?.RefreshDate;
}

/// <summary>Ingestion health for operators: outcomes, slowness, throttling — never usage figures.</summary>
public sealed record IngestionHealth(IReadOnlyDictionary<IngestionOutcome, int> RunsByOutcome, IReadOnlyList<SlowTenant> SlowestTenants,
    int ThrottledRuns, IReadOnlyList<IngestionFailure> RecentFailures);

public sealed record SlowTenant(Guid TenantId, string TenantName, int Runs, int MaxDurationMilliseconds, double AverageDurationMilliseconds);

public sealed record IngestionFailure(Guid TenantId, string TenantName, string Report, IngestionOutcome Outcome, DateTimeOffset At, string? Error);

/// <summary>A product name Microsoft's table does not know, held by <paramref name="Users"/> users of a tenant on <paramref name="AsOf"/>.</summary>
public sealed record UnknownProduct(Guid TenantId, string TenantName, DateOnly AsOf, string Name, int Users);

public sealed class UsageQueries(DporDbContext db)
{
    /// <summary>
    /// Unknown product names per tenant, from each tenant's newest detail (all tenants when <paramref name="tenantIds"/> is
    /// null), most-held first: what the catalog should learn, never silently dropped.
    /// </summary>
    public async Task<List<UnknownProduct>> UnknownProductsAsync(IReadOnlyCollection<Guid>? tenantIds, CancellationToken ct)
    {
        var facts = db.Set<UnknownProductFact>().AsNoTracking().Where(f => tenantIds == null || tenantIds.Contains(f.TenantId));
        var rows = await UnknownProductFact.NewestPerTenant(facts)
            .Join(db.CustomerTenants, f => f.TenantId, t => t.Id, (f, t) => new { f.TenantId, t.DisplayName, f.Date, f.Name, f.Users })
            .ToListAsync(ct);
        return [.. rows.Select(r => new UnknownProduct(r.TenantId, r.DisplayName, r.Date, r.Name, r.Users))
            .OrderBy(r => r.TenantName, StringComparer.OrdinalIgnoreCase).ThenByDescending(r => r.Users).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    public async Task<Dictionary<Guid, TenantFreshness>> FreshnessAsync(IReadOnlyCollection<Guid> tenantIds, CancellationToken ct)
    {
        // The newest successful run and the newest unsuccessful run per (tenant, report), chosen by the database: however many
        // runs a tenant has, every tenant's answer is complete.
        var finished = db.Set<IngestionRun>().AsNoTracking().Where(r => tenantIds.Contains(r.TenantId) && r.Outcome != IngestionOutcome.Running);
        var latestIds = await finished
            .GroupBy(r => new { r.TenantId, r.Report, Succeeded = r.Outcome == IngestionOutcome.Succeeded })
            .Select(g => g.Max(r => r.Id))
            .ToListAsync(ct);
        var runs = await db.Set<IngestionRun>().AsNoTracking().Where(r => latestIds.Contains(r.Id)).ToListAsync(ct);
        return tenantIds.ToDictionary(id => id, id => new TenantFreshness(id, [.. runs.Where(r => r.TenantId == id).GroupBy(r => r.Report)
            .Select(g =>
            {
                var success = g.FirstOrDefault(r => r.Outcome == IngestionOutcome.Succeeded);
                var failure = g.FirstOrDefault(r => r.Outcome != IngestionOutcome.Succeeded && (success is null || r.Id > success.Id));
                return new ReportFreshness(g.Key, success?.RefreshDate, success?.StartedAt, failure?.Error, failure?.StartedAt, success?.NamesConcealed);
            })]));
    }

    public async Task<IngestionHealth> HealthAsync(DateTimeOffset since, CancellationToken ct)
    {
        var runs = await db.Set<IngestionRun>().AsNoTracking().Where(r => r.StartedAt >= since)
            .Join(db.CustomerTenants, r => r.TenantId, t => t.Id, (r, t) => new { Run = r, t.DisplayName })
            .ToListAsync(ct);
        return new IngestionHealth(
            runs.GroupBy(r => r.Run.Outcome).ToDictionary(g => g.Key, g => g.Count()),
            [.. runs.GroupBy(r => (r.Run.TenantId, r.DisplayName))
                .Select(g => new SlowTenant(g.Key.TenantId, g.Key.DisplayName, g.Count(), g.Max(r => r.Run.DurationMilliseconds),
                    g.Average(r => r.Run.DurationMilliseconds)))
                .OrderByDescending(s => s.MaxDurationMilliseconds).Take(10)],
            runs.Count(r => r.Run.ThrottledWaits > 0 || (r.Run.Error ?? "").Contains("429", StringComparison.Ordinal)),
            [.. runs.Where(r => r.Run.Outcome is not (IngestionOutcome.Succeeded or IngestionOutcome.Running))
                .OrderByDescending(r => r.Run.StartedAt).Take(20)
                .Select(r => new IngestionFailure(r.Run.TenantId, r.DisplayName, r.Run.Report, r.Run.Outcome, r.Run.StartedAt, r.Run.Error))]);
    }
}
