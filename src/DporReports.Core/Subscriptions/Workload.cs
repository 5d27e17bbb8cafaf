namespace DporReports.Core.Subscriptions;

/// <summary>
/// The workloads partners see usage of (design.md §1): the five of Graph's Office 365 active-user detail, and Microsoft 365
/// Copilot, the sixth, read from Graph's own Copilot usage report (<see cref="Usage.CopilotUsageColumns"/>).
/// </summary>
public enum Workload
{
    Exchange,
    SharePoint,
    Teams,

    /// <summary>Viva Engage; Graph's usage reports still call it Yammer.</summary>
    Yammer,
    SkypeForBusiness,

    /// <summary>Microsoft 365 Copilot: the users holding a Copilot licence, from getMicrosoft365CopilotUsageUserDetail.</summary>
    Copilot,
}
