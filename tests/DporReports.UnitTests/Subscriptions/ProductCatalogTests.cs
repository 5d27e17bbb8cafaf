using DporReports.Core.Subscriptions;

namespace DporReports.UnitTests.Subscriptions;

/// <summary>
/// The catalog against shared/reference/graph-and-entra.md (SKUs, service plans, families) and design.md §3
/// (assigned products are split by known names, because names contain '+' and commas).
/// </summary>
public sealed class ProductCatalogTests
{
    private static ServicePlan Plan(string name, Guid? id = null, string status = "Success") =>
        new(id ?? Guid.NewGuid(), name, status);

    private static readonly ProductCatalog Catalog = ProductCatalog.Microsoft;

    [Theory]
    [InlineData("ENTERPRISEPACK", ProductFamily.Office365)]
    [InlineData("STANDARDPACK", ProductFamily.Office365)]
    [InlineData("Office_365_E3_(no_Teams)", ProductFamily.Office365)]
    [InlineData("SPE_E5", ProductFamily.Office365)]
    [InlineData("SPB", ProductFamily.Office365)]
    [InlineData("O365_BUSINESS_ESSENTIALS", ProductFamily.Office365)]
    [InlineData("O365_BUSINESS", ProductFamily.Office365)] // Microsoft 365 Apps for business: no workload, still the suite
    [InlineData("Teams_Ess", ProductFamily.Office365)]
    [InlineData("EXCHANGESTANDARD", ProductFamily.Office365)]
    [InlineData("STANDARDWOFFPACK_STUDENT", ProductFamily.Office365)]
    [InlineData("EMS", ProductFamily.Ems)]
    [InlineData("EMSPREMIUM_GOV", ProductFamily.Ems)]
    [InlineData("INTUNE_A", ProductFamily.Intune)]
    [InlineData("Microsoft_Intune_Suite", ProductFamily.Intune)]
    [InlineData("POWER_BI_PRO", ProductFamily.PowerBi)]
    [InlineData("PBI_PREMIUM_PER_USER", ProductFamily.PowerBi)]
    [InlineData("POWER_BI_STANDARD", ProductFamily.PowerBi)]
    [InlineData("DYN365_ENTERPRISE_PLAN1", ProductFamily.Dynamics365)] // carries SharePoint plans, stays Dynamics
    [InlineData("DYN365_ENTERPRISE_SALES", ProductFamily.Dynamics365)]
    [InlineData("DYN365_FINANCIALS_BUSINESS_SKU", ProductFamily.Dynamics365)] // Business Central, not Finance
    [InlineData("DYN365_FINANCE", ProductFamily.Ax7)]
    [InlineData("DYN365_SCM", ProductFamily.Ax7)]
    [InlineData("DYN365_RETAIL", ProductFamily.Ax7)]
    [InlineData("Dynamics_365_for_Operations", ProductFamily.Ax7)]
    [InlineData("AX7_USER_TRIAL", ProductFamily.Ax7)]
    [InlineData("SKU_Dynamics_365_for_HCM_Trial", ProductFamily.Ax7)]
    [InlineData("FLOW_FREE", ProductFamily.Other)]
    [InlineData("VISIOCLIENT", ProductFamily.Other)]
    public void Family_OfTableSku_IsDecidedFromItsNameAndPlans(string partNumber, ProductFamily expected) =>
        Assert.Equal(expected, Assert.Single(Catalog.Skus, s => s.PartNumber == partNumber).Family);

    [Theory]
    [InlineData("ENTERPRISEPACK", "Office 365 E3", "Exchange,SharePoint,Teams,Yammer,SkypeForBusiness")]
    [InlineData("STANDARDPACK", "Office 365 E1", "Exchange,SharePoint,Teams,Yammer,SkypeForBusiness")]
    [InlineData("O365_BUSINESS_ESSENTIALS", "Microsoft 365 Business Basic", "Exchange,SharePoint,Teams,Yammer,SkypeForBusiness")]
    [InlineData("Office_365_E3_(no_Teams)", "Office 365 E3 (no Teams)", "Exchange,SharePoint,Yammer,SkypeForBusiness")]
    [InlineData("EXCHANGESTANDARD", "Exchange Online (Plan 1)", "Exchange")]
    [InlineData("Teams_Ess", "Microsoft Teams Essentials", "Teams")]
    [InlineData("SPE_F1", "Microsoft 365 F3", "Exchange,SharePoint,Teams,Yammer,SkypeForBusiness")]
    [InlineData("INTUNE_A", "Intune", "")]
    public void Sku_FromTheTable_HasMicrosoftsNameAndTheWorkloadsOfItsPlans(string partNumber, string displayName, string workloads)
    {
        var sku = Assert.Single(Catalog.Skus, s => s.PartNumber == partNumber);

        Assert.Equal(displayName, sku.DisplayName);
        Assert.Equal(workloads.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<Workload>).Order(), sku.Workloads);
        Assert.Equal(displayName, Catalog.DisplayName(sku.SkuId, "ignored"));
        Assert.Equal(displayName, Catalog.DisplayName(Guid.NewGuid(), partNumber));
    }

    [Fact]
    public void DisplayName_UnknownSku_IsThePartNumber() => Assert.Equal("CONTOSO_NEW_SUITE", Catalog.DisplayName(Guid.NewGuid(), "CONTOSO_NEW_SUITE"));

    [Fact]
    public void SkusNamed_NameSharedByTwoSkus_ReturnsBoth()
    {
        Assert.Equal(["O365_BUSINESS_ESSENTIALS", "SMB_BUSINESS_ESSENTIALS"], Catalog.SkusNamed("MICROSOFT 365 BUSINESS BASIC").Select(s => s.PartNumber).Order());
        Assert.Equal(14, Catalog.Skus.GroupBy(s => s.DisplayName, StringComparer.OrdinalIgnoreCase).Count(g => g.Count() > 1));
        Assert.Empty(Catalog.SkusNamed("SOME NEW PRODUCT"));
    }

    [Theory]
    [InlineData("efb87545-963c-4e0d-99df-69c6916d9eb0", Workload.Exchange)]
    [InlineData("9aaf7827-d63c-4b61-89c3-182f06f82e5c", Workload.Exchange)]
    [InlineData("5dbe027f-2339-4123-9542-606e4d348a72", Workload.SharePoint)]
    [InlineData("c7699d2e-19aa-44de-8edf-1736da088ca1", Workload.SharePoint)]
    [InlineData("0feaeb32-d00e-4d66-bd5a-43b5b83db82c", Workload.SkypeForBusiness)]
    [InlineData("7547a3fe-08ee-4ccb-b430-5077c5041653", Workload.Yammer)]
    [InlineData("a82fbf69-b4d7-49f4-83a6-915b2cf354f4", Workload.Yammer)]
    [InlineData("57ff2da0-773e-42df-b2af-ffb7a2317929", Workload.Teams)]
    public void WorkloadsOf_WorkloadPlanById_CarriesWorkload(string planId, Workload expected) =>
        Assert.Equal([expected], Catalog.WorkloadsOf([Plan("NAME_NOT_IN_CATALOG", new Guid(planId))]));

    [Theory]
    [InlineData("EXCHANGE_S_ENTERPRISE", Workload.Exchange)]
    [InlineData("EXCHANGE_S_STANDARD", Workload.Exchange)]
    [InlineData("EXCHANGE_S_DESKLESS", Workload.Exchange)]
    [InlineData("SHAREPOINTENTERPRISE", Workload.SharePoint)]
    [InlineData("SHAREPOINTSTANDARD", Workload.SharePoint)]
    [InlineData("SHAREPOINTENTERPRISE_EDU", Workload.SharePoint)]
    [InlineData("SHAREPOINTSTANDARD_EDU", Workload.SharePoint)]
    [InlineData("SHAREPOINTDESKLESS", Workload.SharePoint)]
    [InlineData("MCOSTANDARD", Workload.SkypeForBusiness)]
    [InlineData("YAMMER_ENTERPRISE", Workload.Yammer)]
    [InlineData("VIVAENGAGE_CORE", Workload.Yammer)]
    [InlineData("YAMMER_EDU", Workload.Yammer)]
    [InlineData("TEAMS1", Workload.Teams)]
    [InlineData("teams1", Workload.Teams)]
    public void WorkloadsOf_WorkloadPlanByName_CarriesWorkload(string planName, Workload expected) =>
        Assert.Equal([expected], Catalog.WorkloadsOf([Plan(planName)]));

    [Theory]
    [InlineData("EXCHANGE_S_FOUNDATION")]
    [InlineData("SHAREPOINTWAC")]
    [InlineData("EXCHANGE_S_ENTERPRISE_PLUS")]
    public void WorkloadsOf_PlanThatIsNotAWorkload_CarriesNothing(string planName) =>
        Assert.Empty(Catalog.WorkloadsOf([Plan(planName)]));

    [Fact]
    public void WorkloadsOf_E3Plans_CarryAllFive()
    {
        ServicePlan[] plans =
        [
            Plan("EXCHANGE_S_ENTERPRISE"), Plan("SHAREPOINTENTERPRISE"), Plan("SHAREPOINTWAC"), Plan("MCOSTANDARD"),
            Plan("YAMMER_ENTERPRISE"), Plan("TEAMS1"), Plan("OFFICESUBSCRIPTION"),
        ];

        Assert.Equal(Enum.GetValues<Workload>().Where(w => w != Workload.Copilot).ToHashSet(), Catalog.WorkloadsOf(plans));
    }

    [Fact]
    public void WorkloadsOf_CopilotPlans_CarryCopilotOnly()
    {
        ServicePlan[] plans = [Plan("M365_COPILOT_APPS"), Plan("M365_COPILOT_TEAMS"), Plan("GRAPH_CONNECTORS_COPILOT"), Plan("M365_COPILOT_SHAREPOINT")];

        Assert.Equal(new HashSet<Workload> { Workload.Copilot }, Catalog.WorkloadsOf(plans));
    }

    [Theory]
    [InlineData("M365_Copilot")]
    [InlineData("Microsoft_365_Copilot")]
    [InlineData("Microsoft_365_Copilot_EDU")]
    public void CopilotSkusOfTheTable_CarryTheCopilotWorkload(string partNumber)
    {
        var sku = Assert.Single(Catalog.Skus, s => s.PartNumber == partNumber);

        Assert.Equal(new[] { Workload.Copilot }, sku.Workloads);
    }

    [Fact]
    public void WorkloadsOf_NoTeamsSkuPlans_HaveNoTeams()
    {
        ServicePlan[] plans =
        [
            Plan("EXCHANGE_S_ENTERPRISE"), Plan("SHAREPOINTENTERPRISE"), Plan("SHAREPOINTWAC"), Plan("MCOSTANDARD"),
            Plan("YAMMER_ENTERPRISE"), Plan("OFFICESUBSCRIPTION"),
        ];

        var workloads = Catalog.WorkloadsOf(plans);

        Assert.DoesNotContain(Workload.Teams, workloads);
        Assert.Equal(4, workloads.Count);
    }

    [Theory]
    [InlineData("Disabled")]
    [InlineData("disabled")]
    public void WorkloadsOf_DisabledPlan_NotCounted(string status)
    {
        ServicePlan[] plans = [Plan("TEAMS1", status: status), Plan("EXCHANGE_S_ENTERPRISE")];

        Assert.Equal([Workload.Exchange], Catalog.WorkloadsOf(plans));
    }

    [Theory]
    [InlineData("Success")]
    [InlineData("PendingActivation")]
    [InlineData("PendingInput")]
    [InlineData("PendingProvisioning")]
    public void WorkloadsOf_PlanNotDisabled_Counted(string status) =>
        Assert.Equal([Workload.Teams], Catalog.WorkloadsOf([Plan("TEAMS1", status: status)]));

    [Fact]
    public void WorkloadsOf_NoPlans_ReturnsEmpty() => Assert.Empty(Catalog.WorkloadsOf([]));

    [Theory]
    [InlineData(Workload.Exchange, "Exchange")]
    [InlineData(Workload.SharePoint, "SharePoint")]
    [InlineData(Workload.Teams, "Teams")]
    [InlineData(Workload.Yammer, "Viva Engage (Yammer)")]
    [InlineData(Workload.SkypeForBusiness, "Skype for Business")]
    public void WorkloadDisplayName_EachWorkload_ReturnsItsName(Workload workload, string expected) =>
        Assert.Equal(expected, ProductCatalog.WorkloadDisplayName(workload));

    /// <summary>Expected lists are '|'-separated ('|' appears in no product name).</summary>
    [Theory]
    [InlineData("OFFICE 365 E3+ENTERPRISE MOBILITY + SECURITY E3", "Office 365 E3|Enterprise Mobility + Security E3", "")]
    [InlineData("OFFICE 365 E3 + MICROSOFT 365 E5", "Office 365 E3|Microsoft 365 E5", "")]
    [InlineData("DYNAMICS 365 FOR CASE MANAGEMENT, ENTERPRISE EDITION FOR GOVERNMENT+OFFICE 365 E3",
        "Dynamics 365 for Case Management, Enterprise Edition for Government|Office 365 E3", "")]
    [InlineData("office 365 e3+Enterprise Mobility + Security E5", "Office 365 E3|Enterprise Mobility + Security E5", "")]
    [InlineData("OFFICE 365 E3 (NO TEAMS)+OFFICE 365 E3", "Office 365 E3 (no Teams)|Office 365 E3", "")]
    [InlineData("OFFICE 365 E3+SOME NEW PRODUCT", "Office 365 E3", "SOME NEW PRODUCT")]
    [InlineData(" SOME NEW + THING +ENTERPRISE MOBILITY + SECURITY E3", "Enterprise Mobility + Security E3", "SOME NEW|THING")]
    [InlineData("OFFICE 365 E3 PLUS+INTUNE", "Intune", "OFFICE 365 E3 PLUS")]
    [InlineData("+OFFICE 365 E3++ ", "Office 365 E3", "")]
    [InlineData("", "", "")]
    [InlineData("   ", "", "")]
    [InlineData(null, "", "")]
    public void ParseAssignedProducts_Field_SplitsIntoKnownAndUnknown(string? field, string expectedKnown, string expectedUnknown)
    {
        var products = Catalog.ParseAssignedProducts(field);

        Assert.Equal(expectedKnown.Split('|', StringSplitOptions.RemoveEmptyEntries), products.Known);
        Assert.Equal(expectedUnknown.Split('|', StringSplitOptions.RemoveEmptyEntries), products.Unknown);
    }

    [Fact]
    public void ParseAssignedProducts_EveryNameOfTheTableJoinedInCapitals_KeepsEachWhole()
    {
        var names = Catalog.Skus.Select(s => s.DisplayName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var products = Catalog.ParseAssignedProducts(string.Join("+", names.Select(n => n.ToUpperInvariant())));

        Assert.Equal(names, products.Known);
        Assert.Empty(products.Unknown);
    }
}
