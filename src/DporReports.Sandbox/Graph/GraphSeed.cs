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
        return SandboxDirectory.FindTenant(tenantId)?.Kind == "partner" ? Partner : [];
    }
}
