using DporReports.Core.Subscriptions;

namespace DporReports.Core.Usage;

/// <summary>The Copilot apps Graph's Copilot user detail gives a last activity date for.</summary>
public enum CopilotApp
{
    Teams,
    Word,
    Excel,
    PowerPoint,
    Outlook,
    OneNote,
    Loop,
    CopilotChat,
}

/// <summary>
/// The columns of Graph's Microsoft 365 Copilot user detail (<c>getMicrosoft365CopilotUsageUserDetail</c>), as Microsoft's
/// documentation prints them (https://learn.microsoft.com/graph/api/reportroot-getmicrosoft365copilotusageuserdetail and
/// https://learn.microsoft.com/microsoft-365/copilot/extensibility/api/admin-settings/reports/copilotreportroot-getmicrosoft365copilotusageuserdetail):
/// Report Refresh Date, Report Period, User Principal Name, Display Name, Last Activity Date, Microsoft Teams Copilot Last
/// Activity Date, Word Copilot Last Activity Date, Excel Copilot Last Activity Date, PowerPoint Copilot Last Activity Date,
/// Outlook Copilot Last Activity Date, OneNote Copilot Last Activity Date, Loop Copilot Last Activity Date, Copilot Chat Last
/// Activity Date. The JSON form names them in camelCase (microsoftTeamsCopilotLastActivityDate, copilotChatLastActivityDate…);
/// the product asks for the CSV ($format=text/csv) and maps columns by header name. The report lists only users who hold a
/// Microsoft 365 Copilot licence. Required means "read by this code": Display Name and Report Period are not.
/// </summary>
public static class CopilotUsageColumns
{
    public const string UserPrincipalName = "User Principal Name";
    public const string LastActivityDate = "Last Activity Date";

    public static readonly IReadOnlyList<(CopilotApp App, string LastActivity)> Apps =
    [
        (CopilotApp.Teams, "Microsoft Teams Copilot Last Activity Date"),
        (CopilotApp.Word, "Word Copilot Last Activity Date"),
        (CopilotApp.Excel, "Excel Copilot Last Activity Date"),
        (CopilotApp.PowerPoint, "PowerPoint Copilot Last Activity Date"),
        (CopilotApp.Outlook, "Outlook Copilot Last Activity Date"),
        (CopilotApp.OneNote, "OneNote Copilot Last Activity Date"),
        (CopilotApp.Loop, "Loop Copilot Last Activity Date"),
        (CopilotApp.CopilotChat, "Copilot Chat Last Activity Date"),
    ];

    public static readonly IReadOnlyList<string> Required =
        [UsageReports.ReportRefreshDate, UserPrincipalName, LastActivityDate, .. Apps.Select(a => a.LastActivity)];
}

/// <summary>Users of one Copilot subscription active in one Copilot app in the 28 days ending on the refresh date.</summary>
public sealed record CopilotAppUsage(Guid SubscriptionId, CopilotApp App, int ActiveUsers);

/// <summary>
/// The per-subscription figures of one Copilot user-detail file: licensed users, seats and MAU in <paramref name="Subscriptions"/>
/// (workload <see cref="Workload.Copilot"/>), MAU per app in <paramref name="Apps"/>; users the tenant's inventory gives no
/// Copilot subscription for in <paramref name="Unattributed"/>.
/// </summary>
public sealed record CopilotUsageSnapshot(DateOnly RefreshDate, long RowsRead, bool NamesConcealed, IReadOnlyList<SubscriptionWorkloadUsage> Subscriptions,
    IReadOnlyList<CopilotAppUsage> Apps, IReadOnlyList<UnattributedUsage> Unattributed);

/// <summary>
/// Turns Graph's Copilot user detail into per-subscription counts (design.md §3, "Copilot"). Every row is a user holding a
/// Copilot licence; the file names no product, so the licence is the tenant's Copilot subscriptions as a whole: all of them
/// (every subscription whose SKU carries <see cref="Workload.Copilot"/>) pool, and licensed users, MAU and each app's MAU
/// are split across them by seats with the largest-remainder method, as pooled subscriptions of the other workloads are.
/// MAU: <c>Last Activity Date</c> in the 28 days ending on the refresh date, both ends included; an app's MAU the same over
/// its own column. Rows are counted and dropped: no user is kept. A file with no data rows is refused (its refresh date is
/// unknown, so there is nothing to record for any date).
/// </summary>
public static class CopilotUsageAggregator
{
    /// <summary>Where Copilot users go when the tenant's inventory holds no Copilot subscription.</summary>
    public const string NoCopilotSubscription = "(no Copilot subscription)";

    private static readonly CopilotApp[] AllApps = Enum.GetValues<CopilotApp>();

    public static async Task<CopilotUsageSnapshot> AggregateAsync(Stream csv, IReadOnlyList<TenantSubscription> subscriptions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        await using var reader = await UsageCsvReader.OpenAsync(csv, CopilotUsageColumns.Required, ct);
        int refreshOrdinal = reader.Ordinal(UsageReports.ReportRefreshDate), upnOrdinal = reader.Ordinal(CopilotUsageColumns.UserPrincipalName),
            lastOrdinal = reader.Ordinal(CopilotUsageColumns.LastActivityDate);
        var appOrdinals = new int[AllApps.Length];
        foreach (var (app, column) in CopilotUsageColumns.Apps) appOrdinals[(int)app] = reader.Ordinal(column);

        DateOnly? refreshDate = null;
        int windowStart = 0, longWindowStart = 0, windowEnd = 0, licensed = 0, active = 0, active90 = 0;
        var appActive = new int[AllApps.Length];
        var allNamesHashed = true;
        while (await reader.ReadAsync(ct))
        {
            var refresh = reader.Date(refreshOrdinal) ?? throw reader.Malformed(refreshOrdinal, "is empty; every row carries the refresh date");
            if (refreshDate is not { } expected)
            {
                refreshDate = refresh;
                windowEnd = refresh.DayNumber;
                windowStart = windowEnd - (ActiveUserDetailAggregator.MauWindowDays - 1);
                longWindowStart = windowEnd - (ActiveUserDetailAggregator.LongInactivityDays - 1);
            }
            else if (refresh != expected)
            {
                throw reader.Malformed(refreshOrdinal, $"differs from the first row's refresh date {expected:yyyy-MM-dd}");
            }

            if (allNamesHashed && !ActiveUserDetailAggregator.LooksHashed(reader.Field(upnOrdinal))) allNamesHashed = false;
            licensed++;
            var last = reader.Date(lastOrdinal);
            if (InWindow(last)) active++;
            if (last is { } recent && recent.DayNumber >= longWindowStart && recent.DayNumber <= windowEnd) active90++;
            for (var a = 0; a < appOrdinals.Length; a++)
            {
                // Every date is parsed, so a corrupt column is refused rather than half-read.
                if (InWindow(reader.Date(appOrdinals[a]))) appActive[a]++;
            }
        }

        if (refreshDate is not { } date)
            throw new UsageReportFormatException(
                "The Copilot user detail has a header but no data rows: its refresh date is unknown, so there is nothing to record.");

        var pool = Pool(subscriptions);
        if (pool.Count == 0)
        {
            return new CopilotUsageSnapshot(date, reader.RowNumber, allNamesHashed, [], [],
                [new UnattributedUsage(NoCopilotSubscription, Workload.Copilot, licensed, active)]);
        }

        var (units, ids) = SplitWeights(pool);
        var licensedParts = LargestRemainder.Split(licensed, units, ids);
        var activeParts = LargestRemainder.Split(active, units, ids);
        var active90Parts = LargestRemainder.Split(active90, units, ids);
        var appParts = AllApps.Select(a => LargestRemainder.Split(appActive[(int)a], units, ids)).ToArray();
        var usage = pool.Select((s, i) => new SubscriptionWorkloadUsage(s.SubscriptionId, Workload.Copilot,
            s.IsActive && !s.IsTrial ? Math.Max(0, s.TotalLicenses) : 0, licensedParts[i], activeParts[i], active90Parts[i])).ToList();
        var apps = pool.SelectMany((s, i) => AllApps.Select(a => new CopilotAppUsage(s.SubscriptionId, a, appParts[(int)a][i]))).ToList();
        return new CopilotUsageSnapshot(date, reader.RowNumber, allNamesHashed, usage, apps, []);

        bool InWindow(DateOnly? day) => day is { } d && d.DayNumber >= windowStart && d.DayNumber <= windowEnd;
    }

    /// <summary>The tenant's Copilot subscriptions, which pool: every subscription whose SKU carries Copilot.</summary>
    public static List<TenantSubscription> Pool(IReadOnlyList<TenantSubscription> subscriptions) =>
        [.. subscriptions.Where(s => s.Workloads.Contains(Workload.Copilot))];

    /// <summary>
    /// The units the pool's figures are split by: seats while active (a trial's units count, though it has 0 paid seats),
    /// else 0; and the subscription ids that break ties.
    /// </summary>
    public static (List<long> Units, List<Guid> Ids) SplitWeights(IReadOnlyList<TenantSubscription> pool) =>
        ([.. pool.Select(s => (long)(s.IsActive ? Math.Max(0, s.TotalLicenses) : 0))], [.. pool.Select(s => s.SubscriptionId)]);
}
