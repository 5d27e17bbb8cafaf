using System.Globalization;
using DporReports.Core.Languages;
using DporReports.Core.Reports;
using DporReports.Core.Tenancy;
using DporReports.Web.Access;
using DporReports.Web.Charts;
using DporReports.Web.Languages;
using DporReports.Web.Shell;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>
/// The partner's portfolio. Every figure comes from <see cref="PartnerPortfolios"/> (verified windows only, computed once and
/// shared with the JSON API); the partner is the PartnerMember policy handler's scope, never a query value. Search, the
/// usage filter, sort and paging are plain GET fields and links.
/// </summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
[KeptPage.KeepsRenderedPage]
public sealed class PortfolioModel(PartnerPortfolios portfolios, PartnerUsageQuery usage, PartnerScope partner, TimeProvider clock,
    IStringLocalizer<Texts> texts, IOptions<PortfolioCacheOptions> options)
    : UsagePageModel(clock, texts)
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Below { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true)] public string? Dir { get; set; }
    /// <summary>
    /// From the query's <c>page</c>, read by hand: model binding would take Razor Pages' own "page" route value. As asked until
    /// <see cref="SelectAsync"/> clamps it to the pages there are.
    /// </summary>
    public int PageNumber { get; private set; } = 1;

    private PortfolioQuery _query = null!;

    public PartnerPortfolio Portfolio { get; private set; } = null!;

    /// <summary>Key figures against the previous period, the trend with its 7-day average, the biggest changes (same as the API's).</summary>
    public PartnerDashboard Dashboard { get; private set; } = null!;

    /// <summary>The small trend of each customer on this page of the table (set by <see cref="SelectAsync"/>).</summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<CustomerDay>> CustomerTrends { get; private set; } = new Dictionary<Guid, IReadOnlyList<CustomerDay>>();

    /// <summary>
    /// The key of the page's dashboard part (key figures, totals, charts, biggest changes) in the cache tag helper, with the
    /// language: that part is the same for every request of the partner, dashboard, period and zone, and drawing its
    /// charts was most of a warm request. The partner is in the key although the stamp alone is unique: isolation must not
    /// hang on a counter.
    /// </summary>
    public string DashboardCacheKey => string.Create(CultureInfo.InvariantCulture, $"{partner.PartnerId:N}/{Dashboard.Stamp}/{Period}/{Tz}");

    /// <summary>
    /// The customers table's key: the dashboard part's and what was asked (the search last and escaped, so no two asks share
    /// a key; both as typed, since the form shows them back). The page as asked, not as clamped: asking for page 99 of 40 is
    /// kept apart from page 40, with the same content. The table of a kept portfolio is the same for every request of the same ask.
    /// </summary>
    public string TableCacheKey => string.Create(CultureInfo.InvariantCulture,
        $"{DashboardCacheKey}/{Below}/{Sort}/{Dir}/{PageNumber}/{Uri.EscapeDataString(Q ?? "")}");

    /// <summary>The trend's charts, one per workload; drawn only when the dashboard part is not in the cache.</summary>
    public IReadOnlyList<ChartView> Trends() => ChartView.PerWorkload(Dashboard.Trend, w => T["{0}: daily active users, all customers", w],
        T["Active users"], w => T[w], ChartTexts.From(T));
    /// <summary>The table's customers (set by <see cref="SelectAsync"/>).</summary>
    public PortfolioPage Selection { get; private set; } = null!;
    public bool Descending => Dir == "desc";
    public bool Filtered => !string.IsNullOrWhiteSpace(Q) || !string.IsNullOrWhiteSpace(Below);

    /// <summary>
    /// The figures are still being computed (a period nobody asked for before, at a large partner): the page says so, and
    /// its live region polls <see cref="OnGetStatusAsync"/> and updates itself when they are ready.
    /// </summary>
    public bool Preparing { get; private set; }

    /// <summary>The live region's status address: this page's period and zone.</summary>
    public string StatusLink => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/partner/usage",
        new Dictionary<string, string?> { ["handler"] = "Status", ["period"] = Period, ["tz"] = Tz });

    /// <summary>What the live region polls: busy while the period's figures are being computed.</summary>
    public async Task<JsonResult> OnGetStatusAsync()
    {
        ResolvePeriodAndZone();
        // Joins the computation under way (or starts it again, after a failure) without waiting for it.
        var loading = PartnerDashboard.LoadAsync(portfolios, Range.From, Range.To, CancellationToken.None);
        return Status(await ReadyAsync(loading, TimeSpan.Zero, HttpContext.RequestAborted)).ToJson();
    }

    /// <summary>The live region's state as the page was drawn.</summary>
    public LiveStatus Live => Status(!Preparing);

    private static LiveStatus Status(bool ready) => LiveStatus.Of(!ready, [ready ? "ready" : "preparing"]);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        ResolvePeriodAndZone();
        var page = int.TryParse(Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1;
        var (query, problems) = PortfolioQuery.FromParameters(Q, Below, Sort, Dir, page, PageSize);
        Messages.AddRange(problems.Select(problem => T.Message(problem.Message)));
        // Links carry only what was understood, so a bad value does not stick to every link.
        (Sort, Dir) = (query.Sort, query.Descending ? "desc" : "asc");
        if (problems.Any(problem => problem.Errors?.ContainsKey("below") == true)) Below = null;

        // Not cancelled with this request: the computation is shared, and the page that says "being prepared" leaves it running.
        var loading = PartnerDashboard.LoadAsync(portfolios, Range.From, Range.To, CancellationToken.None);
        if (!await ReadyAsync(loading, TimeSpan.FromSeconds(options.Value.PageWaitSeconds), ct))
        {
            Preparing = true;
            return Page();
        }
        Dashboard = await loading;
        // The same ask of the same data by the same browser session: the page drawn for it before (KeptPage).
        if (KeptPage.Find(HttpContext, Dashboard) is { } kept) return kept;
        Portfolio = Dashboard.Portfolio;
        (_query, PageNumber) = (query, query.Page);
        return Page();
    }

    /// <summary>
    /// The table's customers, searched, filtered, sorted and paged, and each one's small trend: worked out by the page only when
    /// its table part is not in the cache (keyed by the ask, <see cref="TableCacheKey"/>). Counting a search's matches goes
    /// over every customer (10,000 at a large partner), and was a sixth of a warm request.
    /// </summary>
    public async Task<PortfolioPage> SelectAsync()
    {
        Selection = Portfolio.Select(_query);
        PageNumber = Selection.Page;
        CustomerTrends = await PartnerDashboard.CustomerTrendsAsync(usage, Portfolio, [.. Selection.Items.Select(c => c.TenantId)], Range.From, Range.To,
            HttpContext.RequestAborted);
        return Selection;
    }

    /// <summary>
    /// Whether <paramref name="loading"/> finished within <paramref name="wait"/>. One left running is observed, so a failure
    /// is not an unobserved exception; the next request computes again.
    /// </summary>
    private static async Task<bool> ReadyAsync(Task<PartnerDashboard> loading, TimeSpan wait, CancellationToken ct)
    {
        if (!loading.IsCompleted && wait > TimeSpan.Zero)
            await Task.WhenAny(loading, Task.Delay(wait, ct));
        if (loading.IsCompleted) return true;
        _ = loading.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return false;
    }

    /// <summary>The link to this page with the current choices and the given changes.</summary>
    public string Link(string? sort = null, string? dir = null, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["period"] = Period, ["tz"] = Tz, ["q"] = string.IsNullOrWhiteSpace(Q) ? null : Q, ["below"] = string.IsNullOrWhiteSpace(Below) ? null : Below,
            ["sort"] = sort ?? Sort, ["dir"] = dir ?? Dir, ["page"] = (page ?? PageNumber).ToString(CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/partner/usage", query.Where(p => p.Value is not null)!);
    }

    /// <summary>The header link for a column: ascending first, flipping when the column is already sorted.</summary>
    public string SortLink(string key) => Link(key, Sort == key && !Descending ? "desc" : "asc", 1);

    public string AriaSort(string key) => Sort != key ? "none" : Descending ? "descending" : "ascending";
}
