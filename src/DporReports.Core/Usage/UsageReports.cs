namespace DporReports.Core.Usage;

/// <summary>
/// The Graph usage report functions the product reads and the columns each must have (shared/reference/graph-and-entra.md,
/// "Usage reports"). Required means "read by this code": columns we never read (Display Name, OneDrive, licence assign
/// dates, Report Period) are left out, so Microsoft adding, reordering or dropping those does not stop ingestion.
/// </summary>
public static class UsageReports
{
    public const string ActiveUserDetail = "getOffice365ActiveUserDetail";

    /// <summary>How runs of the detail for one date (<c>(date=…)</c>, the daily active users) are recorded; not a Graph function name.</summary>
    public const string ActiveUserDetailOfDate = "getOffice365ActiveUserDetail(date)";
    public const string ActiveUserCounts = "getOffice365ActiveUserCounts";
    public const string ServicesUserCounts = "getOffice365ServicesUserCounts";
    public const string EmailActivityCounts = "getEmailActivityCounts";
    public const string SharePointActivityUserCounts = "getSharePointActivityUserCounts";
    public const string TeamsUserActivityUserCounts = "getTeamsUserActivityUserCounts";
    public const string YammerActivityCounts = "getYammerActivityCounts";
    public const string SkypeForBusinessActivityCounts = "getSkypeForBusinessActivityCounts";

    /// <summary>
    /// Microsoft 365 Copilot's user detail: served under beta's <c>/copilot/reports/</c>, not v1.0's <c>/reports/</c>
    /// (<see cref="Graph.GraphClient.CopilotReportsPath"/>); its columns and their source in <see cref="CopilotUsageColumns"/>.
    /// </summary>
    public const string CopilotUsageUserDetail = "getMicrosoft365CopilotUsageUserDetail";

    /// <summary>
    /// Microsoft 365 Copilot's daily active users (and enabled users) per Report Date, under the same beta path as the user
    /// detail; its columns and their source in <see cref="CopilotTrendColumns"/>.
    /// </summary>
    public const string CopilotUserCountTrend = "getMicrosoft365CopilotUserCountTrend";

    public const string ReportRefreshDate = "Report Refresh Date";
    public const string ReportDate = "Report Date";

    public static IReadOnlyList<string> All { get; } =
    [
        ActiveUserDetail, ActiveUserCounts, ServicesUserCounts, EmailActivityCounts, SharePointActivityUserCounts,
        TeamsUserActivityUserCounts, YammerActivityCounts, SkypeForBusinessActivityCounts,
    ];

    private static readonly Dictionary<string, string[]> Required = All.ToDictionary(f => f, f => f switch
    {
        ActiveUserDetail => ActiveUserDetailColumns.Required.ToArray(),
        ServicesUserCounts => [ReportRefreshDate, .. DailyCountsReader.ColumnsOf(f).Select(c => c.Column)],
        _ => [ReportRefreshDate, ReportDate, .. DailyCountsReader.ColumnsOf(f).Select(c => c.Column)],
    }, StringComparer.Ordinal);

    /// <summary>The columns <paramref name="function"/>'s file must have; throws for a function this product does not read.</summary>
    public static IReadOnlyList<string> RequiredColumns(string function) =>
        function == CopilotUsageUserDetail ? CopilotUsageColumns.Required
        : function == CopilotUserCountTrend ? CopilotTrendColumns.Required
        : Required.TryGetValue(function, out var columns)
            ? columns
            : throw new ArgumentException($"'{function}' is not a usage report this product reads.", nameof(function));
}
