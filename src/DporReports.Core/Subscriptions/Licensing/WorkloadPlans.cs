namespace DporReports.Core.Subscriptions.Licensing;

/// <summary>
/// Which service plans deliver one of the six workloads, by Microsoft's plan names (ids come from the licensing table,
/// so a plan is recognised by id whatever Graph calls it, and by name as a fallback). Every plan of the table whose name
/// looks like a workload's (<see cref="LooksLikeWorkloadPlan"/>) is either recognised here or excluded with its reason,
/// and a test keeps it so: a table refresh that brings a new mailbox or Teams plan fails that test until someone decides.
/// </summary>
public static class WorkloadPlans
{
    /// <summary>Plans that give a user the workload itself: a mailbox, a SharePoint site licence, Teams, Viva Engage, Skype.</summary>
    public static IReadOnlyDictionary<string, Workload> Recognised { get; } = new Dictionary<string, Workload>(StringComparer.OrdinalIgnoreCase)
    {
        // Mailboxes: Plan 1 / Plan 2, kiosk (F SKUs), Essentials, the POP-only plan, midmarket and government editions.
        ["EXCHANGE_S_ENTERPRISE"] = Workload.Exchange,
        ["EXCHANGE_S_ENTERPRISE_GOV"] = Workload.Exchange,
        ["EXCHANGE_S_STANDARD"] = Workload.Exchange,
        ["EXCHANGE_S_STANDARD_GOV"] = Workload.Exchange,
        ["EXCHANGE_S_STANDARD_MIDMARKET"] = Workload.Exchange,
        ["EXCHANGE_S_DESKLESS"] = Workload.Exchange,
        ["EXCHANGE_S_DESKLESS_GOV"] = Workload.Exchange,
        ["EXCHANGE_S_ESSENTIALS"] = Workload.Exchange,
        ["EXCHANGE_L_STANDARD"] = Workload.Exchange,
        ["EXCHANGE_B_STANDARD"] = Workload.Exchange,

        // SharePoint Online plans 1 and 2, kiosk, education, government, midmarket, lite and developer editions.
        ["SHAREPOINTENTERPRISE"] = Workload.SharePoint,
        ["SHAREPOINTENTERPRISE_EDU"] = Workload.SharePoint,
        ["SHAREPOINTENTERPRISE_GOV"] = Workload.SharePoint,
        ["SHAREPOINTENTERPRISE_MIDMARKET"] = Workload.SharePoint,
        ["SHAREPOINTSTANDARD"] = Workload.SharePoint,
        ["SHAREPOINTSTANDARD_EDU"] = Workload.SharePoint,
        ["SharePoint Plan 1G"] = Workload.SharePoint,
        ["SHAREPOINTDESKLESS"] = Workload.SharePoint,
        ["SHAREPOINTDESKLESS_GOV"] = Workload.SharePoint,
        ["SHAREPOINTLITE"] = Workload.SharePoint,
        ["SHAREPOINT_S_DEVELOPER"] = Workload.SharePoint,

        // Teams: the commercial plan, government clouds, kiosk, Essentials and the Teams Exploratory plan.
        ["TEAMS1"] = Workload.Teams,
        ["TEAMS_GOV"] = Workload.Teams,
        ["TEAMS_AR_GCCHIGH"] = Workload.Teams,
        ["TEAMS_AR_DOD"] = Workload.Teams,
        ["TEAMS_DESKLESS"] = Workload.Teams,
        ["TeamsEss"] = Workload.Teams,
        ["MCO_TEAMS_IW"] = Workload.Teams,

        // Viva Engage (Yammer): enterprise, education, midsize, basic, and Viva Engage Core.
        ["YAMMER_ENTERPRISE"] = Workload.Yammer,
        ["YAMMER_EDU"] = Workload.Yammer,
        ["YAMMER_MIDSIZE"] = Workload.Yammer,
        ["YAMMER_BASIC"] = Workload.Yammer,
        ["VIVAENGAGE_CORE"] = Workload.Yammer,

        // Skype for Business Online plans 1, 2 and 3 and their editions.
        ["MCOSTANDARD"] = Workload.SkypeForBusiness,
        ["MCOSTANDARD_GOV"] = Workload.SkypeForBusiness,
        ["MCOSTANDARD_MIDMARKET"] = Workload.SkypeForBusiness,
        ["MCOIMP"] = Workload.SkypeForBusiness,
        ["MCOIMP_GOV"] = Workload.SkypeForBusiness,
        ["MCOLITE"] = Workload.SkypeForBusiness,
        ["MCOVOICECONF"] = Workload.SkypeForBusiness,

        // Microsoft 365 Copilot: the plans that put Copilot in front of the user (in the Office apps, Teams, Copilot Chat
        // grounded in work data) — every Copilot SKU of the table (M365_Copilot, Microsoft_365_Copilot, …_EDU) carries them.
        ["M365_COPILOT_APPS"] = Workload.Copilot,
        ["M365_COPILOT_TEAMS"] = Workload.Copilot,
        ["M365_COPILOT_BUSINESS_CHAT"] = Workload.Copilot,
    };

    /// <summary>Plans whose names look like a workload's but do not give a user that workload, each with why.</summary>
    public static IReadOnlyList<(string Pattern, string Reason)> Excluded { get; } =
    [
        ("EXCHANGE_S_FOUNDATION*", "a mailbox-less Exchange plan that non-mail SKUs (Intune, Power BI, Dynamics…) carry to run their service"),
        ("EXCHANGE_S_ARCHIVE*", "archiving for a mailbox delivered by another plan (or on-premises)"),
        ("EXCHANGE_ANALYTICS*", "MyAnalytics / Viva Insights over Exchange data, not a mailbox"),
        ("EXCHANGEONLINE_MULTIGEO", "a tenant capability (data residency), not a mailbox"),
        ("MIP_S_EXCHANGE*", "data classification, not a mailbox"),
        ("PRIVACY_MANGEMENT_*", "Priva over Exchange data, not a mailbox"),
        ("SHAREPOINTWAC*", "Office for the web, not SharePoint"),
        ("SHAREPOINTSTORAGE*", "extra storage for a tenant, not a user's SharePoint licence"),
        ("SHAREPOINT_PROJECT*", "Project Online on top of SharePoint"),
        ("SHAREPOINTONLINE_MULTIGEO", "a tenant capability (data residency)"),
        ("M365_COPILOT_INTELLIGENT_SEARCH", "a capability of the Copilot licence (search), whose holders the Copilot plans already count"),
        ("M365_COPILOT_CONNECTORS", "a capability of the Copilot licence (Power Platform connectors), whose holders the Copilot plans already count"),
        ("M365_COPILOT_SHAREPOINT", "a capability of the Copilot licence (Copilot in SharePoint), whose holders the Copilot plans already count"),
        ("GRAPH_CONNECTORS_COPILOT", "a capability of the Copilot licence (Graph connectors), whose holders the Copilot plans already count"),
        ("COPILOT_STUDIO_IN_COPILOT_FOR_M365", "building agents with Copilot Studio, not a use of Microsoft 365 Copilot the usage report counts"),
        ("ONEDRIVE*", "OneDrive is its own report column, not one of the five workloads"),
        ("TEAMS_FREE*", "the free Teams offer: no licence a partner of record is paid for"),
        ("TEAMSMULTIGEO", "a tenant capability (data residency)"),
        ("TEAMSPRO_*", "Teams Premium features for users licensed for Teams by another plan"),
        ("Teams_Room*", "a meeting-room device licence, not a person"),
        ("MESH_*", "avatars and immersive spaces inside Teams, an add-on"),
        ("MCO_VIRTUAL_APPT", "Teams Premium virtual appointments, an add-on"),
        ("MCOEV*", "Teams Phone System, a telephony add-on"),
        ("MCOMEET*", "Audio Conferencing, a telephony add-on"),
        ("MCOPSTN*", "a calling plan, a telephony add-on"),
        ("MCOFMC1", "Teams Phone Mobile, a telephony add-on"),
        ("MCOACBYOT*", "Audio Conferencing for GCC High, a telephony add-on"),
        ("MCOFREE", "the free Teams meeting plan"),
        ("MCOBASIC", "Skype Meetings, a free meeting service without a Skype for Business licence"),
        ("Skype for Business PSTN*", "a calling plan, a telephony add-on"),
        ("VIVAENGAGE_COMMUNITIES_AND_COMMUNICATIONS", "Viva Engage premium features for users licensed by Viva Engage Core"),
        ("VIVAENGAGE_KNOWLEDGE", "Viva Engage premium features for users licensed by Viva Engage Core"),
    ];

    /// <summary>Plan names a reviewer must decide on: anything that mentions a workload's service.</summary>
    public static bool LooksLikeWorkloadPlan(string planName) =>
        WorkloadWords.Any(word => planName.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] WorkloadWords = ["EXCHANGE", "SHAREPOINT", "TEAMS", "MCO", "YAMMER", "VIVAENGAGE", "SKYPE", "COPILOT"];

    /// <summary>The exclusion that covers <paramref name="planName"/>, if any ('*' at the end matches any rest).</summary>
    public static string? ExclusionReason(string planName)
    {
        foreach (var (pattern, reason) in Excluded)
        {
            var matches = pattern.EndsWith('*')
                ? planName.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
                : string.Equals(planName, pattern, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                return reason;
            }
        }

        return null;
    }
}
