using System.Collections.Concurrent;
using System.Globalization;
using DporReports.Core.Shared;
using DporReports.Core.Subscriptions;

namespace DporReports.Core.Reports;

/// <summary>MAU and seats (PAU) of one workload summed over subscriptions; usage % null when there are no seats.</summary>
public sealed record WorkloadTotal(Workload Workload, int Seats, int ActiveUsers)
{
    public decimal? UsagePercent => Usage(Seats, ActiveUsers);

    /// <summary>reports/README.md "Usage %": active users over seats, to four decimals; null without seats.</summary>
    public static decimal? Usage(int seats, int activeUsers) => seats == 0 ? null : Math.Round((decimal)activeUsers / seats, 4);
}

/// <summary>A subscription's latest visible usage with its overall usage % and that figure's change against a month earlier.</summary>
public sealed record PortfolioSubscription(Guid SubscriptionId, string ProductName, ProductFamily Family, int Seats, DateOnly? AsOf,
    IReadOnlyList<WorkloadUsage> Workloads, decimal? OverallUsage, decimal? OverallUsageChange)
{
    /// <summary>What tells it apart from another subscription of the same product.</summary>
    public SubscriptionDetails? Details { get; init; }
}

/// <summary>One customer's row of the portfolio: its subscriptions' figures summed per workload, as of the portfolio's day.</summary>
public sealed record PortfolioCustomer(Guid TenantId, string TenantName, DateOnly? AsOf, int SubscriptionCount, int Seats,
    IReadOnlyList<WorkloadTotal> Workloads, decimal? OverallUsage, decimal? OverallUsageChange, IReadOnlyList<PortfolioSubscription> Subscriptions)
{
    public decimal? UsagePercent(Workload workload)
    {
        // Sorting by a workload calls this a few thousand times per request: a plain loop over the five entries.
        foreach (var w in Workloads)
            if (w.Workload == workload) return w.UsagePercent;
        return null;
    }
}

/// <summary>What the partner picked on the portfolio: search, filter, sort and page. The page and the JSON API take the same.</summary>
public sealed record PortfolioQuery(string? Search = null, decimal? UsageBelowPercent = null, string Sort = PortfolioQuery.NameSort,
    bool Descending = false, int Page = 1, int PageSize = 25)
{
    public const string NameSort = "name";

    /// <summary>The sortable columns: name, counts, each workload's usage %, overall usage %, its change, and freshness.</summary>
    public static readonly IReadOnlyList<string> SortKeys =
        [NameSort, "subscriptions", "seats", .. Enum.GetValues<Workload>().Select(SortKey), "usage", "change", "freshness"];

    public static string SortKey(Workload workload) => workload.ToString().ToLowerInvariant();

    /// <summary>
    /// The query from GET parameters as the page and the API both name them (<c>q</c>, <c>below</c>, <c>sort</c>, <c>dir</c>,
    /// <c>page</c>). A bad value falls back to its default and comes back as a problem naming the parameter: the page shows
    /// it as a message, the API answers 400.
    /// </summary>
    public static (PortfolioQuery Query, IReadOnlyList<Problem> Problems) FromParameters(string? q, string? below, string? sort, string? dir,
        int? page, int pageSize)
    {
        var problems = new List<Problem>();
        decimal? threshold = null;
        if (!string.IsNullOrWhiteSpace(below))
        {
            // Usage % can exceed 100 (pooled seats), so the threshold may too; a negative one would match nothing.
            if (decimal.TryParse(below.Trim().TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1000)
                threshold = value;
            else
                problems.Add(Problem.Validation("below", "“Usage below” takes a percentage from 0 to 1000, e.g. 40; showing all customers."));
        }
        var key = string.IsNullOrEmpty(sort) ? NameSort : sort;
        if (!SortKeys.Contains(key))
        {
            problems.Add(Problem.Validation("sort", $"Unknown sort column; known: {string.Join(", ", SortKeys)}. Sorting by name."));
            key = NameSort;
        }
        if (dir is not (null or "" or "asc" or "desc"))
            problems.Add(Problem.Validation("dir", "The sort direction is asc or desc; sorting ascending."));
        return (new PortfolioQuery(string.IsNullOrWhiteSpace(q) ? null : q.Trim(), threshold, key, dir == "desc", page ?? 1, pageSize), problems);
    }
}

public sealed record PortfolioPage(IReadOnlyList<PortfolioCustomer> Items, int Matches, int Page, int PageSize, int TotalPages);

/// <summary>
/// The partner's portfolio as of one day, computed once for the dashboard, the JSON API and the consumption-summary
/// workbook, so they cannot disagree: per customer and subscription the latest visible figures, overall usage % and its
/// change against a month earlier (reports/README.md "usageChange"), the totals, and the daily active users per workload
/// summed over all customers. Everything comes from <see cref="PartnerUsageQuery"/>, i.e. through the verified windows.
/// </summary>
public sealed class PartnerPortfolio
{
    /// <summary>
    /// The portfolio from its customers' rows (in the order shown) and the sums of their totals now and a month earlier,
    /// already added up: a kept portfolio brought up to date passes sums in which only the changed customers' shares were replaced.
    /// </summary>
    internal PartnerPortfolio(DateOnly from, DateOnly asOf, IReadOnlyList<PortfolioCustomer> customers, CustomerTotals totals,
        CustomerTotals monthEarlier, IReadOnlyList<DailyActiveUsers> trend)
    {
        (From, AsOf, Customers, Workloads, Trend) = (from, asOf, customers, totals.Workloads(), trend);
        (SubscriptionCount, Seats) = (totals.Subscriptions, totals.Seats);
        OverallUsage = Overall(Workloads);
        OverallUsageChange = Change(OverallUsage, Overall(monthEarlier.Workloads()));
    }

    public DateOnly From { get; }
    public DateOnly AsOf { get; }

    /// <summary>Customers with a verified window on <see cref="AsOf"/>, by name.</summary>
    public IReadOnlyList<PortfolioCustomer> Customers { get; }

    public int SubscriptionCount { get; }
    public int Seats { get; }
    public IReadOnlyList<WorkloadTotal> Workloads { get; }
    public decimal? OverallUsage { get; }
    public decimal? OverallUsageChange { get; }

    /// <summary>Daily active users per day and workload over [<see cref="From"/>, <see cref="AsOf"/>], summed over the customers.</summary>
    public IReadOnlyList<DailyActiveUsers> Trend { get; }

    /// <summary>
    /// The customers by tenant: a kept state's own map (shared with the versions before and after it), or one made on first
    /// use. What the dashboard looks a customer up in, instead of a 10,000-entry dictionary (a large object) per computation.
    /// </summary>
    internal IReadOnlyDictionary<Guid, PortfolioCustomer> ByTenant
    {
        get => _byTenant ??= Customers.ToDictionary(c => c.TenantId);
        init => _byTenant = value;
    }

    private IReadOnlyDictionary<Guid, PortfolioCustomer>? _byTenant;

    /// <summary>Each customer's share of <see cref="Trend"/> when the portfolio is a kept one (arrays as <see cref="PartnerUsageQuery.DailyActiveUsersByTenantAsync"/> gives them).</summary>
    internal IReadOnlyDictionary<Guid, int[]>? TenantTrends { get; init; }

    /// <summary>Reads what the portfolio needs through the partner's windows (read once) and computes it.</summary>
    public static async Task<PartnerPortfolio> LoadAsync(PartnerUsageQuery usage, DateOnly from, DateOnly asOf, bool withTrend, CancellationToken ct) =>
        await LoadAsync(usage, await usage.WindowsAsync(ct), from, asOf, withTrend, ct);

    /// <inheritdoc cref="LoadAsync(PartnerUsageQuery, DateOnly, DateOnly, bool, CancellationToken)"/>
    public static async Task<PartnerPortfolio> LoadAsync(PartnerUsageQuery usage, PartnerWindows windows, DateOnly from, DateOnly asOf, bool withTrend,
        CancellationToken ct)
    {
        var current = await usage.CustomersAsync(windows, asOf, onlyTenant: null, ct);
        var monthEarlier = await usage.CustomersAsync(windows, asOf.AddMonths(-1), onlyTenant: null, ct);
        // All tenants the partner saw during the period, including customers whose windows ended before its last day.
        var trend = withTrend ? await usage.TotalDailyActiveUsersAsync(windows, tenantIds: null, from, asOf, ct) : [];
        return Compute(from, asOf, current, monthEarlier, trend);
    }

    /// <summary>
    /// The figures from the customers as of the day and as of the same day a month earlier (both already through the
    /// windows). A change needs both figures: a subscription or customer not visible a month earlier has none.
    /// </summary>
    public static PartnerPortfolio Compute(DateOnly from, DateOnly asOf, IReadOnlyList<CustomerUsage> current,
        IReadOnlyList<CustomerUsage> monthEarlier, IReadOnlyList<DailyActiveUsers> trend)
    {
        var earlier = monthEarlier.ToDictionary(c => c.TenantId);
        return Assemble(from, asOf, [.. current.Select(c => Customer(c, earlier.GetValueOrDefault(c.TenantId)))],
            monthEarlier.Select(EarlierTotals), trend);
    }

    /// <summary>
    /// The portfolio from its customers' rows (in the order shown), each customer's workload totals a month earlier and the
    /// trend. The totals are sums of the customers' sums: adding per customer first gives the same integers, and lets a
    /// cached portfolio replace one customer without adding up every subscription again.
    /// </summary>
    internal static PartnerPortfolio Assemble(DateOnly from, DateOnly asOf, IReadOnlyList<PortfolioCustomer> customers,
        IEnumerable<IReadOnlyList<WorkloadTotal>> monthEarlier, IReadOnlyList<DailyActiveUsers> trend)
    {
        var (totals, earlier) = (new CustomerTotals(), new CustomerTotals());
        foreach (var customer in customers) totals.Add(customer, +1);
        foreach (var workloads in monthEarlier) earlier.Add(workloads, +1);
        return new PartnerPortfolio(from, asOf, customers, totals, earlier, trend);
    }

    /// <summary>One customer's row: its figures as of the day and their change against its figures a month earlier (null when it had none).</summary>
    internal static PortfolioCustomer Customer(CustomerUsage current, CustomerUsage? monthEarlier)
    {
        var earlierSubscriptions = monthEarlier?.Subscriptions.ToDictionary(s => s.SubscriptionId, s => Overall(s.Workloads)) ?? [];
        var earlierOverall = monthEarlier is null ? null : Overall(EarlierTotals(monthEarlier));
        var workloads = Totals(current.Subscriptions.SelectMany(s => s.Workloads));
        var overall = Overall(workloads);
        return new PortfolioCustomer(current.TenantId, current.TenantName, current.AsOf, current.Subscriptions.Count, current.Subscriptions.Sum(s => s.Seats),
            workloads, overall, Change(overall, earlierOverall),
            [.. current.Subscriptions.Select(s =>
            {
                var own = Overall(s.Workloads);
                return new PortfolioSubscription(s.SubscriptionId, s.ProductName, s.Family, s.Seats, s.AsOf, s.Workloads, own,
                    Change(own, earlierSubscriptions.GetValueOrDefault(s.SubscriptionId))) { Details = s.Details };
            })]);
    }

    /// <summary>A customer's workload totals a month earlier: what the portfolio's change against a month earlier adds up.</summary>
    internal static IReadOnlyList<WorkloadTotal> EarlierTotals(CustomerUsage monthEarlier) => Totals(monthEarlier.Subscriptions.SelectMany(s => s.Workloads));

    /// <summary>The order of <see cref="Customers"/>: by name, then by tenant id so equal names keep one order however the list was built.</summary>
    internal static readonly IComparer<PortfolioCustomer> ByName = Comparer<PortfolioCustomer>.Create((a, b) =>
    {
        var byName = StringComparer.OrdinalIgnoreCase.Compare(a.TenantName, b.TenantName);
        return byName != 0 ? byName : a.TenantId.CompareTo(b.TenantId);
    });

    /// <summary>The customers matching the search and filter, sorted, and the requested page of them (clamped to the pages there are).</summary>
    public PortfolioPage Select(PortfolioQuery query)
    {
        // Filtering keeps the order (the sorts are stable), so each order is sorted once per portfolio, not once per request.
        var ordered = _orders.GetOrAdd((query.Sort, query.Descending), _ => [.. Order([.. Customers], query)]);
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search.Trim();
        // "Usage below N %" lists customers whose overall usage is known and under N; without figures there is nothing to compare.
        bool Matches(PortfolioCustomer c) =>
            (search is null || c.TenantName.Contains(search, StringComparison.OrdinalIgnoreCase))
            && (query.UsageBelowPercent is not { } below || (c.OverallUsage is { } overall && overall * 100 < below));
        // Counted, not listed: a request copies only its page, never all 10,000 customers (an array that size is a large-object allocation).
        var matches = search is null && query.UsageBelowPercent is null ? ordered.Length : ordered.Count(Matches);
        var size = Math.Max(1, query.PageSize);
        var pages = Math.Max(1, (matches + size - 1) / size);
        var page = Math.Clamp(query.Page, 1, pages);
        var items = (matches == ordered.Length ? ordered : ordered.Where(Matches)).Skip((page - 1) * size).Take(size).ToList();
        return new PortfolioPage(items, matches, page, size, pages);
    }

    /// <summary>reports/README.md "Overall usage %": the highest usage % among the workloads (of a subscription, or summed).</summary>
    private static decimal? Overall(IEnumerable<WorkloadUsage> workloads) => workloads.Max(w => w.UsagePercent);

    private static decimal? Overall(IEnumerable<WorkloadTotal> workloads) => workloads.Max(w => w.UsagePercent);

    /// <summary>reports/README.md "usageChange": now minus a month earlier, as a fraction (0.05 = five points); null without both.</summary>
    private static decimal? Change(decimal? now, decimal? before) => now is { } n && before is { } b ? n - b : null;

    private static List<WorkloadTotal> Totals(IEnumerable<WorkloadUsage> usage)
    {
        var byWorkload = usage.ToLookup(u => u.Workload);
        return [.. Enum.GetValues<Workload>().Select(w => new WorkloadTotal(w, byWorkload[w].Sum(u => u.Seats), byWorkload[w].Sum(u => u.ActiveUsers)))];
    }

    /// <summary>
    /// All customers in each order asked for so far, by (sort, descending): the portfolio is immutable and shared by every
    /// request of its data version, and sorting 10,000 customers was most of a warm request. At most two per sort key.
    /// </summary>
    private readonly ConcurrentDictionary<(string Sort, bool Descending), PortfolioCustomer[]> _orders = new();

    private static readonly Dictionary<string, Workload> WorkloadSorts = Enum.GetValues<Workload>().ToDictionary(PortfolioQuery.SortKey);

    private static bool InNameOrder(List<PortfolioCustomer> rows)
    {
        for (var i = 1; i < rows.Count; i++)
            if (StringComparer.OrdinalIgnoreCase.Compare(rows[i - 1].TenantName, rows[i].TenantName) > 0) return false;
        return true;
    }

    private static IEnumerable<PortfolioCustomer> Order(List<PortfolioCustomer> rows, PortfolioQuery query)
    {
        var descending = query.Descending;
        var byName = StringComparer.OrdinalIgnoreCase;
        // Name breaks ties so paging is stable; rows without the sorted figure go last in either direction, by name.
        IEnumerable<PortfolioCustomer> By<TKey>(Func<PortfolioCustomer, TKey?> key) where TKey : struct
        {
            var known = rows.Where(r => key(r) is not null);
            var ordered = (descending ? known.OrderByDescending(r => key(r)!.Value) : known.OrderBy(r => key(r)!.Value)).ThenBy(r => r.TenantName, byName);
            return ordered.Concat(rows.Where(r => key(r) is null).OrderBy(r => r.TenantName, byName));
        }
        return query.Sort switch
        {
            "subscriptions" => By(r => (int?)r.SubscriptionCount),
            "seats" => By(r => (int?)r.Seats),
            "usage" => By(r => r.OverallUsage),
            "change" => By(r => r.OverallUsageChange),
            "freshness" => By(r => r.AsOf),
            // A kept portfolio lists its customers by name already: the first request after each pull need not sort 10,000 names.
            PortfolioQuery.NameSort when !descending && InNameOrder(rows) => rows,
            PortfolioQuery.NameSort => descending ? rows.OrderByDescending(r => r.TenantName, byName) : rows.OrderBy(r => r.TenantName, byName),
            var key when WorkloadSorts.TryGetValue(key, out var workload) => By(r => r.UsagePercent(workload)),
            _ => throw new ArgumentException($"Unknown sort key '{query.Sort}'.", nameof(query)),
        };
    }
}
