using System.Collections;
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

    /// <summary>The latest day on or before <paramref name="day"/> that this window shows, or null when there is none.</summary>
    public DateOnly? LatestVisibleOnOrBefore(DateOnly day)
    {
        var candidate = Until is { } until && until <= day ? until.AddDays(-1) : day;
        // Each step jumps below a suspension containing the candidate, so the loop ends after at most one step per suspension.
        while (candidate >= From)
        {
            var covering = Suspensions.Where(s => candidate >= s.From && (s.Until is null || candidate < s.Until)).Select(s => (DateOnly?)s.From).Min();
            if (covering is null) return candidate;
            candidate = covering.Value.AddDays(-1);
        }
        return null;
    }
}

/// <summary>
/// The signed-in partner's verified windows, read once per operation and handed back to <see cref="PartnerUsageQuery"/>.
/// Only the query creates it, and it remembers whose windows it holds: windows of another partner (or made up by a caller)
/// cannot be passed in to widen what the query reads.
/// </summary>
public sealed class PartnerWindows : IReadOnlyList<AssignmentWindow>
{
    private readonly IReadOnlyList<AssignmentWindow> _windows;

    internal PartnerWindows(Guid partnerId, IReadOnlyList<AssignmentWindow> windows) => (PartnerId, _windows) = (partnerId, windows);

    public Guid PartnerId { get; }
    public int Count => _windows.Count;
    public AssignmentWindow this[int index] => _windows[index];
    public IEnumerator<AssignmentWindow> GetEnumerator() => _windows.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public sealed record WorkloadUsage(Workload Workload, int Seats, int LicensedUsers, int ActiveUsers)
{
    /// <summary>Licensed users active in the 90 days ending on the usage day; null where not counted.</summary>
    public int? ActiveUsers90Days { get; init; }

    /// <summary>MAU / PAU; null when there are no seats (shown as "—", never a division error).</summary>
    public decimal? UsagePercent => Seats == 0 ? null : Math.Round((decimal)ActiveUsers / Seats, 4);
}

public sealed record SubscriptionUsage(Guid SubscriptionId, string ProductName, ProductFamily Family, int Seats, DateOnly? AsOf,
    IReadOnlyList<WorkloadUsage> Workloads)
{
    /// <summary>What tells it apart from another subscription of the same product (null where not loaded).</summary>
    public SubscriptionDetails? Details { get; init; }
}

public sealed record CustomerUsage(Guid TenantId, string TenantName, DateOnly? AsOf, IReadOnlyList<SubscriptionUsage> Subscriptions,
    IReadOnlyList<AssignmentWindow> Windows);

public sealed record DailyActiveUsers(DateOnly Date, Workload Workload, long Users);

/// <summary>Daily figures summed over the days of a range that have one, and how many days did (a missing day is neither 0 nor a day).</summary>
public readonly record struct DaySum(long Users, int Days)
{
    public DaySum Add(int users) => new(Users + users, Days + 1);
}

/// <summary>
/// One (subscription, workload)'s daily active users over the week ending on its usage day and the week before, and over
/// the month ending on it and the month before (<see cref="PartnerUsageQuery.DailyActiveUserSumsAsync"/>).
/// </summary>
public sealed record DailyActiveUserSums(DaySum Week, DaySum PreviousWeek, DaySum Month, DaySum PreviousMonth)
{
    public static readonly DailyActiveUserSums None = new(default, default, default, default);
}

/// <summary>
/// The only way partner-facing code reads usage: every fact passes through the signed-in partner's verified assignment
/// windows. Assignments come from the partner-scoped (filtered) set, so another partner's subscriptions cannot even be
/// named; days outside a window (before verification, after removal, while suspended) are dropped. Operations that need
/// several reads take the windows once (<see cref="WindowsAsync(CancellationToken)"/>) and pass them to the overloads.
/// </summary>
/// <remarks>
/// Id lists go to the database as one JSON parameter (<c>EF.Parameter</c>): EF's default of one SQL parameter per id would
/// make statements with thousands of parameters for a large partner, a different statement for every count.
/// </remarks>
public sealed class PartnerUsageQuery(DporDbContext db, PartnerScope scope)
{
    /// <summary>
    /// Why a report scope (tenant ids chosen by the partner) is refused, or null: each tenant must be one the partner holds
    /// or held a verified window in. Requests and schedules alike ask here.
    /// </summary>
    public async Task<string?> RefuseScopeAsync(IReadOnlyCollection<Guid> tenantIds, CancellationToken ct)
    {
        if (tenantIds.Count == 0) return null;
        var mine = (await WindowsAsync(ct)).Select(w => w.TenantId).ToHashSet();
        return tenantIds.Where(t => !mine.Contains(t)).Select(t => (Guid?)t).FirstOrDefault() is { } foreign
            ? $"You are not the verified partner of record of any subscription of tenant {foreign}."
            : null;
    }

    /// <summary>The partner's verified windows (current and ended).</summary>
    public Task<PartnerWindows> WindowsAsync(CancellationToken ct) => WindowsAsync(tenantIds: null, ct);

    /// <summary>
    /// The partner's verified windows (current and ended) in the given tenants only (all when null): what a portfolio
    /// recomputing a few changed customers reads, instead of every window of a large partner.
    /// </summary>
    public async Task<PartnerWindows> WindowsAsync(IReadOnlyCollection<Guid>? tenantIds, CancellationToken ct)
    {
        var partnerId = scope.PartnerId; // fail fast, before any query, when no partner is in scope
        var only = tenantIds?.ToList();
        var verified = db.Assignments.AsNoTracking().Where(a => a.VerifiedAt != null);
        if (only is not null) verified = verified.Where(a => EF.Parameter(only).Contains(a.TenantId));
        var assignments = await verified
            .Select(a => new { a.Id, a.TenantId, a.SubscriptionId, VerifiedAt = a.VerifiedAt!.Value, a.EndedAt })
            .ToListAsync(ct);
        var ids = assignments.Select(a => (Guid?)a.Id).ToList();
        var transitions = (await db.AssignmentEvents.AsNoTracking()
            .Where(e => EF.Parameter(ids).Contains(e.AssignmentAfterId) && (e.Kind == AssignmentEventKind.Suspended || e.Kind == AssignmentEventKind.Resumed))
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new { e.AssignmentAfterId, e.Kind, e.At })
            .ToListAsync(ct)).ToLookup(e => e.AssignmentAfterId!.Value);
        return new PartnerWindows(partnerId, [.. assignments.Select(a =>
        {
            var suspensions = new List<(DateOnly, DateOnly?)>();
            DateOnly? suspendedSince = null;
            foreach (var t in transitions[a.Id])
            {
                if (t.Kind == AssignmentEventKind.Suspended) suspendedSince ??= Day(t.At);
                else if (suspendedSince is { } since) { suspensions.Add((since, Day(t.At))); suspendedSince = null; }
            }
            if (suspendedSince is { } open) suspensions.Add((open, null));
            return new AssignmentWindow(a.Id, a.TenantId, a.SubscriptionId, Day(a.VerifiedAt), a.EndedAt is { } end ? Day(end) : null, suspensions);
        })]);
    }

    /// <summary>
    /// The customers and subscriptions the partner is the verified partner of record of on <paramref name="asOf"/>, each with
    /// its latest visible usage on or before that day (MAU, PAU, usage %). A removed assignment drops out from its end on.
    /// </summary>
    public Task<List<CustomerUsage>> CustomersAsync(PartnerWindows windows, DateOnly asOf, Guid? onlyTenant, CancellationToken ct) =>
        CustomersOfAsync(Own(windows), asOf, onlyTenant, ct);

    /// <summary>
    /// <see cref="CustomersAsync"/> over windows the caller vouches for: the partner's own (checked above), or a customer's
    /// whole history of its own tenant (<see cref="WholeHistory"/>) for the customer's pages.
    /// </summary>
    internal async Task<List<CustomerUsage>> CustomersOfAsync(IReadOnlyList<AssignmentWindow> windows, DateOnly asOf, Guid? onlyTenant, CancellationToken ct)
    {
        var current = windows
            .Where(w => (onlyTenant is null || w.TenantId == onlyTenant) && w.From <= asOf && (w.Until is null || asOf < w.Until))
            .ToList();
        if (current.Count == 0) return [];
        var bySubscription = current.ToLookup(w => w.SubscriptionId);
        var latest = await LatestVisibleDaysAsync(bySubscription, asOf, ct);
        var facts = await FactsOnAsync(latest, ct);
        var subscriptionIds = bySubscription.Select(g => g.Key).ToList();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => EF.Parameter(subscriptionIds).Contains(s.Id))
            .Select(s => new { s.Id, s.ProductName, s.Family, s.TotalLicenses, s.IsTrial, s.Status, s.DisappearedAt, s.CommerceSubscriptionId, s.NextLifecycleAt })
            .ToDictionaryAsync(s => s.Id, ct);
        var tenantIds = current.Select(w => w.TenantId).Distinct().ToList();
        var tenants = await db.CustomerTenants.AsNoTracking().Where(t => EF.Parameter(tenantIds).Contains(t.Id))
            .Select(t => new { t.Id, t.DisplayName })
            .ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);

        return [.. current.GroupBy(w => w.TenantId).Select(tenant =>
        {
            var rows = tenant.Select(w => w.SubscriptionId).Distinct().Select(id =>
            {
                var own = facts[id].Select(f => f.Usage).OrderBy(u => u.Workload).ToList();
                var subscription = subscriptions[id];
                var active = subscription.DisappearedAt is null && subscription.Status is SubscriptionStatus.Enabled or SubscriptionStatus.Warning;
                // Before its first pull in the window a subscription has no facts: its seats are the inventory's, not 0.
                var seats = own.Count > 0 ? own.Max(u => u.Seats) : active && !subscription.IsTrial ? subscription.TotalLicenses : 0;
                var reference = Subscription.ReferenceOf(subscription.CommerceSubscriptionId, id);
                return new SubscriptionUsage(id, subscription.ProductName, subscription.Family, seats, latest.TryGetValue(id, out var day) ? day : null, own)
                {
                    Details = new SubscriptionDetails(reference, subscription.TotalLicenses, subscription.IsTrial, subscription.NextLifecycleAt),
                };
            }).OrderBy(s => s.ProductName).ToList();
            return new CustomerUsage(tenant.Key, tenants.GetValueOrDefault(tenant.Key, tenant.Key.ToString()),
                rows.Max(r => r.AsOf), rows, [.. tenant]);
        }).OrderBy(c => c.TenantName, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.TenantId)];
    }

    /// <summary>
    /// Each Copilot app's MAU for the given subscriptions (as <see cref="CustomersAsync"/> returned them, i.e. already through
    /// the windows) on each one's own as-of day; subscriptions without Copilot figures that day are absent.
    /// </summary>
    public async Task<Dictionary<Guid, List<CopilotAppUsage>>> CopilotAppsAsync(IEnumerable<SubscriptionUsage> subscriptions, CancellationToken ct)
    {
        var asOf = subscriptions.Where(s => s.AsOf is not null && s.Workloads.Any(w => w.Workload == Workload.Copilot))
            .ToDictionary(s => s.SubscriptionId, s => s.AsOf!.Value);
        if (asOf.Count == 0) return [];
        var ids = asOf.Keys.ToList();
        var days = asOf.Values.Distinct().ToList();
        var facts = await db.Set<CopilotAppUsageFact>().AsNoTracking()
            .Where(f => EF.Parameter(ids).Contains(f.SubscriptionId) && EF.Parameter(days).Contains(f.Date))
            .Select(f => new { f.SubscriptionId, f.App, f.Date, f.ActiveUsers })
            .ToListAsync(ct);
        return facts.Where(f => asOf[f.SubscriptionId] == f.Date)
            .GroupBy(f => f.SubscriptionId)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.App).Select(f => new CopilotAppUsage(f.SubscriptionId, f.App, f.ActiveUsers)).ToList());
    }

    /// <summary>
    /// Daily active users of many customers in one pass (all the partner's customers when <paramref name="tenantIds"/> is
    /// null), by tenant: per day and workload, the sum over the tenant's subscriptions of this partner of their daily
    /// active users (design.md §3), each subscription's day kept only when one of its windows shows it — never a
    /// tenant-wide count, which would include other partners' subscriptions. Each tenant's list is ordered by day, then
    /// workload; a day with no pulled figure is absent (missing, not 0); tenants without a visible day are absent.
    /// </summary>
    public async Task<Dictionary<Guid, List<DailyActiveUsers>>> DailyActiveUsersAsync(PartnerWindows windows, IReadOnlyCollection<Guid>? tenantIds,
        DateOnly from, DateOnly to, CancellationToken ct)
    {
        var sums = new Dictionary<(Guid Tenant, DateOnly Date, Workload Workload), long>();
        var visible = VisibleDays(windows, tenantIds, from, to);
        if (visible.Count == 0) return [];
        var ids = visible.Keys.ToList();
        var rows = db.Set<SubscriptionDailyUsageFact>().AsNoTracking()
            .Where(f => EF.Parameter(ids).Contains(f.SubscriptionId) && f.Date >= from && f.Date <= to)
            .Select(f => new { f.TenantId, f.SubscriptionId, f.Date, f.Workload, f.ActiveUsers })
            .AsAsyncEnumerable();
        await foreach (var f in rows.WithCancellation(ct))
        {
            if (!visible[f.SubscriptionId][f.Date.DayNumber - from.DayNumber]) continue;
            sums[(f.TenantId, f.Date, f.Workload)] = sums.GetValueOrDefault((f.TenantId, f.Date, f.Workload)) + f.ActiveUsers;
        }
        return sums.GroupBy(s => s.Key.Tenant).ToDictionary(g => g.Key, g => g
            .OrderBy(s => s.Key.Date).ThenBy(s => s.Key.Workload)
            .Select(s => new DailyActiveUsers(s.Key.Date, s.Key.Workload, s.Value)).ToList());
    }

    /// <summary>
    /// The portfolio trend: daily active users per day and workload summed over the partner's customers (or the given
    /// ones), each subscription's days filtered by its windows exactly as in <see cref="DailyActiveUsersAsync"/>.
    /// Subscriptions whose windows show every day of the period — nearly all of them — are summed by the database; only
    /// the others' rows are read and filtered here. Days with no visible fact are absent.
    /// </summary>
    public async Task<List<DailyActiveUsers>> TotalDailyActiveUsersAsync(PartnerWindows windows, IReadOnlyCollection<Guid>? tenantIds,
        DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (whole, partial) = SplitWhole(VisibleDays(windows, tenantIds, from, to));
        var sums = new Dictionary<(DateOnly Date, Workload Workload), long>();
        if (whole.Count > 0)
        {
            var totals = await db.Set<SubscriptionDailyUsageFact>().AsNoTracking()
                .Where(f => EF.Parameter(whole).Contains(f.SubscriptionId) && f.Date >= from && f.Date <= to)
                .GroupBy(f => new { f.Date, f.Workload })
                .Select(g => new { g.Key.Date, g.Key.Workload, Users = g.Sum(f => f.ActiveUsers) })
                .ToListAsync(ct);
            foreach (var t in totals) sums[(t.Date, t.Workload)] = t.Users;
        }
        if (partial.Count > 0)
        {
            var ids = partial.Keys.ToList();
            var rows = db.Set<SubscriptionDailyUsageFact>().AsNoTracking()
                .Where(f => EF.Parameter(ids).Contains(f.SubscriptionId) && f.Date >= from && f.Date <= to)
                .Select(f => new { f.SubscriptionId, f.Date, f.Workload, f.ActiveUsers })
                .AsAsyncEnumerable();
            await foreach (var f in rows.WithCancellation(ct))
                if (partial[f.SubscriptionId][f.Date.DayNumber - from.DayNumber])
                    sums[(f.Date, f.Workload)] = sums.GetValueOrDefault((f.Date, f.Workload)) + f.ActiveUsers;
        }
        return [.. sums.OrderBy(s => s.Key.Date).ThenBy(s => s.Key.Workload).Select(s => new DailyActiveUsers(s.Key.Date, s.Key.Workload, s.Value))];
    }

    /// <summary>
    /// The trend of <see cref="TotalDailyActiveUsersAsync"/> kept apart per tenant (every tenant of the given windows), so
    /// that a cached portfolio can replace one customer's share without reading the others'. Each tenant's figures are one
    /// array indexed by (day − <paramref name="from"/>) × <see cref="TrendWorkloads"/> + workload, −1 where the tenant has no
    /// visible figure (missing, not 0). Whole-period subscriptions are summed by the database, as in the total.
    /// </summary>
    public async Task<Dictionary<Guid, int[]>> DailyActiveUsersByTenantAsync(PartnerWindows windows, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (whole, partial) = SplitWhole(VisibleDays(windows, tenantIds: null, from, to));
        var days = to.DayNumber - from.DayNumber + 1;
        var byTenant = new Dictionary<Guid, int[]>();
        void Add(Guid tenant, DateOnly date, Workload workload, int users)
        {
            if (!byTenant.TryGetValue(tenant, out var figures)) byTenant[tenant] = figures = EmptyTrend(days);
            var at = ((date.DayNumber - from.DayNumber) * TrendWorkloads) + (int)workload;
            figures[at] = Math.Max(figures[at], 0) + users;
        }
        if (whole.Count > 0)
        {
            var sums = db.Set<SubscriptionDailyUsageFact>().AsNoTracking()
                .Where(f => EF.Parameter(whole).Contains(f.SubscriptionId) && f.Date >= from && f.Date <= to)
                .GroupBy(f => new { f.TenantId, f.Date, f.Workload })
                .Select(g => new { g.Key.TenantId, g.Key.Date, g.Key.Workload, Users = g.Sum(f => f.ActiveUsers) })
                .AsAsyncEnumerable();
            await foreach (var t in sums.WithCancellation(ct)) Add(t.TenantId, t.Date, t.Workload, t.Users);
        }
        if (partial.Count > 0)
        {
            var ids = partial.Keys.ToList();
            var rows = db.Set<SubscriptionDailyUsageFact>().AsNoTracking()
                .Where(f => EF.Parameter(ids).Contains(f.SubscriptionId) && f.Date >= from && f.Date <= to)
                .Select(f => new { f.TenantId, f.SubscriptionId, f.Date, f.Workload, f.ActiveUsers })
                .AsAsyncEnumerable();
            await foreach (var f in rows.WithCancellation(ct))
                if (partial[f.SubscriptionId][f.Date.DayNumber - from.DayNumber])
                    Add(f.TenantId, f.Date, f.Workload, f.ActiveUsers);
        }
        return byTenant;
    }

    /// <summary>One tenant's array of <see cref="DailyActiveUsersByTenantAsync"/> as the list <see cref="DailyActiveUsersAsync"/> gives (missing slots absent).</summary>
    public static List<DailyActiveUsers> TrendDays(int[] figures, DateOnly from)
    {
        var days = new List<DailyActiveUsers>();
        for (var i = 0; i < figures.Length; i++)
            if (figures[i] >= 0) days.Add(new DailyActiveUsers(from.AddDays(i / TrendWorkloads), (Workload)(i % TrendWorkloads), figures[i]));
        return days;
    }

    /// <summary>Workloads per day in the arrays of <see cref="DailyActiveUsersByTenantAsync"/>.</summary>
    public static readonly int TrendWorkloads = Enum.GetValues<Workload>().Length;

    private static int[] EmptyTrend(int days)
    {
        var figures = new int[days * TrendWorkloads];
        Array.Fill(figures, -1);
        return figures;
    }

    /// <summary>
    /// Product names Microsoft's table does not know, from the newest detail of each of the partner's customers (or the
    /// given ones) with a current window: counts of users per name, which the About sheet lists so nothing is silently dropped.
    /// </summary>
    public async Task<List<(Guid TenantId, string Name, int Users)>> UnknownProductsAsync(PartnerWindows windows, IReadOnlyCollection<Guid> tenantIds,
        CancellationToken ct)
    {
        var held = Own(windows).Select(w => w.TenantId).Where(tenantIds.Contains).Distinct().ToList();
        if (held.Count == 0) return [];
        var facts = db.Set<UnknownProductFact>().AsNoTracking().Where(f => EF.Parameter(held).Contains(f.TenantId));
        var rows = await UnknownProductFact.NewestPerTenant(facts)
            .Select(f => new { f.TenantId, f.Name, f.Users }).ToListAsync(ct);
        return [.. rows.OrderByDescending(r => r.Users).ThenBy(r => r.Name, StringComparer.Ordinal).Select(r => (r.TenantId, r.Name, r.Users))];
    }

    /// <summary>Per subscription (with a window overlapping the period), one flag per day of [from, to]: does a window show that day?</summary>
    private Dictionary<Guid, bool[]> VisibleDays(PartnerWindows windows, IReadOnlyCollection<Guid>? tenantIds, DateOnly from, DateOnly to)
    {
        if (to < from) return [];
        var only = tenantIds?.ToHashSet();
        return Own(windows)
            .Where(w => (only is null || only.Contains(w.TenantId)) && w.From <= to && (w.Until is null || w.Until > from))
            .GroupBy(w => w.SubscriptionId)
            .ToDictionary(g => g.Key, g => ShownDays(g, from, to));
    }

    /// <summary>One flag per day of [from, to]: does one of the subscription's windows show that day?</summary>
    private static bool[] ShownDays(IEnumerable<AssignmentWindow> windows, DateOnly from, DateOnly to) =>
        [.. Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(offset => windows.Any(w => w.Contains(from.AddDays(offset))))];

    /// <summary>
    /// Splits subscriptions by their shown days: those shown on every day of their span (nearly all), whose rows the database
    /// may sum unfiltered, and the others with their flags, whose rows are read and kept only on a shown day. The readers of
    /// daily figures all split this way, so each decides "whole" the same way.
    /// </summary>
    private static (List<Guid> Whole, Dictionary<Guid, bool[]> Partial) SplitWhole(Dictionary<Guid, bool[]> shown)
    {
        var whole = new List<Guid>();
        var partial = new Dictionary<Guid, bool[]>();
        foreach (var (id, days) in shown)
        {
            if (Array.TrueForAll(days, day => day)) whole.Add(id);
            else partial[id] = days;
        }
        return (whole, partial);
    }

    /// <summary>
    /// Each subscription's latest day with facts that one of its current windows shows, on or before <paramref name="asOf"/>.
    /// One MAX per subscription per round over the (SubscriptionId, Date) index; a latest day that falls on a suspended day
    /// is not shown, so that subscription asks again below the suspension — the next round only for those few.
    /// </summary>
    private async Task<Dictionary<Guid, DateOnly>> LatestVisibleDaysAsync(ILookup<Guid, AssignmentWindow> windows, DateOnly asOf, CancellationToken ct)
    {
        static DateOnly? Bound(IEnumerable<AssignmentWindow> own, DateOnly day) => own.Select(w => w.LatestVisibleOnOrBefore(day)).Max();

        var found = new Dictionary<Guid, DateOnly>();
        var pending = windows.Select(g => (Id: g.Key, Bound: Bound(g, asOf)))
            .Where(p => p.Bound is not null).ToDictionary(p => p.Id, p => p.Bound!.Value);
        while (pending.Count > 0)
        {
            var next = new Dictionary<Guid, DateOnly>();
            // Subscriptions sharing an upper bound share a query; normally that is all of them (the bound is asOf).
            foreach (var group in pending.GroupBy(p => p.Value))
            {
                var ids = group.Select(p => p.Key).ToList();
                var bound = group.Key;
                var since = ids.SelectMany(id => windows[id]).Min(w => w.From);
                // A MAX per subscription in a correlated subquery: SQLite then reads one end of the index range per
                // subscription. The same MAX as GROUP BY SubscriptionId reads every index entry of the period (≈25× slower
                // at 3,000 subscriptions × 180 days × 5 workloads).
                var latest = await db.Subscriptions.AsNoTracking()
                    .Where(s => EF.Parameter(ids).Contains(s.Id))
                    .Select(s => new
                    {
                        SubscriptionId = s.Id,
                        Date = db.Set<SubscriptionUsageFact>().Where(f => f.SubscriptionId == s.Id && f.Date >= since && f.Date <= bound)
                            .Max(f => (DateOnly?)f.Date),
                    })
                    .ToListAsync(ct);
                foreach (var (id, day) in latest.Where(l => l.Date is not null).Select(l => (l.SubscriptionId, l.Date!.Value)))
                {
                    if (windows[id].Any(w => w.Contains(day))) found[id] = day;
                    else if (Bound(windows[id], day.AddDays(-1)) is { } lower) next[id] = lower;
                }
            }
            pending = next;
        }
        return found;
    }

    /// <summary>The usage of exactly the given (subscription, day) pairs, one query per distinct day.</summary>
    private async Task<ILookup<Guid, (Guid SubscriptionId, WorkloadUsage Usage)>> FactsOnAsync(Dictionary<Guid, DateOnly> days, CancellationToken ct)
    {
        var facts = new List<(Guid, WorkloadUsage)>();
        foreach (var group in days.GroupBy(d => d.Value))
        {
            var ids = group.Select(d => d.Key).ToList();
            var day = group.Key;
            facts.AddRange((await db.Set<SubscriptionUsageFact>().AsNoTracking()
                    .Where(f => EF.Parameter(ids).Contains(f.SubscriptionId) && f.Date == day)
                    .Select(f => new { f.SubscriptionId, f.Workload, f.Seats, f.LicensedUsers, f.ActiveUsers, f.ActiveUsers90Days })
                    .ToListAsync(ct))
                .Select(f => (f.SubscriptionId, new WorkloadUsage(f.Workload, f.Seats, f.LicensedUsers, f.ActiveUsers) { ActiveUsers90Days = f.ActiveUsers90Days })));
        }
        return facts.ToLookup(f => f.Item1);
    }

    /// <summary>
    /// MAU per (subscription, workload) near each given day: from the latest day on or before it, at most
    /// <paramref name="toleranceDays"/> earlier, that has facts and that a window shows. A pull that failed on the exact day
    /// then still compares; a subscription without such a day is absent (no comparison, never 0).
    /// </summary>
    internal async Task<Dictionary<(Guid SubscriptionId, Workload Workload), int>> ActiveUsersNearAsync(ILookup<Guid, AssignmentWindow> windows,
        IReadOnlyDictionary<Guid, DateOnly> days, int toleranceDays, CancellationToken ct)
    {
        var found = new Dictionary<(Guid, Workload), int>();
        foreach (var group in days.GroupBy(d => d.Value))
        {
            var ids = group.Select(d => d.Key).ToList();
            var (from, to) = (group.Key.AddDays(-toleranceDays), group.Key);
            var facts = await db.Set<SubscriptionUsageFact>().AsNoTracking()
                .Where(f => EF.Parameter(ids).Contains(f.SubscriptionId) && f.Date >= from && f.Date <= to)
                .Select(f => new { f.SubscriptionId, f.Workload, f.Date, f.ActiveUsers })
                .ToListAsync(ct);
            foreach (var subscription in facts.Where(f => windows[f.SubscriptionId].Any(w => w.Contains(f.Date))).GroupBy(f => f.SubscriptionId))
            {
                var latest = subscription.Max(f => f.Date);
                foreach (var f in subscription.Where(f => f.Date == latest)) found[(f.SubscriptionId, f.Workload)] = f.ActiveUsers;
            }
        }
        return found;
    }

    /// <summary>
    /// Per (subscription, workload), its daily active users summed and counted over the visible days with a figure of four
    /// ranges ending on the subscription's own day in <paramref name="days"/>: the last <paramref name="weekDays"/> days and
    /// as many before them, the last <paramref name="monthDays"/> and as many before them. What the adoption signals' daily
    /// means divide; days a window does not show are dropped, as in <see cref="DailyActiveUsersAsync"/>. A (subscription,
    /// workload) without a visible figure in the span is absent.
    /// </summary>
    /// <remarks>
    /// Subscriptions whose windows show the whole span (nearly all, and every one of a customer's own history) are summed by
    /// the database with conditional sums, one GROUP BY per distinct day; only the others' rows are read and filtered here.
    /// Reading every row meant 56 days × 5 workloads per subscription materialized and filtered here: 840,000 rows for
    /// 1,000 customers, 8.4 million (and a cold "where to help" of minutes) for 10,000.
    /// </remarks>
    internal async Task<Dictionary<(Guid SubscriptionId, Workload Workload), DailyActiveUserSums>> DailyActiveUserSumsAsync(
        ILookup<Guid, AssignmentWindow> windows, IReadOnlyDictionary<Guid, DateOnly> days, int weekDays, int monthDays, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weekDays, monthDays);
        var span = 2 * monthDays;
        // Each subscription's span ends on its own day: flag i is day − (span − 1) + i.
        var (whole, partial) = SplitWhole(days.ToDictionary(d => d.Key, d => ShownDays(windows[d.Key], d.Value.AddDays(-span + 1), d.Value)));
        var found = new Dictionary<(Guid, Workload), DailyActiveUserSums>();
        foreach (var group in whole.GroupBy(id => days[id]))
        {
            var ids = group.ToList();
            var day = group.Key;
            var (week, previousWeek) = (day.AddDays(-weekDays + 1), day.AddDays((-2 * weekDays) + 1));
            var (month, from) = (day.AddDays(-monthDays + 1), day.AddDays(-span + 1));
            var sums = db.Set<SubscriptionDailyUsageFact>().AsNoTracking()
                .Where(f => EF.Parameter(ids).Contains(f.SubscriptionId) && f.Date >= from && f.Date <= day)
                .GroupBy(f => new { f.SubscriptionId, f.Workload })
                .Select(g => new
                {
                    g.Key.SubscriptionId,
                    g.Key.Workload,
                    Week = g.Sum(f => f.Date >= week ? (long)f.ActiveUsers : 0L),
                    WeekDays = g.Count(f => f.Date >= week),
                    PreviousWeek = g.Sum(f => f.Date >= previousWeek && f.Date < week ? (long)f.ActiveUsers : 0L),
                    PreviousWeekDays = g.Count(f => f.Date >= previousWeek && f.Date < week),
                    Month = g.Sum(f => f.Date >= month ? (long)f.ActiveUsers : 0L),
                    MonthDays = g.Count(f => f.Date >= month),
                    PreviousMonth = g.Sum(f => f.Date < month ? (long)f.ActiveUsers : 0L),
                    PreviousMonthDays = g.Count(f => f.Date < month),
                })
                .AsAsyncEnumerable();
            await foreach (var s in sums.WithCancellation(ct))
                found[(s.SubscriptionId, s.Workload)] = new DailyActiveUserSums(new DaySum(s.Week, s.WeekDays), new DaySum(s.PreviousWeek, s.PreviousWeekDays),
                    new DaySum(s.Month, s.MonthDays), new DaySum(s.PreviousMonth, s.PreviousMonthDays));
        }
        if (partial.Count > 0)
        {
            var ids = partial.Keys.ToList();
            var (from, to) = (partial.Keys.Min(id => days[id]).AddDays(-span + 1), partial.Keys.Max(id => days[id]));
            var rows = db.Set<SubscriptionDailyUsageFact>().AsNoTracking()
                .Where(f => EF.Parameter(ids).Contains(f.SubscriptionId) && f.Date >= from && f.Date <= to)
                .Select(f => new { f.SubscriptionId, f.Workload, f.Date, f.ActiveUsers })
                .AsAsyncEnumerable();
            await foreach (var f in rows.WithCancellation(ct))
            {
                var back = days[f.SubscriptionId].DayNumber - f.Date.DayNumber;
                if (back < 0 || back >= span || !partial[f.SubscriptionId][span - 1 - back]) continue;
                var key = (f.SubscriptionId, f.Workload);
                var sums = found.GetValueOrDefault(key) ?? DailyActiveUserSums.None;
                found[key] = new DailyActiveUserSums(
                    back < weekDays ? sums.Week.Add(f.ActiveUsers) : sums.Week,
                    back >= weekDays && back < 2 * weekDays ? sums.PreviousWeek.Add(f.ActiveUsers) : sums.PreviousWeek,
                    back < monthDays ? sums.Month.Add(f.ActiveUsers) : sums.Month,
                    back >= monthDays ? sums.PreviousMonth.Add(f.ActiveUsers) : sums.PreviousMonth);
            }
        }
        return found;
    }

    /// <summary>
    /// A window showing every day of a subscription of the customer's own tenant: the customer owns its usage, so its pages
    /// read through the same code with nothing hidden (design.md §2: a customer sees what its partner sees, and more).
    /// </summary>
    internal static AssignmentWindow WholeHistory(Guid tenantId, Guid subscriptionId) =>
        new(Guid.Empty, tenantId, subscriptionId, DateOnly.MinValue, null, []);

    /// <summary>The signed-in partner's windows, checked to be its own, for the internal readers above.</summary>
    internal IReadOnlyList<AssignmentWindow> Checked(PartnerWindows windows) => Own(windows);

    /// <summary>Windows read in another partner's scope are refused: they would name subscriptions this scope may not read.</summary>
    private PartnerWindows Own(PartnerWindows windows) => windows.PartnerId == scope.PartnerId
        ? windows
        : throw new InvalidOperationException("These windows belong to another partner scope.");

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
