using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using DporReports.Core.Data;
using DporReports.Core.Observability;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenancy;
using DporReports.Core.Usage;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Reports;

public sealed class PortfolioCacheOptions
{
    public const string SectionName = "PortfolioCache";

    /// <summary>Computed portfolios kept: one per partner, period and day; a partner's users move between a few periods.</summary>
    [Range(1, 100_000)] public int MaxEntries { get; set; } = 500;

    /// <summary>An entry nobody read for this long is dropped to free memory. Correctness never depends on it: the data version does.</summary>
    [Range(1, 24 * 60)] public int IdleMinutes { get; set; } = 30;

    /// <summary>
    /// A kept portfolio brought up to date is written to its snapshot (<see cref="PortfolioSnapshot"/>) at most this often;
    /// one computed in full always is. A host starting later re-reads only what changed since the snapshot's version.
    /// </summary>
    [Range(1, 24 * 60)] public int SnapshotEveryMinutes { get; set; } = 15;

    /// <summary>
    /// A web host loads today's portfolios from their snapshots as it starts (<see cref="PortfolioStartupWarming"/>), so even
    /// the first request after a start finds them in memory. Off: each is loaded by its first request.
    /// </summary>
    public bool WarmAtStart { get; set; } = true;

    /// <summary>
    /// How long the portfolio page waits for a portfolio being computed before it answers with a page that says the figures
    /// are being prepared and updates itself when they are ready (a period nobody asked for before reads every customer's
    /// facts: 10 s to minutes at 10,000 customers). 0 answers at once.
    /// </summary>
    [Range(0, 600)] public int PageWaitSeconds { get; set; } = 3;
}

/// <summary>
/// What a computed portfolio depends on: the partner's usage version, raised in the same transaction as every change to the
/// facts of a tenant the partner has or had an assignment in (<see cref="TenantUsageChange.RecordAsync"/>) and as every
/// change of one of its windows (assigned, changed, removed, verified, rejected, suspended, resumed:
/// <see cref="TenantUsageChange.SaveAssignmentChangesAsync"/>). Any difference means "bring it up to date"; other partners'
/// customers' pulls do not change it. It once also held the newest assignment event id, which a server database hands out
/// at insert, not in commit order; the version is raised under the partner's row lock, so it is ordered by commit.
/// </summary>
public readonly record struct PortfolioDataVersion(long UsageVersion);

/// <summary>
/// The partner portfolio for the dashboard and the JSON API: computed once per (partner, period, day) and data version,
/// kept in memory, and brought up to date as soon as the version read on the request differs — so a removal or new facts
/// show at once. Concurrent requests for an entry being computed wait for that one computation instead of starting their own.
/// </summary>
/// <remarks>
/// Issue 13 (a 10,000-customer partner): a new version does not recompute the portfolio. Every figure of it is a sum over
/// customers whose parts depend on that customer's facts and windows alone, so the kept entry holds each customer's parts
/// (its row, its totals a month earlier, its share of the trend) and a newer version re-reads only the customers that
/// changed since the entry's version — those named by <see cref="TenantUsageChange"/> (written in the facts transaction) and
/// by the partner's assignment events (written with every change of a window) — and adds the totals up again from the kept
/// parts. A pull thus costs database work for one tenant and a few thousand additions, not 10,000 customers' reads. A
/// per-partner roll-up table kept current in the facts transaction would have done the same for pulls, but every change of
/// a window (verify, suspend, remove) would have had to rewrite it too; the kept parts follow windows for free.
/// </remarks>
/// <remarks>
/// The first request after a start, and the first of a new day, would still pay the whole computation (a minute at 10,000
/// customers on SQLite: the latest facts of 30,000 subscriptions and a month of their daily figures). So the kept parts are
/// also written to the database (<see cref="PortfolioSnapshot"/>, a few MB compressed), after every full computation and at
/// most every <see cref="PortfolioCacheOptions.SnapshotEveryMinutes"/> after updates (in the background, so the requests
/// waiting for an update do not wait for its write), and a host missing the entry starts
/// from the snapshot and updates it like any kept entry. <see cref="WarmPortfolioSnapshotsJob"/> writes each period's
/// snapshot for the next day before it begins. A snapshot is checked by the same data version as the memory entry, so
/// it can be old but never wrong.
/// </remarks>
public sealed class PartnerPortfolios(DporDbContext db, PartnerScope scope, PartnerDataCache cache, PortfolioSnapshotWrites snapshotWrites,
    IServiceScopeFactory scopes, IOptions<PortfolioCacheOptions> options, TimeProvider clock, ILogger<PartnerPortfolios> log)
{
    public async Task<PartnerPortfolio> GetAsync(DateOnly from, DateOnly asOf, CancellationToken ct) =>
        (await GetAsync([(from, asOf)], ct))[0];

    /// <summary>
    /// The portfolios of several periods at one data version (the dashboard's period and the previous one): one version
    /// read for all, so they are of the same data.
    /// </summary>
    public async Task<PartnerPortfolio[]> GetAsync(IReadOnlyList<(DateOnly From, DateOnly AsOf)> periods, CancellationToken ct)
    {
        var partnerId = scope.PartnerId;
        // Read before computing: the computation then sees at least this version's data, never older.
        var version = await DataVersionAsync(db, partnerId, ct);
        // Side by side: each computation has its own unit of work, and after a pull the dashboard's first request waits for
        // both periods' updates, not for one after the other.
        return await Task.WhenAll(periods.Select(async period =>
        {
            var (from, asOf) = period;
            var key = new PartnerDataCache.Key(partnerId, from, asOf);
            var state = await cache.GetAsync(key, version, async previous =>
            {
                var computed = await ComputeAsync(partnerId, from, asOf, version, previous, usedOn: null);
                // A full computation has written its snapshot; an update's is written later, when due.
                if (computed.Origin != Full) StartSnapshotWriteWhenDue(key, computed.State);
                return computed;
            }, ct);
            return state.Portfolio;
        }));
    }

    /// <summary>
    /// Computes the partner's portfolio of a period from its facts and writes its snapshot, without the memory entry: what
    /// <see cref="WarmPortfolioSnapshotsJob"/> does for the next day's periods, so their first request starts from it.
    /// </summary>
    internal async Task WarmAsync(DateOnly from, DateOnly asOf, DateOnly forDay, CancellationToken ct)
    {
        var partnerId = scope.PartnerId;
        var version = await DataVersionAsync(db, partnerId, ct);
        var (state, origin) = await ComputeAsync(partnerId, from, asOf, version, previous: null, forDay);
        if (origin != FromSnapshot) return;
        // A snapshot of the period already existed (a second run of the job): it was brought up to date; keep that one.
        await SaveAsync(partnerId, state, clock.GetUtcNow(), forDay, ct);
    }

    /// <summary>
    /// How a computation made its state, the tag of its telemetry: every customer read; a kept state with the changed
    /// customers read again; a snapshot read, then its changed customers read again.
    /// </summary>
    private const string Full = "full", Updated = "update", FromSnapshot = "snapshot";

    /// <summary>How far back a period may end and still be written to a snapshot: a 6-month dashboard's previous period.</summary>
    private const int SnapshotDaysBack = 200;

    /// <summary>The partner's data version (also what the adoption signals' kept entries are versioned by).</summary>
    /// <remarks>
    /// Read from the partner's row, which a request's authorization has already read into this unit of work: answered from
    /// tracking, no round trip (on PostgreSQL the second round trip per request held the summary API at 1/5.5 of its floor).
    /// Elsewhere (jobs) it is one read by key. A row read earlier in the unit is only older: the entry is then at least as new.
    /// </remarks>
    internal static async Task<PortfolioDataVersion> DataVersionAsync(DporDbContext db, Guid partnerId, CancellationToken ct)
    {
        var partner = await db.Partners.FindAsync([partnerId], ct)
            ?? throw new InvalidOperationException($"Partner {partnerId} is in scope but not in the database.");
        return new PortfolioDataVersion(partner.UsageVersion);
    }

    /// <summary>
    /// In a unit of work of its own, scoped to the same partner: the computation is shared by every waiting request, so it
    /// must not use (or be cancelled with) the one request that happened to start it. From the previous entry of the same
    /// key when there is one, re-reading only the customers changed since its version; from scratch otherwise, or when so
    /// many changed that re-reading them one set at a time would not be cheaper. A state computed in full is written to its
    /// snapshot on the way (read right after, by tests and by the warming job), for <c>usedOn</c>
    /// (<see cref="PortfolioSnapshot.UsedOn"/>): today unless warming the next day; an updated one is not.
    /// </summary>
    private async Task<(PortfolioState State, string Origin)> ComputeAsync(Guid partnerId, DateOnly from, DateOnly asOf, PortfolioDataVersion version,
        PortfolioState? previous, DateOnly? usedOn)
    {
        await using var unit = scopes.CreatePartnerScope(partnerId);
        var usage = unit.ServiceProvider.GetRequiredService<PartnerUsageQuery>();
        var unitDb = unit.ServiceProvider.GetRequiredService<DporDbContext>();
        var origin = previous is null ? FromSnapshot : Updated;
        previous ??= await SnapshotAsync(unitDb, partnerId, from, asOf);
        if (previous is not null)
        {
            var changed = await ChangedTenantsAsync(unitDb, previous.Version, CancellationToken.None);
            if (changed.Count <= Math.Max(64, previous.CustomerCount / 4))
                return (await previous.UpdateAsync(usage, changed, version, CancellationToken.None), origin);
        }
        var state = await PortfolioState.LoadAsync(usage, from, asOf, version, CancellationToken.None);
        var now = clock.GetUtcNow();
        if (await SaveAsync(partnerId, state, now, usedOn, CancellationToken.None)) state.SnapshotSavedAt = now;
        return (state, Full);
    }

    /// <summary>The period's snapshot as a kept state, or null: none, another format, or unreadable (then computed again and overwritten).</summary>
    private async Task<PortfolioState?> SnapshotAsync(DporDbContext unitDb, Guid partnerId, DateOnly from, DateOnly asOf)
    {
        var snapshot = await PortfolioSnapshot.FindAsync(unitDb, partnerId, from, asOf, CancellationToken.None);
        if (snapshot is null) return null;
        try
        {
            var state = PortfolioState.FromParts(snapshot.Read(), snapshot.Version, snapshot.SavedAt);
            await PortfolioSnapshot.MarkUsedAsync(unitDb, partnerId, from, asOf, clock.GetUtcNow(), CancellationToken.None);
            DporTelemetry.PortfolioSnapshots.Add(1, new KeyValuePair<string, object?>(DporTelemetry.Tags.Outcome, "read"));
            return state;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            DporTelemetry.PortfolioSnapshots.Add(1, new KeyValuePair<string, object?>(DporTelemetry.Tags.Outcome, "unreadable"));
            log.LogWarning(e, "Portfolio snapshot of partner {PartnerId} for {From}..{AsOf} is unreadable; computing it again", partnerId, from, asOf);
            return null;
        }
    }

    /// <summary>
    /// An updated state's snapshot is written when the last write of its line is <see cref="PortfolioCacheOptions.SnapshotEveryMinutes"/>
    /// old, in the background (<see cref="PortfolioSnapshotWrites"/>): the requests waiting for the update get it without
    /// waiting for the write. Called before the state is handed out, so it is marked as written from the start and the
    /// updates built on it do not start a write each while this one runs.
    /// </summary>
    private void StartSnapshotWriteWhenDue(PartnerDataCache.Key key, PortfolioState state)
    {
        var now = clock.GetUtcNow();
        if (now - state.SnapshotSavedAt < TimeSpan.FromMinutes(options.Value.SnapshotEveryMinutes) || !KeepsSnapshot(state, now)) return;
        if (snapshotWrites.TryStart(key, () => SaveAsync(key.PartnerId, state, now, usedOn: null, CancellationToken.None)))
            state.SnapshotSavedAt = now;
    }

    /// <summary>
    /// The periods the pages show end today or, for comparison, up to six months and a few days before; a day picked further
    /// back is rare and not worth keeping.
    /// </summary>
    private static bool KeepsSnapshot(PortfolioState state, DateTimeOffset now) =>
        state.Period.AsOf >= DateOnly.FromDateTime(now.UtcDateTime).AddDays(-SnapshotDaysBack);

    /// <summary>
    /// Writes the state's snapshot as of <paramref name="now"/> in a unit of work of its own; true when written. A conflict
    /// is logged, not thrown: the snapshot only saves a later start some work, and the request that computed the state must
    /// still get it.
    /// </summary>
    private async Task<bool> SaveAsync(Guid partnerId, PortfolioState state, DateTimeOffset now, DateOnly? usedOn, CancellationToken ct)
    {
        if (!KeepsSnapshot(state, now)) return false;
        await using var unit = scopes.CreatePartnerScope(partnerId);
        try
        {
            await PortfolioSnapshot.SaveAsync(unit.ServiceProvider.GetRequiredService<DporDbContext>(), partnerId, state, now,
                usedOn ?? DateOnly.FromDateTime(now.UtcDateTime), ct);
            DporTelemetry.PortfolioSnapshots.Add(1, new KeyValuePair<string, object?>(DporTelemetry.Tags.Outcome, "written"));
            return true;
        }
        catch (DbUpdateException e)
        {
            // Another host wrote the same period's snapshot at the same moment: either one serves.
            log.LogWarning(e, "Portfolio snapshot of partner {PartnerId} not written", partnerId);
            return false;
        }
    }

    /// <summary>
    /// The tenants whose facts or windows changed after <paramref name="since"/>: those recorded at a later usage version of
    /// the partner (a pull and a change of a window both record the tenant). Tenants changed again while this runs are
    /// included or not; either way the entry holds data at least as new as the version it is stored under.
    /// </summary>
    internal static Task<List<Guid>> ChangedTenantsAsync(DporDbContext db, PortfolioDataVersion since, CancellationToken ct) =>
        db.Set<TenantUsageChange>().AsNoTracking().Where(c => c.UsageVersion > since.UsageVersion).Select(c => c.TenantId).ToListAsync(ct);
}

/// <summary>
/// A cached portfolio with the per-customer parts it was added up from, so that a newer data version replaces the parts of
/// the changed customers only. Immutable: requests of the older version may still be reading it while its successor is built.
/// Memory: per customer its row (subscriptions and workloads) and one int per day and workload of the period.
/// </summary>
/// <remarks>
/// After a pull, an update must cost work in proportion to the changed tenant, not to 10,000 customers. So the per-customer
/// parts are persistent maps (a successor shares all but the changed entries: a copied 10,000-entry dictionary is a large
/// object, three per period per pull, and large objects are what made every fifth request after a pull wait on a full
/// collection), and the sums above the table are running sums from which a changed customer's old share is taken out.
/// </remarks>
public sealed class PortfolioState
{
    private readonly DateOnly _from;
    private readonly DateOnly _asOf;
    private readonly ImmutableDictionary<Guid, PortfolioCustomer> _customers;
    private readonly ImmutableDictionary<Guid, IReadOnlyList<WorkloadTotal>> _monthEarlier;
    private readonly ImmutableDictionary<Guid, int[]> _trend;
    private readonly CustomerTotals _totals;
    private readonly CustomerTotals _monthEarlierTotals;
    // Per (day, workload) slot: the sum of the customers' figures, and how many customers have one (0: the day is missing).
    private readonly long[] _trendSums;
    private readonly int[] _trendCounts;

    private PortfolioState(DateOnly from, DateOnly asOf, PortfolioDataVersion version, ImmutableDictionary<Guid, PortfolioCustomer> customers,
        IReadOnlyList<PortfolioCustomer> ordered, ImmutableDictionary<Guid, IReadOnlyList<WorkloadTotal>> monthEarlier, ImmutableDictionary<Guid, int[]> trend,
        CustomerTotals totals, CustomerTotals monthEarlierTotals, long[] trendSums, int[] trendCounts)
    {
        (_from, _asOf, Version, _customers, _monthEarlier, _trend, _totals, _monthEarlierTotals, _trendSums, _trendCounts) =
            (from, asOf, version, customers, monthEarlier, trend, totals, monthEarlierTotals, trendSums, trendCounts);
        Portfolio = new PartnerPortfolio(from, asOf, ordered, totals, monthEarlierTotals, Trend()) { TenantTrends = trend, ByTenant = customers };
    }

    /// <summary>A state of every customer's parts (<paramref name="ordered"/> by name), with its sums added up once.</summary>
    private static PortfolioState FromAll(DateOnly from, DateOnly asOf, PortfolioDataVersion version, IReadOnlyList<PortfolioCustomer> ordered,
        ImmutableDictionary<Guid, IReadOnlyList<WorkloadTotal>> monthEarlier, ImmutableDictionary<Guid, int[]> trend)
    {
        var (totals, monthEarlierTotals) = (new CustomerTotals(), new CustomerTotals());
        foreach (var customer in ordered) totals.Add(customer, +1);
        foreach (var workloads in monthEarlier.Values) monthEarlierTotals.Add(workloads, +1);
        var slots = Slots(from, asOf);
        var (sums, counts) = (new long[slots], new int[slots]);
        foreach (var figures in trend.Values)
        {
            if (figures.Length != slots) throw new InvalidDataException($"A customer's trend has {figures.Length} figures, the period {slots}.");
            Add(sums, counts, figures, +1);
        }
        return new PortfolioState(from, asOf, version, ordered.ToImmutableDictionary(c => c.TenantId), ordered, monthEarlier, trend,
            totals, monthEarlierTotals, sums, counts);
    }

    /// <summary>A portfolio without customers (for tests of the cache).</summary>
    internal static PortfolioState Empty(DateOnly from, DateOnly asOf, PortfolioDataVersion version) =>
        FromAll(from, asOf, version, [], ImmutableDictionary<Guid, IReadOnlyList<WorkloadTotal>>.Empty, ImmutableDictionary<Guid, int[]>.Empty);

    public (DateOnly From, DateOnly AsOf) Period => (_from, _asOf);

    /// <summary>
    /// When this state's line (the snapshot it was read from, or the states it was updated from) was last written to the
    /// database, or a background write of it started; set once, before the state is shared.
    /// </summary>
    internal DateTimeOffset SnapshotSavedAt { get; set; } = DateTimeOffset.MinValue;

    /// <summary>The parts to write to a snapshot.</summary>
    internal PortfolioParts Parts() => new(_from, _asOf, Portfolio.Customers,
        [.. _monthEarlier.Select(m => new PortfolioParts.Earlier(m.Key, m.Value))],
        [.. _trend.Select(t => PortfolioParts.TenantTrend.Of(t.Key, t.Value))]);

    /// <summary>A state from a snapshot's parts, at the snapshot's version; its customers are in the order they were written (by name).</summary>
    internal static PortfolioState FromParts(PortfolioParts parts, PortfolioDataVersion version, DateTimeOffset savedAt)
    {
        var state = FromAll(parts.From, parts.AsOf, version, parts.Customers,
            parts.MonthEarlier.ToImmutableDictionary(m => m.TenantId, m => m.Totals), parts.Trend.ToImmutableDictionary(t => t.TenantId, t => t.ToFigures()));
        state.SnapshotSavedAt = savedAt;
        return state;
    }

    public PartnerPortfolio Portfolio { get; }

    /// <summary>The data version the parts are at least as new as.</summary>
    public PortfolioDataVersion Version { get; }

    public int CustomerCount => _customers.Count;

    /// <summary>Every customer's parts, read through the partner's windows.</summary>
    public static async Task<PortfolioState> LoadAsync(PartnerUsageQuery usage, DateOnly from, DateOnly asOf, PortfolioDataVersion version, CancellationToken ct)
    {
        var windows = await usage.WindowsAsync(ct);
        var (current, monthEarlier, trend) = await ReadAsync(usage, windows, from, asOf, ct);
        var ordered = current.Select(c => PartnerPortfolio.Customer(c.Value, monthEarlier.GetValueOrDefault(c.Key))).ToList();
        ordered.Sort(PartnerPortfolio.ByName);
        return FromAll(from, asOf, version, ordered,
            monthEarlier.ToImmutableDictionary(m => m.Key, m => PartnerPortfolio.EarlierTotals(m.Value)), trend.ToImmutableDictionary());
    }

    /// <summary>
    /// This state with the parts of <paramref name="tenants"/> read again (a tenant now without a window drops out, a new
    /// one comes in); the other customers' parts are shared, not copied. Reads only those tenants' windows and facts.
    /// </summary>
    public async Task<PortfolioState> UpdateAsync(PartnerUsageQuery usage, IReadOnlyCollection<Guid> tenants, PortfolioDataVersion version, CancellationToken ct)
    {
        DporTelemetry.PortfolioTenantsRecomputed.Add(tenants.Count);
        var (current, monthEarlier, trend) = await ReadAsync(usage, await usage.WindowsAsync(tenants, ct), _from, _asOf, ct);
        var customers = _customers.ToBuilder();
        var earlierParts = _monthEarlier.ToBuilder();
        var trends = _trend.ToBuilder();
        var (totals, earlierTotals) = (_totals.Copy(), _monthEarlierTotals.Copy());
        var (sums, counts) = ((long[])_trendSums.Clone(), (int[])_trendCounts.Clone());
        var replaced = new List<PortfolioCustomer>();
        foreach (var tenant in tenants)
        {
            if (customers.TryGetValue(tenant, out var row))
            {
                totals.Add(row, -1);
                customers.Remove(tenant);
            }
            if (earlierParts.TryGetValue(tenant, out var before))
            {
                earlierTotals.Add(before, -1);
                earlierParts.Remove(tenant);
            }
            if (trends.TryGetValue(tenant, out var old))
            {
                Add(sums, counts, old, -1);
                trends.Remove(tenant);
            }
            if (current.TryGetValue(tenant, out var now))
            {
                var fresh = PartnerPortfolio.Customer(now, monthEarlier.GetValueOrDefault(tenant));
                replaced.Add(customers[tenant] = fresh);
                totals.Add(fresh, +1);
            }
            if (monthEarlier.TryGetValue(tenant, out var earlier))
            {
                var earlierTotalsOfTenant = PartnerPortfolio.EarlierTotals(earlier);
                earlierParts[tenant] = earlierTotalsOfTenant;
                earlierTotals.Add(earlierTotalsOfTenant, +1);
            }
            if (trend.TryGetValue(tenant, out var figures))
            {
                trends[tenant] = figures;
                Add(sums, counts, figures, +1);
            }
        }
        // The kept order minus the changed customers, then each new row inserted at its place: no sort of the whole list.
        var changed = tenants.ToHashSet();
        var ordered = new List<PortfolioCustomer>(Portfolio.Customers.Count + replaced.Count);
        foreach (var row in Portfolio.Customers)
            if (!changed.Contains(row.TenantId)) ordered.Add(row);
        foreach (var row in replaced)
        {
            var at = ordered.BinarySearch(row, PartnerPortfolio.ByName);
            ordered.Insert(at < 0 ? ~at : at, row);
        }
        return new PortfolioState(_from, _asOf, version, customers.ToImmutable(), ordered, earlierParts.ToImmutable(), trends.ToImmutable(),
            totals, earlierTotals, sums, counts)
        {
            SnapshotSavedAt = SnapshotSavedAt,
        };
    }

    private static async Task<(Dictionary<Guid, CustomerUsage> Current, Dictionary<Guid, CustomerUsage> MonthEarlier, Dictionary<Guid, int[]> Trend)> ReadAsync(
        PartnerUsageQuery usage, PartnerWindows windows, DateOnly from, DateOnly asOf, CancellationToken ct)
    {
        var current = await usage.CustomersAsync(windows, asOf, onlyTenant: null, ct);
        var monthEarlier = await usage.CustomersAsync(windows, asOf.AddMonths(-1), onlyTenant: null, ct);
        // All tenants the partner saw during the period, including customers whose windows ended before its last day.
        var trend = await usage.DailyActiveUsersByTenantAsync(windows, from, asOf, ct);
        return (current.ToDictionary(c => c.TenantId), monthEarlier.ToDictionary(c => c.TenantId), trend);
    }

    private static int Slots(DateOnly from, DateOnly asOf) => Math.Max(0, asOf.DayNumber - from.DayNumber + 1) * PartnerUsageQuery.TrendWorkloads;

    private static void Add(long[] sums, int[] counts, int[] figures, int sign)
    {
        for (var i = 0; i < figures.Length; i++)
        {
            if (figures[i] < 0) continue;
            sums[i] += sign * (long)figures[i];
            counts[i] += sign;
        }
    }

    /// <summary>The summed trend as the portfolio lists it: by day, then workload; a slot no customer has a figure for is absent.</summary>
    private List<DailyActiveUsers> Trend()
    {
        var trend = new List<DailyActiveUsers>();
        for (var i = 0; i < _trendSums.Length; i++)
            if (_trendCounts[i] > 0)
                trend.Add(new DailyActiveUsers(_from.AddDays(i / PartnerUsageQuery.TrendWorkloads), (Workload)(i % PartnerUsageQuery.TrendWorkloads), _trendSums[i]));
        return trend;
    }
}
