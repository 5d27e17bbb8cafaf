namespace DporReports.Core.Usage;

/// <summary>
/// The columns of Graph's Microsoft 365 Copilot user-count trend (<c>getMicrosoft365CopilotUserCountTrend</c>), as
/// Microsoft's documentation prints them
/// (https://learn.microsoft.com/microsoft-365/copilot/extensibility/api/admin-settings/reports/copilotreportroot-getmicrosoft365copilotusercounttrend
/// and https://learn.microsoft.com/graph/api/reportroot-getmicrosoft365copilotusercounttrend): Report Refresh Date, Report
/// Date, Microsoft Teams / Word / PowerPoint / Outlook / Excel / OneNote / Loop / Any App / Copilot Chat Enabled Users and
/// Active Users, Report Period (version 2 adds Edge, Microsoft 365 Copilot, Copilot Chat (work) and (web) Enabled and Active
/// Users, and Prompts submitted). One row per Report Date. The JSON form (the default) nests the same figures in camelCase
/// under <c>value[0].adoptionByDate[]</c> (reportDate, anyAppActiveUsers…); the product asks for the CSV ($format=text/csv),
/// as for the user detail, and maps columns by header name. Required means "read by this code".
/// </summary>
public static class CopilotTrendColumns
{
    public const string AnyAppActiveUsers = "Any App Active Users";

    public static readonly IReadOnlyList<string> Required = [UsageReports.ReportRefreshDate, UsageReports.ReportDate, AnyAppActiveUsers];
}

/// <summary>One Copilot subscription's share of one day's Copilot active users.</summary>
public sealed record CopilotDailyUsage(DateOnly Date, Guid SubscriptionId, int ActiveUsers);

/// <summary>The per-subscription daily active users of one Copilot trend file, and the dates it covers.</summary>
public sealed record CopilotTrendSnapshot(DateOnly RefreshDate, long RowsRead, IReadOnlyList<DateOnly> Dates, IReadOnlyList<CopilotDailyUsage> Days);

/// <summary>
/// Turns Graph's Copilot user-count trend into daily active users per Copilot subscription: each day's "Any App Active
/// Users" is the tenant's Copilot licence as a whole, so it is split across the pooled Copilot subscriptions by the same
/// units and largest-remainder rule as the user detail (<see cref="CopilotUsageAggregator"/>). A tenant without a Copilot
/// subscription gets no rows. A file with no data rows is refused (its refresh date is unknown).
/// </summary>
public static class CopilotTrendAggregator
{
    public static async Task<CopilotTrendSnapshot> AggregateAsync(Stream csv, IReadOnlyList<TenantSubscription> subscriptions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        await using var reader = await UsageCsvReader.OpenAsync(csv, CopilotTrendColumns.Required, ct);
        int refreshOrdinal = reader.Ordinal(UsageReports.ReportRefreshDate), dateOrdinal = reader.Ordinal(UsageReports.ReportDate),
            activeOrdinal = reader.Ordinal(CopilotTrendColumns.AnyAppActiveUsers);
        DateOnly? refreshDate = null;
        var active = new Dictionary<DateOnly, int>();
        while (await reader.ReadAsync(ct))
        {
            var refresh = reader.Date(refreshOrdinal) ?? throw reader.Malformed(refreshOrdinal, "is empty; every row carries the refresh date");
            refreshDate ??= refresh;
            if (refresh != refreshDate)
            {
                throw reader.Malformed(refreshOrdinal, $"differs from the first row's refresh date {refreshDate:yyyy-MM-dd}");
            }

            var date = reader.Date(dateOrdinal) ?? throw reader.Malformed(dateOrdinal, "is empty; every row is for a date");
            var users = reader.Long(activeOrdinal);
            if (users is < 0 or > int.MaxValue) throw reader.Malformed(activeOrdinal, $"is {users}, not a count of users");
            if (!active.TryAdd(date, (int)users)) throw reader.Malformed(dateOrdinal, $"repeats {date:yyyy-MM-dd}; a date has one row");
        }

        if (refreshDate is not { } known)
            throw new UsageReportFormatException(
                "The Copilot user-count trend has a header but no data rows: its refresh date is unknown, so there is nothing to record.");

        var dates = active.Keys.Order().ToList();
        var pool = CopilotUsageAggregator.Pool(subscriptions);
        if (pool.Count == 0) return new CopilotTrendSnapshot(known, reader.RowNumber, dates, []);

        var (units, ids) = CopilotUsageAggregator.SplitWeights(pool);
        var days = dates.SelectMany(d => LargestRemainder.Split(active[d], units, ids).Select((part, i) => new CopilotDailyUsage(d, ids[i], part))).ToList();
        return new CopilotTrendSnapshot(known, reader.RowNumber, dates, days);
    }
}
