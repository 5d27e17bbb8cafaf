using System.Collections.Frozen;

namespace DporReports.Sandbox.Graph.Reports;

/// <summary>How a usage report's rows are laid out.</summary>
internal enum UsageReportKind
{
    /// <summary>One row per user (getOffice365ActiveUserDetail).</summary>
    UserDetail,

    /// <summary>One row per Report Date over the period, newest first.</summary>
    DailyCounts,

    /// <summary>One row for the whole period (getOffice365ServicesUserCounts).</summary>
    PeriodSummary,

    /// <summary>One row per user holding a Microsoft 365 Copilot licence (getMicrosoft365CopilotUsageUserDetail).</summary>
    CopilotDetail,

    /// <summary>One row per Report Date of Copilot enabled and active users (getMicrosoft365CopilotUserCountTrend).</summary>
    CopilotTrend,
}

/// <summary>A Graph usage report function with its CSV header names in documented order.</summary>
internal sealed record UsageReport(byte Id, string Function, UsageReportKind Kind, IReadOnlyList<string> Headers, bool TakesDate = false)
{
    /// <summary>Served under beta's <c>/copilot/reports/</c> (as CSV only with <c>$format=text/csv</c>), not v1.0's <c>/reports/</c>.</summary>
    public bool UnderCopilot => Kind is UsageReportKind.CopilotDetail or UsageReportKind.CopilotTrend;

    /// <summary>The columns whose values are always quoted when not empty (Assigned Products).</summary>
    public int AlwaysQuotedColumn { get; init; } = -1;
}

/// <summary>
/// The usage reports the sandbox serves. Header names and order are Microsoft's documented ones (see
/// shared/reference/graph-and-entra.md, "Usage reports"); Skype for Business columns remain though it was retired.
/// </summary>
internal static class UsageReportCatalog
{
    public const string ActiveUserDetail = "getOffice365ActiveUserDetail";
    public const string CopilotUsageUserDetail = "getMicrosoft365CopilotUsageUserDetail";
    public const string CopilotUserCountTrend = "getMicrosoft365CopilotUserCountTrend";

    private static readonly UsageReport[] Reports =
    [
        new(1, ActiveUserDetail, UsageReportKind.UserDetail,
        [
            "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date",
            "Has Exchange License", "Has OneDrive License", "Has SharePoint License", "Has Skype For Business License",
            "Has Yammer License", "Has Teams License",
            "Exchange Last Activity Date", "OneDrive Last Activity Date", "SharePoint Last Activity Date",
            "Skype For Business Last Activity Date", "Yammer Last Activity Date", "Teams Last Activity Date",
            "Exchange License Assign Date", "OneDrive License Assign Date", "SharePoint License Assign Date",
            "Skype For Business License Assign Date", "Yammer License Assign Date", "Teams License Assign Date",
            "Assigned Products",
        ], TakesDate: true) { AlwaysQuotedColumn = 23 },
        new(2, "getOffice365ActiveUserCounts", UsageReportKind.DailyCounts,
            ["Report Refresh Date", "Office 365", "Exchange", "OneDrive", "SharePoint", "Skype For Business", "Yammer", "Teams", "Report Date", "Report Period"]),
        new(3, "getOffice365ServicesUserCounts", UsageReportKind.PeriodSummary,
        [
            "Report Refresh Date", "Exchange Active", "Exchange Inactive", "OneDrive Active", "OneDrive Inactive",
            "SharePoint Active", "SharePoint Inactive", "Skype For Business Active", "Skype For Business Inactive",
            "Yammer Active", "Yammer Inactive", "Teams Active", "Teams Inactive", "Office 365 Active", "Office 365 Inactive",
            "Report Period",
        ]),
        new(4, "getEmailActivityCounts", UsageReportKind.DailyCounts,
            ["Report Refresh Date", "Send", "Receive", "Read", "Report Date", "Report Period"]),
        new(5, "getSharePointActivityUserCounts", UsageReportKind.DailyCounts,
            ["Report Refresh Date", "Visited Page", "Viewed Or Edited", "Synced", "Shared Internally", "Shared Externally", "Report Date", "Report Period"]),
        new(6, "getTeamsUserActivityUserCounts", UsageReportKind.DailyCounts,
            ["Report Refresh Date", "Report Date", "Team Chat Messages", "Private Chat Messages", "Calls", "Meetings", "Other Actions", "Report Period"]),
        new(7, "getYammerActivityCounts", UsageReportKind.DailyCounts,
            ["Report Refresh Date", "Liked", "Posted", "Read", "Report Date", "Report Period"]),
        new(8, "getSkypeForBusinessActivityCounts", UsageReportKind.DailyCounts,
            ["Report Refresh Date", "Report Date", "Report Period", "Peer-to-peer", "Organized", "Participated"]),
        // Microsoft's documented headers (learn.microsoft.com/graph/api/reportroot-getmicrosoft365copilotusageuserdetail).
        new(9, CopilotUsageUserDetail, UsageReportKind.CopilotDetail,
        [
            "Report Refresh Date", "Report Period", "User Principal Name", "Display Name", "Last Activity Date",
            "Microsoft Teams Copilot Last Activity Date", "Word Copilot Last Activity Date", "Excel Copilot Last Activity Date",
            "PowerPoint Copilot Last Activity Date", "Outlook Copilot Last Activity Date", "OneNote Copilot Last Activity Date",
            "Loop Copilot Last Activity Date", "Copilot Chat Last Activity Date",
        ]),
        // Microsoft's documented headers, version 1 (learn.microsoft.com/microsoft-365/copilot/extensibility/api/admin-settings/
        // reports/copilotreportroot-getmicrosoft365copilotusercounttrend).
        new(10, CopilotUserCountTrend, UsageReportKind.CopilotTrend,
        [
            "Report Refresh Date", "Report Date", "Microsoft Teams Enabled Users", "Microsoft Teams Active Users",
            "Word Enabled Users", "Word Active Users", "PowerPoint Enabled Users", "PowerPoint Active Users",
            "Outlook Enabled Users", "Outlook Active Users", "Excel Enabled Users", "Excel Active Users",
            "OneNote Enabled Users", "OneNote Active Users", "Loop Enabled Users", "Loop Active Users",
            "Any App Enabled Users", "Any App Active Users", "Copilot Chat Enabled Users", "Copilot Chat Active Users", "Report Period",
        ]),
    ];

    // Graph matches function names case-insensitively.
    private static readonly FrozenDictionary<string, UsageReport> ByName =
        Reports.ToFrozenDictionary(r => r.Function, StringComparer.OrdinalIgnoreCase);

    /// <summary>Graph's periods and the days each covers.</summary>
    public static readonly FrozenDictionary<string, int> Periods =
        new Dictionary<string, int> { ["D7"] = 7, ["D30"] = 30, ["D90"] = 90, ["D180"] = 180 }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyList<UsageReport> All => Reports;

    public static IEnumerable<string> Functions => Reports.Select(r => r.Function);

    public static UsageReport? Find(string function) => ByName.GetValueOrDefault(function);

    public static UsageReport? Find(byte id) => Array.Find(Reports, r => r.Id == id);
}
