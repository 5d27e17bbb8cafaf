using DporReports.Core.Subscriptions;

namespace DporReports.Core.Usage;

/// <summary>
/// Reads the tenant-level count reports into one value per (date, workload, metric): getOffice365ActiveUserCounts gives
/// daily active users per workload (metric "ActiveUsers"); the activity reports give their columns as metrics, named as
/// in the file ("Send", "Team Chat Messages", …). getOffice365ServicesUserCounts has no Report Date: its active and
/// inactive users over the report period are dated on the refresh date (metrics "ActiveInPeriod", "InactiveInPeriod").
/// Empty counts read as 0 (Skype for Business, retired, is usually empty). A file with no data rows is refused: its
/// refresh date is unknown.
/// </summary>
public static class DailyCountsReader
{
    public const string ActiveUsersMetric = "ActiveUsers";
    public const string ActiveInPeriodMetric = "ActiveInPeriod";
    public const string InactiveInPeriodMetric = "InactiveInPeriod";

    /// <summary>A column of a count report: which workload and metric its numbers are.</summary>
    public sealed record CountColumn(string Column, Workload Workload, string Metric);

    private static readonly Dictionary<string, CountColumn[]> Columns = new(StringComparer.Ordinal)
    {
        [UsageReports.ActiveUserCounts] =
        [
            new("Exchange", Workload.Exchange, ActiveUsersMetric),
            new("SharePoint", Workload.SharePoint, ActiveUsersMetric),
            new("Teams", Workload.Teams, ActiveUsersMetric),
            new("Yammer", Workload.Yammer, ActiveUsersMetric),
            new("Skype For Business", Workload.SkypeForBusiness, ActiveUsersMetric),
        ],
        [UsageReports.ServicesUserCounts] =
        [
            new("Exchange Active", Workload.Exchange, ActiveInPeriodMetric),
            new("Exchange Inactive", Workload.Exchange, InactiveInPeriodMetric),
            new("SharePoint Active", Workload.SharePoint, ActiveInPeriodMetric),
            new("SharePoint Inactive", Workload.SharePoint, InactiveInPeriodMetric),
            new("Teams Active", Workload.Teams, ActiveInPeriodMetric),
            new("Teams Inactive", Workload.Teams, InactiveInPeriodMetric),
            new("Yammer Active", Workload.Yammer, ActiveInPeriodMetric),
            new("Yammer Inactive", Workload.Yammer, InactiveInPeriodMetric),
            new("Skype For Business Active", Workload.SkypeForBusiness, ActiveInPeriodMetric),
            new("Skype For Business Inactive", Workload.SkypeForBusiness, InactiveInPeriodMetric),
        ],
        [UsageReports.EmailActivityCounts] = Metrics(Workload.Exchange, "Send", "Receive", "Read"),
        // Per Graph's documentation, these two "UserCounts" reports count users doing each action, not actions.
        [UsageReports.SharePointActivityUserCounts] =
            Metrics(Workload.SharePoint, "Visited Page", "Viewed Or Edited", "Synced", "Shared Internally", "Shared Externally"),
        [UsageReports.TeamsUserActivityUserCounts] =
            Metrics(Workload.Teams, "Team Chat Messages", "Private Chat Messages", "Calls", "Meetings", "Other Actions"),
        [UsageReports.YammerActivityCounts] = Metrics(Workload.Yammer, "Liked", "Posted", "Read"),
        [UsageReports.SkypeForBusinessActivityCounts] = Metrics(Workload.SkypeForBusiness, "Peer-to-peer", "Organized", "Participated"),
    };

    /// <summary>The value columns of a count report; empty for any other function.</summary>
    public static IReadOnlyList<CountColumn> ColumnsOf(string function) => Columns.GetValueOrDefault(function) ?? [];

    public static async Task<(DateOnly RefreshDate, long RowsRead, IReadOnlyList<DailyWorkloadValue> Values)> ReadAsync(
        string function, Stream csv, CancellationToken ct)
    {
        if (!Columns.TryGetValue(function, out var columns))
        {
            throw new ArgumentException($"'{function}' is not a count report this product reads.", nameof(function));
        }

        var perPeriod = function == UsageReports.ServicesUserCounts;
        await using var reader = await UsageCsvReader.OpenAsync(csv, UsageReports.RequiredColumns(function), ct);
        var refreshOrdinal = reader.Ordinal(UsageReports.ReportRefreshDate);
        var dateOrdinal = perPeriod ? refreshOrdinal : reader.Ordinal(UsageReports.ReportDate);
        var ordinals = columns.Select(c => reader.Ordinal(c.Column)).ToArray();
        DateOnly? refreshDate = null;
        var values = new List<DailyWorkloadValue>();
        while (await reader.ReadAsync(ct))
        {
            var refresh = reader.Date(refreshOrdinal) ?? throw reader.Malformed(refreshOrdinal, "is empty; every row carries the refresh date");
            refreshDate ??= refresh;
            if (refresh != refreshDate)
            {
                throw reader.Malformed(refreshOrdinal, $"differs from the first row's refresh date {refreshDate:yyyy-MM-dd}");
            }

            var date = reader.Date(dateOrdinal) ?? throw reader.Malformed(dateOrdinal, "is empty; every row is for a date");
            for (var i = 0; i < columns.Length; i++)
            {
                values.Add(new DailyWorkloadValue(date, columns[i].Workload, columns[i].Metric, reader.Long(ordinals[i])));
            }
        }

        return refreshDate is { } known
            ? (known, reader.RowNumber, values)
            : throw new UsageReportFormatException($"The {function} report has a header but no data rows: its refresh date is unknown, so there is nothing to record.");
    }

    private static CountColumn[] Metrics(Workload workload, params string[] names) =>
        [.. names.Select(name => new CountColumn(name, workload, name))];
}
