using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenancy;
using DporReports.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Reports;

/// <summary>
/// One verified assignment's window of visible days: from the day it was verified, up to (not including) the day it ended,
/// minus the days it was suspended. design.md §2 "What a partner may see".
/// </summary>
public sealed record AssignmentWindow(Guid AssignmentId, Guid TenantId, Guid SubscriptionId, DateOnly From, DateOnly? Until,
    IReadOnlyList<(DateOnly From, DateOnly? Until)> Suspensions)
{
    public bool Contains(DateOnly day) =>
        day >= From && (Until is null || day < Until) && !Suspensions.Any(s => day >= s.From && (s.Until is null || day < s.Until));
}

public sealed record WorkloadUsage(Workload Workload, int Seats, int LicensedUsers, int ActiveUsers)
{
    /// <summary>MAU / PAU; null when there are no seats (shown as "—", never a division error).</summary>
    public decimal? UsagePercent => Seats == 0 ? null : Math.Round((decimal)ActiveUsers / Seats, 4);
}

public sealed record SubscriptionUsage(Guid SubscriptionId, string ProductName, ProductFamily Family, int Seats, DateOnly? AsOf,
    IReadOnlyList<WorkloadUsage> Workloads);

public sealed record CustomerUsage(Guid TenantId, string TenantName, DateOnly? AsOf, IReadOnlyList<SubscriptionUsage> Subscriptions,
    IReadOnlyList<AssignmentWindow> Windows);

public sealed record DailyActiveUsers(DateOnly Date, Workload Workload, long Users);

/// <summary>
/// The only way partner-facing code reads usage: every fact passes through the signed-in partner's verified assignment
/// windows. Assignments come from the partner-scoped (filtered) set, so another partner's subscriptions cannot even be
/// named; days outside a window (before verification, after removal, while suspended) are dropped.
/// </summary>
public sealed class PartnerUsageQuery(DporDbContext db, PartnerScope scope)
{
    /// <summary>The partner's verified windows (current and ended), by tenant.</summary>
    public async Task<List<AssignmentWindow>> WindowsAsync(CancellationToken ct)
    {
        _ = scope.PartnerId; // fail fast, before any query, when no partner is in scope
        var assignments = await db.Assignments.AsNoTracking().Where(a => a.VerifiedAt != null).ToListAsync(ct);
        var ids = assignments.Select(a => (Guid?)a.Id).ToList();
        var transitions = await db.AssignmentEvents.AsNoTracking()
            .Where(e => ids.Contains(e.AssignmentAfterId) && (e.Kind == AssignmentEventKind.Suspended || e.Kind == AssignmentEventKind.Resumed))
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new { e.AssignmentAfterId, e.Kind, e.At })
            .ToListAsync(ct);
        return [.. assignments.Select(a =>
        {
            var suspensions = new List<(DateOnly, DateOnly?)>();
            DateOnly? suspendedSince = null;
            foreach (var t in transitions.Where(t => t.AssignmentAfterId == a.Id))
            {
                if (t.Kind == AssignmentEventKind.Suspended) suspendedSince ??= Day(t.At);
                else if (suspendedSince is { } since) { suspensions.Add((since, Day(t.At))); suspendedSince = null; }
            }
            if (suspendedSince is { } open) suspensions.Add((open, null));
            return new AssignmentWindow(a.Id, a.TenantId, a.SubscriptionId, Day(a.VerifiedAt!.Value), a.EndedAt is { } end ? Day(end) : null, suspensions);
        })];
    }

    /// <summary>
    /// The customers and subscriptions the partner is the verified partner of record of on <paramref name="asOf"/>, each with
    /// its latest visible usage on or before that day (MAU, PAU, usage %). A removed assignment drops out from its end on.
    /// </summary>
    public async Task<List<CustomerUsage>> CustomersAsync(DateOnly asOf, Guid? onlyTenant, CancellationToken ct)
    {
        var windows = (await WindowsAsync(ct))
            .Where(w => (onlyTenant is null || w.TenantId == onlyTenant) && w.From <= asOf && (w.Until is null || asOf < w.Until))
            .ToList();
        if (windows.Count == 0) return [];
        var subscriptionIds = windows.Select(w => w.SubscriptionId).Distinct().ToList();
        var since = windows.Min(w => w.From);
        var facts = await db.Set<SubscriptionUsageFact>().AsNoTracking()
            .Where(f => subscriptionIds.Contains(f.SubscriptionId) && f.Date >= since && f.Date <= asOf)
            .ToListAsync(ct);
        var visible = facts.Where(f => windows.Any(w => w.SubscriptionId == f.SubscriptionId && w.Contains(f.Date))).ToList();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var tenantIds = windows.Select(w => w.TenantId).Distinct().ToList();
        var tenants = await db.CustomerTenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);

        return [.. windows.GroupBy(w => w.TenantId).Select(tenant =>
        {
            var rows = tenant.Select(w => w.SubscriptionId).Distinct().Select(id =>
            {
                var latest = visible.Where(f => f.SubscriptionId == id).GroupBy(f => f.Date).MaxBy(g => g.Key);
                var subscription = subscriptions[id];
                return new SubscriptionUsage(id, subscription.ProductName, subscription.Family,
                    latest?.Max(f => f.Seats) ?? 0, latest?.Key,
                    [.. (latest ?? Enumerable.Empty<SubscriptionUsageFact>()).OrderBy(f => f.Workload)
                        .Select(f => new WorkloadUsage(f.Workload, f.Seats, f.LicensedUsers, f.ActiveUsers))]);
            }).OrderBy(s => s.ProductName).ToList();
            return new CustomerUsage(tenant.Key, tenants.GetValueOrDefault(tenant.Key, tenant.Key.ToString()),
                rows.Max(r => r.AsOf), rows, [.. tenant]);
        }).OrderBy(c => c.TenantName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>A customer's tenant-level daily active users, only on days the partner held a visible window in that tenant.</summary>
    public async Task<List<DailyActiveUsers>> DailyActiveUsersAsync(Guid tenantId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var windows = (await WindowsAsync(ct)).Where(w => w.TenantId == tenantId).ToList();
        if (windows.Count == 0) return [];
        var rows = await db.Set<TenantDailyUsageFact>().AsNoTracking()
            .Where(f => f.TenantId == tenantId && f.Metric == "ActiveUsers" && f.Date >= from && f.Date <= to)
            .OrderBy(f => f.Date).ThenBy(f => f.Workload)
            .ToListAsync(ct);
        return [.. rows.Where(f => windows.Any(w => w.Contains(f.Date))).Select(f => new DailyActiveUsers(f.Date, f.Workload, f.Value))];
    }

    /// <summary>
    /// The portfolio trend: daily active users per workload summed over all the partner's customers, each tenant's days
    /// filtered by that tenant's windows exactly like <see cref="DailyActiveUsersAsync"/>. Days with no visible fact are absent.
    /// </summary>
    public async Task<List<DailyActiveUsers>> PortfolioDailyActiveUsersAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var windows = (await WindowsAsync(ct)).Where(w => w.From <= to && (w.Until is null || w.Until > from)).ToLookup(w => w.TenantId);
        if (windows.Count == 0) return [];
        var tenantIds = windows.Select(g => g.Key).ToList();
        var rows = await db.Set<TenantDailyUsageFact>().AsNoTracking()
            .Where(f => tenantIds.Contains(f.TenantId) && f.Metric == "ActiveUsers" && f.Date >= from && f.Date <= to)
            .Select(f => new { f.TenantId, f.Date, f.Workload, f.Value })
            .ToListAsync(ct);
        return [.. rows.Where(f => windows[f.TenantId].Any(w => w.Contains(f.Date)))
            .GroupBy(f => (f.Date, f.Workload))
            .OrderBy(g => g.Key.Date).ThenBy(g => g.Key.Workload)
            .Select(g => new DailyActiveUsers(g.Key.Date, g.Key.Workload, g.Sum(f => f.Value)))];
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
