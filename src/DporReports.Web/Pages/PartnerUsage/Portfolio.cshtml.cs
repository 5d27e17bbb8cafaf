using System.Globalization;
using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;
using DporReports.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>A customer's row on the portfolio: totals over its subscriptions as of the period's end.</summary>
public sealed record CustomerRow(Guid TenantId, string Name, int Subscriptions, int Seats, DateOnly? AsOf,
    IReadOnlyDictionary<Workload, decimal?> UsagePercent);

/// <summary>Portfolio totals per workload: MAU, PAU (seats) and usage %, null when there are no seats.</summary>
public sealed record WorkloadTotals(Workload Workload, int ActiveUsers, int Seats)
{
    public decimal? UsagePercent => Seats == 0 ? null : Math.Round((decimal)ActiveUsers / Seats, 4);
}

/// <summary>
/// The partner's portfolio. Every figure comes from <see cref="PartnerUsageQuery"/> (verified windows only); the partner is
/// the PartnerMember policy handler's scope, never a query value. Search, sort and paging are plain GET links.
/// </summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
public sealed class PortfolioModel(PartnerUsageQuery usage, TimeProvider clock) : UsagePageModel(clock)
{
    public const int PageSize = 25;

    public static readonly IReadOnlyList<string> SortKeys =
        ["name", "subscriptions", "seats", .. Enum.GetValues<Workload>().Select(SortKey), "freshness"];

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true)] public string? Dir { get; set; }
    /// <summary>From the query's <c>page</c>, read by hand: model binding would take Razor Pages' own "page" route value.</summary>
    public int PageNumber { get; private set; } = 1;


    public int CustomerCount { get; private set; }
    public int SubscriptionCount { get; private set; }
    public int SeatCount { get; private set; }
    public IReadOnlyList<WorkloadTotals> Totals { get; private set; } = [];
    public decimal? OverallUsagePercent { get; private set; }
    public IReadOnlyList<ChartView> Trends { get; private set; } = [];

    public IReadOnlyList<CustomerRow> Rows { get; private set; } = [];
    public int MatchCount { get; private set; }
    public int TotalPages { get; private set; } = 1;
    public bool Descending => Dir == "desc";

    public static string SortKey(Workload workload) => workload.ToString().ToLowerInvariant();

    public async Task OnGetAsync(CancellationToken ct)
    {
        ResolvePeriodAndZone();
        if (Sort is null || !SortKeys.Contains(Sort)) Sort = "name";
        if (Dir is not ("asc" or "desc")) Dir = "asc";
        PageNumber = int.TryParse(Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : 1;

        var windows = await usage.WindowsAsync(ct);
        var customers = await usage.CustomersAsync(windows, Range.To, onlyTenant: null, ct);
        var latest = customers.SelectMany(c => c.Subscriptions).SelectMany(s => s.Workloads).ToList();
        CustomerCount = customers.Count;
        SubscriptionCount = customers.Sum(c => c.Subscriptions.Count);
        SeatCount = customers.SelectMany(c => c.Subscriptions).Sum(s => s.Seats);
        Totals = [.. Enum.GetValues<Workload>().Select(w => new WorkloadTotals(w,
            latest.Where(u => u.Workload == w).Sum(u => u.ActiveUsers), latest.Where(u => u.Workload == w).Sum(u => u.Seats)))];
        var seats = Totals.Sum(t => t.Seats);
        OverallUsagePercent = seats == 0 ? null : Math.Round((decimal)Totals.Sum(t => t.ActiveUsers) / seats, 4);

        var trend = await usage.TotalDailyActiveUsersAsync(windows, tenantIds: null, Range.From, Range.To, ct);
        Trends = ChartView.PerWorkload(trend.Select(d => (d.Date, d.Workload, d.Users)), ", all customers");

        var rows = customers.Select(ToRow);
        if (!string.IsNullOrWhiteSpace(Q))
            rows = rows.Where(r => r.Name.Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase));
        var matches = Order(rows).ToList();
        MatchCount = matches.Count;
        TotalPages = Math.Max(1, (MatchCount + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, TotalPages);
        Rows = [.. matches.Skip((PageNumber - 1) * PageSize).Take(PageSize)];
    }

    /// <summary>The link to this page with the current choices and the given changes.</summary>
    public string Link(string? sort = null, string? dir = null, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["period"] = Period, ["tz"] = Tz, ["q"] = string.IsNullOrWhiteSpace(Q) ? null : Q,
            ["sort"] = sort ?? Sort, ["dir"] = dir ?? Dir, ["page"] = (page ?? PageNumber).ToString(CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/partner/usage", query.Where(p => p.Value is not null)!);
    }

    /// <summary>The header link for a column: ascending first, flipping when the column is already sorted.</summary>
    public string SortLink(string key) => Link(key, Sort == key && !Descending ? "desc" : "asc", 1);

    public string AriaSort(string key) => Sort != key ? "none" : Descending ? "descending" : "ascending";

    private static CustomerRow ToRow(CustomerUsage c)
    {
        var workloads = c.Subscriptions.SelectMany(s => s.Workloads).ToList();
        return new CustomerRow(c.TenantId, c.TenantName, c.Subscriptions.Count, c.Subscriptions.Sum(s => s.Seats), c.AsOf,
            Enum.GetValues<Workload>().ToDictionary(w => w, w =>
            {
                var rows = workloads.Where(u => u.Workload == w).ToList();
                var seats = rows.Sum(u => u.Seats);
                return seats == 0 ? (decimal?)null : Math.Round((decimal)rows.Sum(u => u.ActiveUsers) / seats, 4);
            }));
    }

    private IEnumerable<CustomerRow> Order(IEnumerable<CustomerRow> rows)
    {
        // Name breaks ties so paging is stable; customers without a figure sort last in either direction.
        var ordered = Sort switch
        {
            "subscriptions" => By(rows, r => r.Subscriptions),
            "seats" => By(rows, r => r.Seats),
            "freshness" => By(rows.Where(r => r.AsOf is not null), r => r.AsOf!.Value).Concat(rows.Where(r => r.AsOf is null)),
            "name" => Descending
                ? rows.OrderByDescending(r => r.Name, StringComparer.OrdinalIgnoreCase)
                : rows.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase),
            _ => ByWorkload(rows, Enum.GetValues<Workload>().Single(w => SortKey(w) == Sort)),
        };
        return ordered;
    }

    private IEnumerable<CustomerRow> ByWorkload(IEnumerable<CustomerRow> rows, Workload workload) =>
        By(rows.Where(r => r.UsagePercent[workload] is not null), r => r.UsagePercent[workload]!.Value)
            .Concat(rows.Where(r => r.UsagePercent[workload] is null).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase));

    private IEnumerable<CustomerRow> By<TKey>(IEnumerable<CustomerRow> rows, Func<CustomerRow, TKey> key) =>
        (Descending ? rows.OrderByDescending(key) : rows.OrderBy(key)).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase);
}
