namespace DporReports.Core.Reports.Catalog;

/// <summary>
/// The metric names a column may declare. Each is defined, in design.md §3's words, under "Metric definitions" in
/// reports/README.md; a test keeps the two lists equal.
/// </summary>
public static class ReportMetrics
{
    public const string Pau = "pau";
    public const string LicensedUsers = "licensedUsers";
    public const string Mau = "mau";
    public const string UsagePercent = "usagePercent";
    public const string AssignedPercent = "assignedPercent";
    public const string OverallUsagePercent = "overallUsagePercent";
    public const string UsageChange = "usageChange";
    public const string DailyActiveUsers = "dailyActiveUsers";
    public const string ActivityCounts = "activityCounts";
    public const string Freshness = "freshness";

    // Adoption signals (issue "where to help"): counts and changes per subscription, never per user.
    public const string UnassignedSeats = "unassignedSeats";
    public const string InactiveUsers = "inactiveUsers";
    public const string MauChange = "mauChange";
    public const string DailyActiveUsersChange = "dailyActiveUsersChange";
    public const string DaysToRenewal = "daysToRenewal";
    public const string SeatsAtStake = "seatsAtStake";

    public static IReadOnlyList<string> All { get; } =
    [
        Pau, LicensedUsers, Mau, UsagePercent, AssignedPercent, OverallUsagePercent, UsageChange, DailyActiveUsers, ActivityCounts, Freshness,
        UnassignedSeats, InactiveUsers, MauChange, DailyActiveUsersChange, DaysToRenewal, SeatsAtStake,
    ];
}
