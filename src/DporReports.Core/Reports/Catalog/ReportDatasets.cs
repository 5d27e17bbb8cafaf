using System.Collections.Frozen;
using DporReports.Core.Subscriptions;

namespace DporReports.Core.Reports.Catalog;

/// <summary>One field of a dataset row: its key (as definition files name it), value type and, if it is one, the metric it carries.</summary>
public sealed record DatasetField(string Key, ColumnType Type, string? Metric = null);

/// <summary>
/// The datasets reports draw from and the fields of their rows. A definition file may only name fields listed here, with
/// their type, so a typo in a key fails at start-up and in tests instead of printing an empty column. A new report over
/// these datasets is a new file; a new field or dataset is code (the query that fills it) plus an entry here.
/// </summary>
public static class ReportDatasets
{
    /// <summary>One row per customer subscription the partner may see: seats, and per workload licensed users, MAU, usage %.</summary>
    public const string ConsumptionSummary = "consumption-summary";

    /// <summary>One row per customer, workload and day: tenant-level daily active users.</summary>
    public const string WorkloadTrend = "workload-trend";

    /// <summary>One row per event of the partner's own assignments.</summary>
    public const string AssignmentLedger = "assignment-ledger";

    /// <summary>One row per subscription and reason of the "where to help" list, in its rank order (reports/README.md "Where to help").</summary>
    public const string WhereToHelp = "where-to-help";

    public static IReadOnlyList<string> All { get; } = [ConsumptionSummary, WorkloadTrend, AssignmentLedger, WhereToHelp];

    public static class ConsumptionSummaryFields
    {
        public const string CustomerName = "customerName";
        public const string TenantId = "tenantId";
        public const string SubscriptionId = "subscriptionId";
        public const string ProductName = "productName";
        public const string SubscriptionReference = "subscriptionReference";
        public const string Trial = "trial";
        public const string NextLifecycle = "nextLifecycle";
        public const string Family = "family";
        public const string Seats = "seats";
        public const string ExchangeLicensed = "exchangeLicensed";
        public const string ExchangeMau = "exchangeMau";
        public const string ExchangeUsage = "exchangeUsage";
        public const string ExchangeAssigned = "exchangeAssigned";
        public const string SharePointLicensed = "sharePointLicensed";
        public const string SharePointMau = "sharePointMau";
        public const string SharePointUsage = "sharePointUsage";
        public const string SharePointAssigned = "sharePointAssigned";
        public const string TeamsLicensed = "teamsLicensed";
        public const string TeamsMau = "teamsMau";
        public const string TeamsUsage = "teamsUsage";
        public const string TeamsAssigned = "teamsAssigned";
        public const string YammerLicensed = "yammerLicensed";
        public const string YammerMau = "yammerMau";
        public const string YammerUsage = "yammerUsage";
        public const string YammerAssigned = "yammerAssigned";
        public const string SkypeLicensed = "skypeLicensed";
        public const string SkypeMau = "skypeMau";
        public const string SkypeUsage = "skypeUsage";
        public const string SkypeAssigned = "skypeAssigned";
        public const string CopilotLicensed = "copilotLicensed";
        public const string CopilotMau = "copilotMau";
        public const string CopilotUsage = "copilotUsage";
        public const string CopilotAssigned = "copilotAssigned";
        public const string OverallUsage = "overallUsage";
        public const string OverallUsageChange = "overallUsageChange";
        public const string UsageAsOf = "usageAsOf";

        /// <summary>The field keys of one workload, for the code that fills a row.</summary>
        public static (string Licensed, string Mau, string Usage, string Assigned) Of(Workload workload) => workload switch
        {
            Workload.Exchange => (ExchangeLicensed, ExchangeMau, ExchangeUsage, ExchangeAssigned),
            Workload.SharePoint => (SharePointLicensed, SharePointMau, SharePointUsage, SharePointAssigned),
            Workload.Teams => (TeamsLicensed, TeamsMau, TeamsUsage, TeamsAssigned),
            Workload.Yammer => (YammerLicensed, YammerMau, YammerUsage, YammerAssigned),
            Workload.SkypeForBusiness => (SkypeLicensed, SkypeMau, SkypeUsage, SkypeAssigned),
            Workload.Copilot => (CopilotLicensed, CopilotMau, CopilotUsage, CopilotAssigned),
            _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, "Not one of the six workloads."),
        };
    }

    public static class WorkloadTrendFields
    {
        public const string CustomerName = "customerName";
        public const string TenantId = "tenantId";
        public const string Date = "date";
        public const string Workload = "workload";
        public const string DailyActiveUsers = "dailyActiveUsers";
    }

    public static class AssignmentLedgerFields
    {
        public const string CustomerName = "customerName";
        public const string TenantId = "tenantId";
        public const string ProductName = "productName";
        public const string SubscriptionId = "subscriptionId";
        public const string Event = "event";
        public const string At = "at";
        public const string PartnerBefore = "partnerBefore";
        public const string PartnerAfter = "partnerAfter";

        /// <summary>The Partner ID (MPN ID) the customer entered: digits, kept as text.</summary>
        public const string PartnerIdNumber = "partnerIdNumber";
        public const string State = "state";
    }

    public static class WhereToHelpFields
    {
        public const string Rank = "rank";
        public const string CustomerName = "customerName";
        public const string TenantId = "tenantId";
        public const string ProductName = "productName";
        public const string SubscriptionReference = "subscriptionReference";
        public const string SubscriptionId = "subscriptionId";
        public const string Reason = "reason";

        /// <summary>The sentence saying which figure put the item on the list.</summary>
        public const string Why = "why";
        public const string Workload = "workload";
        public const string Seats = "seats";
        public const string SeatsAtStake = "seatsAtStake";
        public const string OverallUsage = "overallUsage";
        public const string UnassignedSeats = "unassignedSeats";
        public const string Inactive28 = "inactive28";
        public const string Inactive90 = "inactive90";
        public const string MauChangeWeek = "mauChangeWeek";
        public const string MauChangeMonth = "mauChangeMonth";
        public const string DailyActiveUsersChangeWeek = "dailyActiveUsersChangeWeek";
        public const string DailyActiveUsersChangeMonth = "dailyActiveUsersChangeMonth";
        public const string CopilotUsage = "copilotUsage";
        public const string DaysToRenewal = "daysToRenewal";
        public const string NextLifecycle = "nextLifecycle";
        public const string UsageAsOf = "usageAsOf";
    }

    // Static initialisers run in textual order: the rows come first, the lookup built from them second.
    private static readonly FrozenDictionary<string, IReadOnlyList<DatasetField>> RowsByDataset =
        new Dictionary<string, IReadOnlyList<DatasetField>>
        {
            [ConsumptionSummary] = ConsumptionSummaryRow(),
            [WorkloadTrend] =
            [
                new(WorkloadTrendFields.CustomerName, ColumnType.Text),
                new(WorkloadTrendFields.TenantId, ColumnType.Text),
                new(WorkloadTrendFields.Date, ColumnType.Date),
                new(WorkloadTrendFields.Workload, ColumnType.Text),
                new(WorkloadTrendFields.DailyActiveUsers, ColumnType.Integer, ReportMetrics.DailyActiveUsers),
            ],
            [AssignmentLedger] =
            [
                new(AssignmentLedgerFields.CustomerName, ColumnType.Text),
                new(AssignmentLedgerFields.TenantId, ColumnType.Text),
                new(AssignmentLedgerFields.ProductName, ColumnType.Text),
                new(AssignmentLedgerFields.SubscriptionId, ColumnType.Text),
                new(AssignmentLedgerFields.Event, ColumnType.Text),
                new(AssignmentLedgerFields.At, ColumnType.DateTime),
                new(AssignmentLedgerFields.PartnerBefore, ColumnType.Text),
                new(AssignmentLedgerFields.PartnerAfter, ColumnType.Text),
                new(AssignmentLedgerFields.PartnerIdNumber, ColumnType.Text),
                new(AssignmentLedgerFields.State, ColumnType.Text),
            ],
            [WhereToHelp] =
            [
                new(WhereToHelpFields.Rank, ColumnType.Integer),
                new(WhereToHelpFields.CustomerName, ColumnType.Text),
                new(WhereToHelpFields.TenantId, ColumnType.Text),
                new(WhereToHelpFields.ProductName, ColumnType.Text),
                new(WhereToHelpFields.SubscriptionReference, ColumnType.Text),
                new(WhereToHelpFields.SubscriptionId, ColumnType.Text),
                new(WhereToHelpFields.Reason, ColumnType.Text),
                new(WhereToHelpFields.Why, ColumnType.Text),
                new(WhereToHelpFields.Workload, ColumnType.Text),
                new(WhereToHelpFields.Seats, ColumnType.Integer, ReportMetrics.Pau),
                new(WhereToHelpFields.SeatsAtStake, ColumnType.Integer, ReportMetrics.SeatsAtStake),
                new(WhereToHelpFields.OverallUsage, ColumnType.Percent, ReportMetrics.OverallUsagePercent),
                new(WhereToHelpFields.UnassignedSeats, ColumnType.Integer, ReportMetrics.UnassignedSeats),
                new(WhereToHelpFields.Inactive28, ColumnType.Integer, ReportMetrics.InactiveUsers),
                new(WhereToHelpFields.Inactive90, ColumnType.Integer, ReportMetrics.InactiveUsers),
                new(WhereToHelpFields.MauChangeWeek, ColumnType.Percent, ReportMetrics.MauChange),
                new(WhereToHelpFields.MauChangeMonth, ColumnType.Percent, ReportMetrics.MauChange),
                new(WhereToHelpFields.DailyActiveUsersChangeWeek, ColumnType.Percent, ReportMetrics.DailyActiveUsersChange),
                new(WhereToHelpFields.DailyActiveUsersChangeMonth, ColumnType.Percent, ReportMetrics.DailyActiveUsersChange),
                new(WhereToHelpFields.CopilotUsage, ColumnType.Percent, ReportMetrics.UsagePercent),
                new(WhereToHelpFields.DaysToRenewal, ColumnType.Integer, ReportMetrics.DaysToRenewal),
                new(WhereToHelpFields.NextLifecycle, ColumnType.Date),
                new(WhereToHelpFields.UsageAsOf, ColumnType.Date, ReportMetrics.Freshness),
            ],
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, FrozenDictionary<string, DatasetField>> FieldsByDataset =
        RowsByDataset.ToFrozenDictionary(d => d.Key, d => d.Value.ToFrozenDictionary(f => f.Key, StringComparer.Ordinal), StringComparer.Ordinal);

    public static bool Exists(string dataset) => FieldsByDataset.ContainsKey(dataset);

    /// <summary>The fields of a dataset, in row order; throws for a name not in <see cref="All"/>.</summary>
    public static IReadOnlyList<DatasetField> Fields(string dataset) =>
        RowsByDataset.TryGetValue(dataset, out var fields)
            ? fields
            : throw new ArgumentException($"'{dataset}' is not a report dataset.", nameof(dataset));

    public static DatasetField? Field(string dataset, string key) =>
        FieldsByDataset.TryGetValue(dataset, out var fields) && fields.TryGetValue(key, out var field) ? field : null;

    private static DatasetField[] ConsumptionSummaryRow()
    {
        List<DatasetField> row =
        [
            new(ConsumptionSummaryFields.CustomerName, ColumnType.Text),
            new(ConsumptionSummaryFields.TenantId, ColumnType.Text),
            new(ConsumptionSummaryFields.SubscriptionId, ColumnType.Text),
            new(ConsumptionSummaryFields.ProductName, ColumnType.Text),
            new(ConsumptionSummaryFields.SubscriptionReference, ColumnType.Text),
            new(ConsumptionSummaryFields.Trial, ColumnType.Text),
            new(ConsumptionSummaryFields.NextLifecycle, ColumnType.Date),
            new(ConsumptionSummaryFields.Family, ColumnType.Text),
            new(ConsumptionSummaryFields.Seats, ColumnType.Integer, ReportMetrics.Pau),
        ];
        foreach (var workload in Enum.GetValues<Workload>())
        {
            var keys = ConsumptionSummaryFields.Of(workload);
            row.Add(new(keys.Licensed, ColumnType.Integer, ReportMetrics.LicensedUsers));
            row.Add(new(keys.Mau, ColumnType.Integer, ReportMetrics.Mau));
            row.Add(new(keys.Usage, ColumnType.Percent, ReportMetrics.UsagePercent));
            row.Add(new(keys.Assigned, ColumnType.Percent, ReportMetrics.AssignedPercent));
        }
        row.Add(new(ConsumptionSummaryFields.OverallUsage, ColumnType.Percent, ReportMetrics.OverallUsagePercent));
        row.Add(new(ConsumptionSummaryFields.OverallUsageChange, ColumnType.Percent, ReportMetrics.UsageChange));
        row.Add(new(ConsumptionSummaryFields.UsageAsOf, ColumnType.Date, ReportMetrics.Freshness));
        return [.. row];
    }
}
