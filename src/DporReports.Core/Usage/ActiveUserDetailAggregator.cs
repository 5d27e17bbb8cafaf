using System.Buffers;
using DporReports.Core.Subscriptions;

namespace DporReports.Core.Usage;

/// <summary>
/// Turns the per-user active-user detail (getOffice365ActiveUserDetail) into per-subscription counts, by the exact
/// definitions of design.md §3. Each user row is read, counted and dropped: nothing about a user is kept, not even
/// for the length of the file (only counters per SKU and workload, and a bounded cache of parsed "Assigned Products"
/// values, which name products, not people).
/// </summary>
/// <remarks>
/// Attribution of a non-deleted user licensed for workload W (<c>Has W License</c> True):
/// <list type="bullet">
/// <item>their assigned product names that the catalog knows map to SKU part numbers; each such SKU that has a tenant
/// subscription carrying W counts the user (a user of two such SKUs counts in each);</item>
/// <item>several subscriptions of one SKU carrying W pool: the SKU's licensed users and MAU are each split across them in
/// proportion to their seats (all equal if every one has 0 seats) by the largest-remainder method;</item>
/// <item>if no SKU of the user carries W, the user goes to <see cref="UnattributedUsage"/> under each of their unknown
/// product names ("(unknown: NAME)") — the likely source of the licence — or, having none, under each of their known
/// products, or "(no assigned products)". A licence placed in a subscription is not also listed as unattributed.</item>
/// </list>
/// MAU: <c>W Last Activity Date</c> in [refresh date − 27, refresh date]. A file with no data rows is refused: its
/// refresh date is unknown, so there is nothing to record for any date.
/// </remarks>
public static class ActiveUserDetailAggregator
{
    /// <summary>Partner Center's MAU window: the 28 days ending on the report's refresh date, both ends included.</summary>
    public const int MauWindowDays = 28;

    /// <summary>
    /// The "inactive for 90 days" window. "Last Activity Date" is the user's latest activity ever, not only in the report's
    /// period, so the 30-day detail answers it too.
    /// </summary>
    public const int LongInactivityDays = 90;

    public const string NoAssignedProducts = "(no assigned products)";

    /// <summary>Most unknown product names kept per file; the rest are counted under <see cref="OtherUnknownProducts"/>.</summary>
    public const int MaxUnknownProductNames = 200;

    public const string OtherUnknownProducts = "(other unknown products)";

    /// <summary>The 30-day detail: licensed users and MAU per subscription and workload, on the file's refresh date.</summary>
    public static Task<ActiveUserSnapshot> AggregateAsync(Stream csv, IReadOnlyList<TenantSubscription> subscriptions, CancellationToken ct) =>
        AggregateAsync(csv, subscriptions, ProductCatalog.Microsoft, activityDate: null, ct);

    /// <summary>
    /// The detail for one date (<c>(date=…)</c>): the daily active users of <paramref name="activityDate"/> per subscription
    /// and workload — licensed users whose last activity is that date — in <see cref="SubscriptionWorkloadUsage.ActiveUsers"/>,
    /// attributed and split like MAU. A file with no rows is a day on which nobody was active.
    /// </summary>
    public static Task<ActiveUserSnapshot> AggregateDayAsync(Stream csv, IReadOnlyList<TenantSubscription> subscriptions, DateOnly activityDate,
        CancellationToken ct) =>
        AggregateAsync(csv, subscriptions, ProductCatalog.Microsoft, activityDate, ct);

    public static async Task<ActiveUserSnapshot> AggregateAsync(Stream csv, IReadOnlyList<TenantSubscription> subscriptions, ProductCatalog catalog,
        DateOnly? activityDate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(catalog);
        var tally = new Tally(subscriptions, catalog, activityDate);
        await using var reader = await UsageCsvReader.OpenAsync(csv, ActiveUserDetailColumns.Required, ct);
        tally.Bind(reader);
        while (await reader.ReadAsync(ct))
        {
            tally.Add(reader);
        }

        return tally.Snapshot(reader.RowNumber);
    }

    public static string UnknownProductLabel(string productName) => $"(unknown: {productName})";

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Concealed report names are 32 hex digits (an MD5-sized hash) in place of "name@domain".</summary>
    internal static bool LooksHashed(ReadOnlySpan<char> userPrincipalName) =>
        userPrincipalName.Length == 32 && !userPrincipalName.ContainsAnyExcept(HexDigits);

    private sealed class Counter
    {
        public int Licensed;
        public int Active;
    }

    /// <summary>What one distinct "Assigned Products" value means for attribution, per workload.</summary>
    private sealed class ProductPlan(int[][] skusByWorkload, string[][] unattributedByWorkload, string[] unknownNames)
    {
        /// <summary>The product names of the field Microsoft's table does not know.</summary>
        public string[] UnknownNames { get; } = unknownNames;

        /// <summary>Per workload: the tenant SKUs (indices) of the user that carry it.</summary>
        public int[][] SkusByWorkload { get; } = skusByWorkload;

        /// <summary>Per workload: where the user goes when none of their SKUs carries it.</summary>
        public string[][] UnattributedByWorkload { get; } = unattributedByWorkload;
    }

    private sealed class Tally
    {
        private readonly ProductCatalog _catalog;
        private readonly DateOnly? _activityDate;
        private readonly Dictionary<string, int> _unknownUsers = new(StringComparer.OrdinalIgnoreCase);

        // Bounds the cache of parsed "Assigned Products" values. Tenants have a few dozen distinct combinations; a file
        // with more just parses the rest each time, so memory stays flat whatever the file size.
        private const int MaxCachedProductValues = 4096;

        // The five workloads this report carries (Copilot has its own report); each one's value is its index below.
        private static readonly Workload[] AllWorkloads = [.. ActiveUserDetailColumns.Workloads.Select(w => w.Workload).Order()];

        private readonly IReadOnlyList<TenantSubscription> _subscriptions;
        private readonly Dictionary<string, int> _skuIndex = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<HashSet<Workload>> _skuWorkloads = [];
        private readonly int[] _licensed;
        private readonly int[] _active;
        private readonly int[] _active90;
        private readonly Dictionary<string, Counter[]> _unattributed = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, ProductPlan> _plans = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ProductPlan>.AlternateLookup<ReadOnlySpan<char>> _planLookup;

        private int _refreshOrdinal, _upnOrdinal, _deletedOrdinal, _productsOrdinal;
        private readonly int[] _hasLicenseOrdinal = new int[AllWorkloads.Length];
        private readonly int[] _lastActivityOrdinal = new int[AllWorkloads.Length];
        private DateOnly? _refreshDate;
        private int _windowStart, _windowEnd, _longWindowStart; // DayNumbers
        private bool _allNamesHashed = true;

        public Tally(IReadOnlyList<TenantSubscription> subscriptions, ProductCatalog catalog, DateOnly? activityDate)
        {
            (_catalog, _activityDate) = (catalog, activityDate);
            var ids = new HashSet<Guid>();
            foreach (var subscription in subscriptions)
            {
                if (!ids.Add(subscription.SubscriptionId))
                {
                    throw new ArgumentException($"Subscription {subscription.SubscriptionId} is listed twice.", nameof(subscriptions));
                }

                var pool = PoolOf(subscription);
                if (!_skuIndex.TryGetValue(pool, out var sku))
                {
                    sku = _skuWorkloads.Count;
                    _skuIndex.Add(pool, sku);
                    _skuWorkloads.Add([]);
                }

                // A SKU carries a workload if any of its subscriptions does; the split then goes only to those that do.
                _skuWorkloads[sku].UnionWith(subscription.Workloads);
            }

            _subscriptions = subscriptions;
            _licensed = new int[_skuWorkloads.Count * AllWorkloads.Length];
            _active = new int[_skuWorkloads.Count * AllWorkloads.Length];
            _active90 = new int[_skuWorkloads.Count * AllWorkloads.Length];
            _planLookup = _plans.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public void Bind(UsageCsvReader reader)
        {
            _refreshOrdinal = reader.Ordinal(UsageReports.ReportRefreshDate);
            _upnOrdinal = reader.Ordinal(ActiveUserDetailColumns.UserPrincipalName);
            _deletedOrdinal = reader.Ordinal(ActiveUserDetailColumns.IsDeleted);
            _productsOrdinal = reader.Ordinal(ActiveUserDetailColumns.AssignedProducts);
            foreach (var (workload, hasLicense, lastActivity) in ActiveUserDetailColumns.Workloads)
            {
                _hasLicenseOrdinal[(int)workload] = reader.Ordinal(hasLicense);
                _lastActivityOrdinal[(int)workload] = reader.Ordinal(lastActivity);
            }
        }

        public void Add(UsageCsvReader reader)
        {
            var refresh = reader.Date(_refreshOrdinal) ?? throw reader.Malformed(_refreshOrdinal, "is empty; every row carries the refresh date");
            if (_refreshDate is not { } expected)
            {
                _refreshDate = refresh;
                _windowEnd = (_activityDate ?? refresh).DayNumber;
                _windowStart = _activityDate is null ? _windowEnd - (MauWindowDays - 1) : _windowEnd;
                _longWindowStart = _windowEnd - (LongInactivityDays - 1);
            }
            else if (refresh != expected)
            {
                throw reader.Malformed(_refreshOrdinal, $"differs from the first row's refresh date {expected:yyyy-MM-dd}");
            }

            if (_allNamesHashed && !LooksHashed(reader.Field(_upnOrdinal)))
            {
                _allNamesHashed = false;
            }

            if (reader.Bool(_deletedOrdinal))
            {
                return; // deleted users count nowhere
            }

            var plan = PlanOf(reader.Field(_productsOrdinal));
            foreach (var name in plan.UnknownNames)
            {
                var key = _unknownUsers.Count < MaxUnknownProductNames || _unknownUsers.ContainsKey(name) ? name : OtherUnknownProducts;
                _unknownUsers[key] = _unknownUsers.GetValueOrDefault(key) + 1;
            }

            for (var w = 0; w < AllWorkloads.Length; w++)
            {
                // Parse the date whether or not it counts, so a corrupt column is refused rather than half-read.
                var last = reader.Date(_lastActivityOrdinal[w]);
                if (!reader.Bool(_hasLicenseOrdinal[w]))
                {
                    continue;
                }

                var active = last is { } day && day.DayNumber >= _windowStart && day.DayNumber <= _windowEnd;
                var active90 = last is { } recent && recent.DayNumber >= _longWindowStart && recent.DayNumber <= _windowEnd;
                var skus = plan.SkusByWorkload[w];
                if (skus.Length > 0)
                {
                    foreach (var sku in skus)
                    {
                        var cell = (sku * AllWorkloads.Length) + w;
                        _licensed[cell]++;
                        if (active)
                        {
                            _active[cell]++;
                        }

                        if (active90)
                        {
                            _active90[cell]++;
                        }
                    }

                    continue;
                }

                foreach (var label in plan.UnattributedByWorkload[w])
                {
                    if (!_unattributed.TryGetValue(label, out var counters))
                    {
                        counters = [.. AllWorkloads.Select(_ => new Counter())];
                        _unattributed.Add(label, counters);
                    }

                    counters[w].Licensed++;
                    if (active)
                    {
                        counters[w].Active++;
                    }
                }
            }
        }

        public ActiveUserSnapshot Snapshot(long rowsRead)
        {
            if (_refreshDate is null && _activityDate is { } quietDay)
            {
                _refreshDate = quietDay; // nobody active that day: every count is 0
            }

            if (_refreshDate is not { } refreshDate)
            {
                throw new UsageReportFormatException(
                    "The active-user detail has a header but no data rows: its refresh date is unknown, so there is nothing to record.");
            }

            var usage = new Dictionary<(Guid, Workload), (int Licensed, int Active, int Active90)>();
            foreach (var (sku, skuIndex) in _skuIndex)
            {
                foreach (var workload in AllWorkloads)
                {
                    var pool = _subscriptions
                        .Where(s => string.Equals(PoolOf(s), sku, StringComparison.OrdinalIgnoreCase) && s.Workloads.Contains(workload))
                        .ToList();
                    if (pool.Count == 0)
                    {
                        continue;
                    }

                    var cell = (skuIndex * AllWorkloads.Length) + (int)workload;
                    var seats = pool.Select(s => (long)Units(s)).ToList();
                    var ids = pool.Select(s => s.SubscriptionId).ToList();
                    var licensed = LargestRemainder.Split(_licensed[cell], seats, ids);
                    var active = LargestRemainder.Split(_active[cell], seats, ids);
                    var active90 = LargestRemainder.Split(_active90[cell], seats, ids);
                    for (var i = 0; i < pool.Count; i++)
                    {
                        usage[(pool[i].SubscriptionId, workload)] = (licensed[i], active[i], active90[i]);
                    }
                }
            }

            var subscriptions = new List<SubscriptionWorkloadUsage>();
            foreach (var subscription in _subscriptions)
            {
                foreach (var workload in AllWorkloads.Where(subscription.Workloads.Contains))
                {
                    var (licensed, active, active90) = usage[(subscription.SubscriptionId, workload)];
                    // A day's detail counts that day's active users; the 90-day count belongs to the 30-day detail only.
                    subscriptions.Add(new SubscriptionWorkloadUsage(subscription.SubscriptionId, workload, Seats(subscription), licensed, active,
                        _activityDate is null ? active90 : null));
                }
            }

            var unattributed = _unattributed
                .OrderBy(u => u.Key, StringComparer.OrdinalIgnoreCase)
                .SelectMany(u => AllWorkloads
                    .Where(w => u.Value[(int)w].Licensed > 0)
                    .Select(w => new UnattributedUsage(u.Key, w, u.Value[(int)w].Licensed, u.Value[(int)w].Active)))
                .ToList();

            var unknown = _unknownUsers
                .OrderByDescending(u => u.Value).ThenBy(u => u.Key, StringComparer.OrdinalIgnoreCase)
                .Select(u => new UnknownProductUsers(u.Key, u.Value))
                .ToList();
            return new ActiveUserSnapshot(refreshDate, rowsRead, _allNamesHashed, subscriptions, unattributed) { UnknownProducts = unknown };
        }

        /// <summary>Seats (PAU): total licences while the subscription is Enabled or Warning and paid (a trial's are not), else 0.</summary>
        private static int Seats(TenantSubscription subscription) => subscription.IsTrial ? 0 : Units(subscription);

        /// <summary>
        /// Units a pooled SKU's users are split by: total licences of every usable subscription, trials included (a trial
        /// of an E5 beside the paid E5 does hold people, even though its seats are not paid ones).
        /// </summary>
        private static int Units(TenantSubscription subscription) => subscription.IsActive ? Math.Max(0, subscription.TotalLicenses) : 0;

        /// <summary>
        /// The pool a subscription's users are split within: every subscription whose SKU has the same Microsoft display
        /// name, since that name is all the report gives. Usually one SKU; for the 14 names the table gives two SKUs, the
        /// tenant's subscriptions of both.
        /// </summary>
        private string PoolOf(TenantSubscription subscription) =>
            _catalog.Find(subscription.SkuId, subscription.SkuPartNumber)?.DisplayName ?? subscription.SkuPartNumber;

        private ProductPlan PlanOf(ReadOnlySpan<char> assignedProducts)
        {
            if (_planLookup.TryGetValue(assignedProducts, out var plan))
            {
                return plan;
            }

            var value = assignedProducts.ToString();
            plan = BuildPlan(value);
            if (_plans.Count < MaxCachedProductValues)
            {
                _plans.Add(value, plan);
            }

            return plan;
        }

        private ProductPlan BuildPlan(string assignedProducts)
        {
            var products = _catalog.ParseAssignedProducts(assignedProducts);
            var known = products.Known.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var unknownNames = products.Unknown.Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            var unknown = unknownNames.Select(UnknownProductLabel).ToArray();
            var skus = known
                .Select(name => _skuIndex.TryGetValue(name, out var sku) ? sku : -1)
                .Where(sku => sku >= 0)
                .Distinct()
                .ToList();

            string[] fallback = unknown.Length > 0 ? unknown : known.Count > 0 ? [.. known] : [NoAssignedProducts];
            var skusByWorkload = new int[AllWorkloads.Length][];
            var unattributedByWorkload = new string[AllWorkloads.Length][];
            foreach (var workload in AllWorkloads)
            {
                var carrying = skus.Where(sku => _skuWorkloads[sku].Contains(workload)).ToArray();
                skusByWorkload[(int)workload] = carrying;
                unattributedByWorkload[(int)workload] = carrying.Length > 0 ? [] : fallback;
            }

            return new ProductPlan(skusByWorkload, unattributedByWorkload, unknownNames);
        }
    }
}

/// <summary>The active-user detail's columns this product reads (shared/reference/graph-and-entra.md).</summary>
internal static class ActiveUserDetailColumns
{
    public const string UserPrincipalName = "User Principal Name";
    public const string IsDeleted = "Is Deleted";
    public const string AssignedProducts = "Assigned Products";

    public static readonly (Workload Workload, string HasLicense, string LastActivity)[] Workloads =
    [
        (Workload.Exchange, "Has Exchange License", "Exchange Last Activity Date"),
        (Workload.SharePoint, "Has SharePoint License", "SharePoint Last Activity Date"),
        (Workload.Teams, "Has Teams License", "Teams Last Activity Date"),
        (Workload.Yammer, "Has Yammer License", "Yammer Last Activity Date"),
        (Workload.SkypeForBusiness, "Has Skype For Business License", "Skype For Business Last Activity Date"),
    ];

    public static readonly IReadOnlyList<string> Required =
    [
        UsageReports.ReportRefreshDate, UserPrincipalName, IsDeleted,
        .. Workloads.Select(w => w.HasLicense), .. Workloads.Select(w => w.LastActivity), AssignedProducts,
    ];
}
