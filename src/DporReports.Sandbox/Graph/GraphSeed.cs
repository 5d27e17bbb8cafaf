namespace DporReports.Sandbox.Graph;

/// <summary>
/// One subscription of the deterministic seed inventory. Its ids derive from tenant + <c>Name</c>; <c>Reseller</c> is the
/// partner tenant that created it (its ownerTenantId), null when bought directly; <c>DisabledPlan</c> a service plan
/// switched off in it (provisioningStatus "Disabled").
/// </summary>
internal sealed record GraphSeed(
    string Name, string PartNumber, int Seats, string Status, bool IsTrial = false, Guid? Reseller = null, string? DisabledPlan = null)
{
    private static readonly GraphSeed[] Contoso =
    [
        new("enterprisepack-1", "ENTERPRISEPACK", 250, "Enabled"),
        // A second subscription of the same SKU: Graph pools both under one subscribedSku.
        new("enterprisepack-2", "ENTERPRISEPACK", 50, "Enabled", DisabledPlan: "YAMMER_ENTERPRISE"),
        new("spe-e5", "SPE_E5", 40, "Enabled", Reseller: SandboxDirectory.AdatumTenantId),
        new("ems", "EMS", 100, "Enabled"),
        new("power-bi-pro", "POWER_BI_PRO", 25, "Warning"),
        new("dynamics", "DYN365_ENTERPRISE_PLAN1", 20, "Enabled"),
        new("intune", "INTUNE_A", 30, "Suspended"),
    ];

    private static readonly GraphSeed[] Fabrikam =
    [
        new("spb", "SPB", 80, "Enabled", Reseller: SandboxDirectory.LitwareTenantId),
        new("o365-e3-no-teams", "Office_365_E3_(no_Teams)", 60, "Enabled"),
        new("spe-e3", "SPE_E3", 120, "Enabled", IsTrial: true),
    ];

    private static readonly GraphSeed[] Northwind =
    [
        new("standardwoffpack", "STANDARDWOFFPACK", 25, "Enabled"),
        new("spe-e3", "SPE_E3", 45, "Enabled"),
        new("emspremium", "EMSPREMIUM", 10, "Deleted"),
    ];

    /// <summary>A bank holding the mix partners meet: Microsoft's SKUs from the table, pooled, shared names, a trial, AX7, an unknown SKU.</summary>
    private static readonly GraphSeed[] Woodgrove =
    [
        new("o365-e1", "STANDARDPACK", 90, "Enabled"),
        new("o365-e3", "ENTERPRISEPACK", 60, "Enabled"),
        new("o365-e5", "ENTERPRISEPREMIUM", 20, "Enabled"),
        new("business-basic", "O365_BUSINESS_ESSENTIALS", 30, "Enabled"),
        // Microsoft gives this SKU the same name ("Microsoft 365 Business Basic"): the reports cannot tell the two apart.
        new("business-basic-smb", "SMB_BUSINESS_ESSENTIALS", 10, "Enabled"),
        new("business-standard", "O365_BUSINESS_PREMIUM", 25, "Enabled"),
        new("business-premium", "SPB", 15, "Enabled"),
        new("m365-f3", "SPE_F1", 60, "Enabled"),
        new("exchange-p1", "EXCHANGESTANDARD", 30, "Enabled"),
        new("teams-essentials", "Teams_Ess", 12, "Enabled"),
        new("m365-e3-no-teams", "Microsoft_365_E3_(no_Teams)", 20, "Enabled"),
        new("m365-e5-trial", "SPE_E5", 25, "Enabled", IsTrial: true),
        new("d365-finance", "DYN365_FINANCE", 8, "Enabled"),
        new("trading-desk", "WOODGROVE_TRADING_DESK", 5, "Enabled"),
    ];

    /// <summary>
    /// A school district: education SKUs for students and faculty, and Microsoft 365 Copilot for faculty bought twice (two
    /// subscriptions of one SKU pool: the Copilot report's users are split between them by seats). The only sandbox tenant
    /// with Copilot: the others show "no Copilot subscription".
    /// </summary>
    private static readonly GraphSeed[] Wingtip =
    [
        new("a1-students", "STANDARDWOFFPACK_STUDENT", 120, "Enabled"),
        new("a1-faculty", "STANDARDWOFFPACK_FACULTY", 20, "Enabled"),
        new("a3-faculty", "M365EDU_A3_FACULTY", 15, "Enabled"),
        new("copilot-faculty", "Microsoft_365_Copilot_EDU", 12, "Enabled"),
        new("copilot-faculty-2", "Microsoft_365_Copilot_EDU", 5, "Enabled"),
    ];

    private static readonly GraphSeed[] Partner = [new("spe-e3", "SPE_E3", 15, "Enabled")];

    public static IReadOnlyList<GraphSeed> For(Guid tenantId)
    {
        if (tenantId == SandboxDirectory.ContosoTenantId)
        {
            return Contoso;
        }
        if (tenantId == SandboxDirectory.FabrikamTenantId)
        {
            return Fabrikam;
        }
        if (tenantId == SandboxDirectory.NorthwindTenantId)
        {
            return Northwind;
        }
        if (tenantId == SandboxDirectory.WoodgroveTenantId)
        {
            return Woodgrove;
        }
        if (tenantId == SandboxDirectory.WingtipTenantId)
        {
            return Wingtip;
        }
        return SandboxDirectory.FindTenant(tenantId)?.Kind == "partner" ? Partner : [];
    }
}
