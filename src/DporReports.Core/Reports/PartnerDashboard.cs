using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DporReports.Core.Subscriptions;

namespace DporReports.Core.Reports;

/// <summary>
/// A key figure of the dashboard and the same figure in the previous period of equal length. Previous is null when that
/// period has no figure inside the partner's windows: the change is then unknown ("no previous data"), never 0.
/// </summary>
public sealed record KeyFigure(string Key, decimal? Current, decimal? Previous)
{
    /// <summary>Current minus previous (for usage %, a fraction: 0.05 = five points); null without both.</summary>
    public decimal? Change => Current is { } now && Previous is { } before ? now - before : null;

    /// <summary>The change relative to the previous figure (0.1 = +10 %); null without both or when the previous figure is 0.</summary>
    public decimal? ChangePercent => Change is { } change && Previous is { } before && before != 0 ? Math.Round(change / before, 4) : null;
}

/// <summary>One day of a workload's daily active users (summed over the customers) with its 7-day trailing average.</summary>
public sealed record TrendDay(DateOnly Date, Workload Workload, long Users, decimal SevenDayAverage);

/// <summary>A customer whose overall usage % moved between the previous period and the current one (reports/README.md "usageMovement").</summary>
public sealed record UsageMover(Guid TenantId, string TenantName, int Seats, decimal UsageNow, decimal UsageBefore)
{
    public decimal Change => UsageNow - UsageBefore;
}

/// <summary>One day of a customer's small trend: its daily active users in its most-active workload that day.</summary>
public sealed record CustomerDay(DateOnly Date, long Users);

/// <summary>
/// What the partner dashboard adds to the portfolio, for the page and the JSON API alike: key figures against the previous
/// period of equal length, the trend with its 7-day average, and the customers whose usage rose or fell most. Both periods'
/// portfolios come from <see cref="PartnerPortfolios"/>, so every figure passed through the verified windows; a previous
/// figure only counts when its day lies inside the previous period (an older day would compare other periods).
/// </summary>
public sealed class PartnerDashboard
{
    /// <summary>Risers and fallers listed each.</summary>
    public const int MoversShown = 5;

    public const string SeatsFigure = "seats";
    public const string ActiveUsersFigure = "monthlyActiveUsers";
    public const string UsageFigure = "usage";
    public const string DailyActiveUsersFigure = "averageDailyActiveUsers";

    private PartnerDashboard(PartnerPortfolio current, DateOnly previousFrom, DateOnly previousTo, IReadOnlyList<KeyFigure> keyFigures,
        IReadOnlyList<TrendDay> trend, IReadOnlyList<UsageMover> risers, IReadOnlyList<UsageMover> fallers)
    {
        (Portfolio, PreviousFrom, PreviousTo, KeyFigures, Trend, Risers, Fallers) = (current, previousFrom, previousTo, keyFigures, trend, risers, fallers);
    }

    public PartnerPortfolio Portfolio { get; }

    /// <summary>
    /// Unique to this dashboard in the process: what caches of its drawn form (the page's charts, in each language) are
    /// keyed by, so a new dashboard (new data) never meets an old drawing.
    /// </summary>
    public long Stamp { get; } = Interlocked.Increment(ref _stamps);

    private static long _stamps;

    public DateOnly From => Portfolio.From;
    public DateOnly To => Portfolio.AsOf;
    public DateOnly PreviousFrom { get; }
    public DateOnly PreviousTo { get; }
    public IReadOnlyList<KeyFigure> KeyFigures { get; }
    public IReadOnlyList<TrendDay> Trend { get; }
    public IReadOnlyList<UsageMover> Risers { get; }
    public IReadOnlyList<UsageMover> Fallers { get; }

    /// <summary>The dashboards' default period, the last 28 days up to <paramref name="today"/>: the page's, the summary API's, and what the warming job keeps ready.</summary>
    public static (DateOnly From, DateOnly To) DefaultPeriod(DateOnly today) => (today.AddDays(-27), today);

    /// <summary>The period of equal length that ends the day before <paramref name="from"/>.</summary>
    public static (DateOnly From, DateOnly To) PreviousPeriod(DateOnly from, DateOnly to)
    {
        var length = to.DayNumber - from.DayNumber + 1;
        return (from.AddDays(-length), from.AddDays(-1));
    }

    public static async Task<PartnerDashboard> LoadAsync(PartnerPortfolios portfolios, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (previousFrom, previousTo) = PreviousPeriod(from, to);
        var pair = await portfolios.GetAsync([(from, to), (previousFrom, previousTo)], ct);
        var (current, previous) = (pair[0], pair[1]);
        // The dashboard is a pure function of two kept (immutable) portfolios, and its movers go over every customer: computed
        // once per pair, not once per page request (issue 13: 10,000 customers). It lives as long as the current portfolio.
        if (Computed.TryGetValue(current, out var kept) && ReferenceEquals(kept.Previous, previous)) return kept;
        var dashboard = Compute(current, previous);
        Computed.AddOrUpdate(current, dashboard);
        return dashboard;
    }

    private static readonly ConditionalWeakTable<PartnerPortfolio, PartnerDashboard> Computed = new();

    /// <summary>The previous period's portfolio this dashboard was computed against.</summary>
    private PartnerPortfolio? Previous { get; init; }

    /// <summary>The dashboard from the portfolios of the current period and of the previous one (both already through the windows).</summary>
    /// <remarks>
    /// After every pull this runs over all customers (10,000 at a large partner), so it must cost well under a microsecond
    /// per unchanged customer: each customer's share of the previous period's figures is worked out once per customer row
    /// (<see cref="PreviousShare"/>; a kept portfolio brought up to date keeps the rows of the customers that did not change),
    /// and the risers and fallers are picked in one pass instead of sorting every customer.
    /// </remarks>
    public static PartnerDashboard Compute(PartnerPortfolio current, PartnerPortfolio previous)
    {
        var (previousFrom, previousTo) = (previous.From, previous.AsOf);
        // The previous period's figures: only subscriptions whose latest visible day lies inside it.
        var all = new CustomerTotals();
        foreach (var customer in previous.Customers) all.Add(PreviousShare.Of(customer, previousFrom, previousTo).Sums);
        var nowMau = current.Workloads.Count == 0 ? 0 : current.Workloads.Max(w => w.ActiveUsers);
        var noBefore = all.Subscriptions == 0;
        KeyFigure[] figures =
        [
            new(SeatsFigure, current.Seats, noBefore ? null : all.Seats),
            new(ActiveUsersFigure, nowMau, noBefore ? null : all.HighestActiveUsers()),
            new(UsageFigure, current.OverallUsage, noBefore ? null : all.HighestUsage()),
            new(DailyActiveUsersFigure, AverageOfPeaks(current.Trend), AverageOfPeaks(previous.Trend)),
        ];

        var trend = Enum.GetValues<Workload>().SelectMany(w =>
        {
            var days = current.Trend.Where(d => d.Workload == w).OrderBy(d => d.Date).ToList();
            var averages = TrailingAverage(days.Select(d => (d.Date, d.Users)));
            return days.Select((d, i) => new TrendDay(d.Date, w, d.Users, averages[i].Average));
        }).ToList();

        var (risers, fallers) = (new Podium(+1), new Podium(-1));
        foreach (var c in current.Customers)
        {
            if (!(c.AsOf >= current.From && c.OverallUsage is { } now && previous.ByTenant.TryGetValue(c.TenantId, out var then))) continue;
            if (PreviousShare.Of(then, previousFrom, previousTo).HighestUsage is not { } before || now == before) continue;
            (now > before ? risers : fallers).Offer(c, now, before);
        }
        return new PartnerDashboard(current, previousFrom, previousTo, figures, trend, risers.Movers(), fallers.Movers()) { Previous = previous };
    }

    /// <summary>
    /// The first <see cref="MoversShown"/> movers one way, kept while the customers go by (reports/README.md "usageMovement":
    /// the largest change first; equal changes go to the customer with more seats, then by name; customers equal in all
    /// three keep the order they came in). A mover is made only when it enters, so 10,000 customers cost 10,000 comparisons
    /// with the last place instead of a sort of all of them.
    /// </summary>
    /// <param name="direction">+1: the largest rise first; −1: the largest fall (most negative change) first.</param>
    private sealed class Podium(int direction)
    {
        private readonly List<UsageMover> _places = new(MoversShown + 1);

        public void Offer(PortfolioCustomer customer, decimal now, decimal before)
        {
            if (_places.Count == MoversShown && direction * (now - before).CompareTo(_places[^1].Change) < 0) return;
            var mover = new UsageMover(customer.TenantId, customer.TenantName, customer.Seats, now, before);
            var at = _places.FindIndex(place => Before(mover, place));
            if (at < 0) at = _places.Count;
            if (at == MoversShown) return;
            _places.Insert(at, mover);
            if (_places.Count > MoversShown) _places.RemoveAt(MoversShown);
        }

        private bool Before(UsageMover a, UsageMover b)
        {
            var byChange = direction * a.Change.CompareTo(b.Change);
            if (byChange != 0) return byChange > 0;
            if (a.Seats != b.Seats) return a.Seats > b.Seats;
            return StringComparer.OrdinalIgnoreCase.Compare(a.TenantName, b.TenantName) < 0;
        }

        public List<UsageMover> Movers() => [.. _places];
    }

    /// <summary>
    /// One customer's share of the previous period's figures: the sums over its subscriptions whose latest visible day lies
    /// in the period, and its highest workload usage % over them. Worked out once per customer row and period: the rows of
    /// customers that did not change are the same objects in every update of a kept portfolio.
    /// </summary>
    private sealed record PreviousShare(DateOnly From, DateOnly To, CustomerTotals Sums, decimal? HighestUsage)
    {
        private static readonly ConditionalWeakTable<PortfolioCustomer, PreviousShare> Worked = new();

        public static PreviousShare Of(PortfolioCustomer customer, DateOnly from, DateOnly to)
        {
            if (Worked.TryGetValue(customer, out var share) && share.From == from && share.To == to) return share;
            var sums = new CustomerTotals();
            foreach (var s in customer.Subscriptions)
                if (s.AsOf >= from && s.AsOf <= to) sums.Add(s);
            share = new PreviousShare(from, to, sums, sums.HighestUsage());
            Worked.AddOrUpdate(customer, share);
            return share;
        }
    }

    /// <summary>
    /// Each customer's small trend over the period: per day, its daily active users in its most-active workload that day
    /// (summing workloads would count a person once per workload). Days without a visible figure are absent, never 0.
    /// </summary>
    public static async Task<Dictionary<Guid, IReadOnlyList<CustomerDay>>> CustomerTrendsAsync(PartnerUsageQuery usage, PartnerPortfolio portfolio,
        IReadOnlyCollection<Guid> tenantIds, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (tenantIds.Count == 0) return [];
        // A kept portfolio of the same period holds every customer's daily figures already: no database read per page, and
        // each customer's small trend is worked out once per kept portfolio, not once per request that lists it.
        if (portfolio.TenantTrends is { } kept && portfolio.From == from && portfolio.AsOf == to)
        {
            var worked = KeptCustomerTrends.GetValue(portfolio, _ => new ConcurrentDictionary<Guid, IReadOnlyList<CustomerDay>>());
            return tenantIds.Where(kept.ContainsKey).ToDictionary(t => t, t => worked.GetOrAdd(t, tenant =>
                [.. Peaks(PartnerUsageQuery.TrendDays(kept[tenant], from)).Select(p => new CustomerDay(p.Date, p.Users))]));
        }
        // Only these customers' windows: a page shows 25 customers, and a large partner has tens of thousands of windows.
        var days = await usage.DailyActiveUsersAsync(await usage.WindowsAsync(tenantIds, ct), tenantIds, from, to, ct);
        return days.ToDictionary(t => t.Key, t => (IReadOnlyList<CustomerDay>)[.. Peaks(t.Value).Select(p => new CustomerDay(p.Date, p.Users))]);
    }

    /// <summary>The small trends worked out from a kept portfolio, by customer; they live as long as that portfolio.</summary>
    private static readonly ConditionalWeakTable<PartnerPortfolio, ConcurrentDictionary<Guid, IReadOnlyList<CustomerDay>>> KeptCustomerTrends = new();

    /// <summary>
    /// reports/README.md "sevenDayAverage": for each day with a figure, the mean of the figures of that day and the six
    /// before it that have one. A day without a figure (not pulled, or outside the windows) counts neither as 0 nor as a day.
    /// </summary>
    public static List<(DateOnly Date, decimal Average)> TrailingAverage(IEnumerable<(DateOnly Date, long Value)> days)
    {
        var ordered = days.OrderBy(d => d.Date).ToList();
        var result = new List<(DateOnly, decimal)>(ordered.Count);
        var start = 0;
        long sum = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            sum += ordered[i].Value;
            while (ordered[start].Date.DayNumber <= ordered[i].Date.DayNumber - 7) sum -= ordered[start++].Value;
            result.Add((ordered[i].Date, Math.Round((decimal)sum / (i - start + 1), 2)));
        }
        return result;
    }

    /// <summary>reports/README.md "averageDailyActiveUsers": the mean, over days with a figure, of the most-active workload's daily total.</summary>
    private static decimal? AverageOfPeaks(IEnumerable<DailyActiveUsers> days)
    {
        var peaks = Peaks(days);
        return peaks.Count == 0 ? null : Math.Round((decimal)peaks.Sum(p => p.Users) / peaks.Count, 1);
    }

    private static List<(DateOnly Date, long Users)> Peaks(IEnumerable<DailyActiveUsers> days) =>
        [.. days.GroupBy(d => d.Date).OrderBy(g => g.Key).Select(g => (g.Key, g.Max(d => d.Users)))];
}
