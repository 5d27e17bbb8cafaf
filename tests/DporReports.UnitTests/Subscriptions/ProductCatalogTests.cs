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

    [Theory]
    [InlineData("ENTERPRISEPACK", ProductFamily.Office365)]
    [InlineData("STANDARDWOFFPACK", ProductFamily.Office365)]
    [InlineData("Office_365_E3_(no_Teams)", ProductFamily.Office365)]
    [InlineData("ENTERPRISEPREMIUM", ProductFamily.Office365)]
    [InlineData("SPE_E3", ProductFamily.Office365)]
    [InlineData("SPE_E5", ProductFamily.Office365)]
    [InlineData("SPB", ProductFamily.Office365)]
    [InlineData("EMS", ProductFamily.Ems)]
    [InlineData("EMSPREMIUM", ProductFamily.Ems)]
    [InlineData("INTUNE_A", ProductFamily.Intune)]
    [InlineData("POWER_BI_PRO", ProductFamily.PowerBi)]
    [InlineData("DYN365_ENTERPRISE_PLAN1", ProductFamily.Dynamics365)]
    [InlineData("DYN365_ENTERPRISE_SALES", ProductFamily.Dynamics365)]
    public void Classify_ReferenceSku_ReturnsItsFamily(string skuPartNumber, ProductFamily expected) =>
        Assert.Equal(expected, ProductCatalog.Classify(skuPartNumber, []));

    [Theory]
    [InlineData("AX7_USER_TRIAL", ProductFamily.Ax7)]
    [InlineData("DYN365_AX7_OPERATIONS", ProductFamily.Ax7)]
    [InlineData("DYN365_ENTERPRISE_FINANCE", ProductFamily.Dynamics365)]
    [InlineData("DYN365_FINANCE_AND_OPERATIONS", ProductFamily.Dynamics365)]
    [InlineData("D365_SALES_PRO", ProductFamily.Dynamics365)]
    [InlineData("Dynamics_365_for_Operations", ProductFamily.Dynamics365)]
    [InlineData("CRMPLAN2", ProductFamily.Dynamics365)]
    [InlineData("INTUNE_A_D", ProductFamily.Intune)]
    [InlineData("PBI_PREMIUM_PER_USER", ProductFamily.PowerBi)]
    [InlineData("POWER_BI_STANDARD", ProductFamily.PowerBi)]
    [InlineData("DESKLESSPACK", ProductFamily.Office365)]
    [InlineData("O365_BUSINESS_PREMIUM", ProductFamily.Office365)]
    [InlineData("SMB_BUSINESS", ProductFamily.Office365)]
    [InlineData("SPE_F1", ProductFamily.Office365)]
    [InlineData("M365_F1", ProductFamily.Office365)]
    [InlineData("EXCHANGESTANDARD", ProductFamily.Office365)]
    [InlineData("SHAREPOINTSTANDARD", ProductFamily.Office365)]
    [InlineData("TEAMS_EXPLORATORY", ProductFamily.Office365)]
    [InlineData("enterprisepack", ProductFamily.Office365)]
    public void Classify_PartNumberMatchingAFamilyPrefix_ReturnsThatFamily(string skuPartNumber, ProductFamily expected) =>
        Assert.Equal(expected, ProductCatalog.Classify(skuPartNumber, []));

    [Fact]
    public void Classify_DynamicsSkuCarryingExchangeAndSharePoint_StaysDynamics()
    {
        ServicePlan[] plans = [Plan("EXCHANGE_S_ENTERPRISE"), Plan("SHAREPOINTENTERPRISE")];

        Assert.Equal(ProductFamily.Dynamics365, ProductCatalog.Classify("DYN365_ENTERPRISE_PLAN1", plans));
    }

    [Theory]
    [InlineData("EXCHANGE_S_STANDARD")]
    [InlineData("SHAREPOINTENTERPRISE")]
    public void Classify_UnknownPartNumberWithExchangeOrSharePoint_ReturnsOffice365(string planName) =>
        Assert.Equal(ProductFamily.Office365, ProductCatalog.Classify("CONTOSO_NEW_SUITE", [Plan(planName), Plan("FORMS_PLAN_E1")]));

    [Theory]
    [InlineData("")]
    [InlineData("EXCHANGE_S_FOUNDATION")]
    [InlineData("SHAREPOINTWAC")]
    [InlineData("TEAMS1")]
    public void Classify_UnknownPartNumberWithoutExchangeOrSharePoint_ReturnsOther(string planName)
    {
        ServicePlan[] plans = planName.Length == 0 ? [] : [Plan(planName)];

        Assert.Equal(ProductFamily.Other, ProductCatalog.Classify("FLOW_FREE", plans));
    }

    [Fact]
    public void Classify_UnknownPartNumberWithDisabledExchange_ReturnsOther() =>
        Assert.Equal(ProductFamily.Other, ProductCatalog.Classify("CONTOSO_NEW_SUITE", [Plan("EXCHANGE_S_STANDARD", status: "Disabled")]));

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
        Assert.Equal([expected], ProductCatalog.WorkloadsOf([Plan("NAME_NOT_IN_CATALOG", new Guid(planId))]));

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
        Assert.Equal([expected], ProductCatalog.WorkloadsOf([Plan(planName)]));

    [Theory]
    [InlineData("EXCHANGE_S_FOUNDATION")]
    [InlineData("SHAREPOINTWAC")]
    [InlineData("EXCHANGE_S_ENTERPRISE_PLUS")]
    public void WorkloadsOf_PlanThatIsNotAWorkload_CarriesNothing(string planName) =>
        Assert.Empty(ProductCatalog.WorkloadsOf([Plan(planName)]));

    [Fact]
    public void WorkloadsOf_E3Plans_CarryAllFive()
    {
        ServicePlan[] plans =
        [
            Plan("EXCHANGE_S_ENTERPRISE"), Plan("SHAREPOINTENTERPRISE"), Plan("SHAREPOINTWAC"), Plan("MCOSTANDARD"),
            Plan("YAMMER_ENTERPRISE"), Plan("TEAMS1"), Plan("OFFICESUBSCRIPTION"),
        ];

        Assert.Equal(Enum.GetValues<Workload>().ToHashSet(), ProductCatalog.WorkloadsOf(plans));
    }

    [Fact]
    public void WorkloadsOf_NoTeamsSkuPlans_HaveNoTeams()
    {
        ServicePlan[] plans =
        [
            Plan("EXCHANGE_S_ENTERPRISE"), Plan("SHAREPOINTENTERPRISE"), Plan("SHAREPOINTWAC"), Plan("MCOSTANDARD"),
            Plan("YAMMER_ENTERPRISE"), Plan("OFFICESUBSCRIPTION"),
        ];

        var workloads = ProductCatalog.WorkloadsOf(plans);

        Assert.DoesNotContain(Workload.Teams, workloads);
        Assert.Equal(4, workloads.Count);
    }

    [Theory]
    [InlineData("Disabled")]
    [InlineData("disabled")]
    public void WorkloadsOf_DisabledPlan_NotCounted(string status)
    {
        ServicePlan[] plans = [Plan("TEAMS1", status: status), Plan("EXCHANGE_S_ENTERPRISE")];

        Assert.Equal([Workload.Exchange], ProductCatalog.WorkloadsOf(plans));
    }

    [Theory]
    [InlineData("Success")]
    [InlineData("PendingActivation")]
    [InlineData("PendingInput")]
    [InlineData("PendingProvisioning")]
    public void WorkloadsOf_PlanNotDisabled_Counted(string status) =>
        Assert.Equal([Workload.Teams], ProductCatalog.WorkloadsOf([Plan("TEAMS1", status: status)]));

    [Fact]
    public void WorkloadsOf_NoPlans_ReturnsEmpty() => Assert.Empty(ProductCatalog.WorkloadsOf([]));

    [Theory]
    [InlineData("ENTERPRISEPACK", "6fd2c87f-b296-42f0-b197-1e91e994b900")]
    [InlineData("STANDARDWOFFPACK", "6634e0ce-1a9f-428c-a498-f84ec7b8aa2e")]
    [InlineData("Office_365_E3_(no_Teams)", "46c3a859-c90d-40b3-9551-6178a48d5c18")]
    [InlineData("SPE_E3", "05e9a617-0261-4cee-bb44-138d3ef5d965")]
    [InlineData("SPE_E5", "06ebc4ee-1bb5-47dd-8120-11324bc54e06")]
    [InlineData("SPB", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46")]
    [InlineData("EMS", "efccb6f7-5641-4e0e-bd10-b4976e1bf68e")]
    [InlineData("EMSPREMIUM", "b05e124f-c7cc-45a0-a6aa-8cf78c946968")]
    [InlineData("INTUNE_A", "061f9ace-7d42-4136-88ac-31dc755f143f")]
    [InlineData("POWER_BI_PRO", "f8a1db68-be16-40ed-86d5-cb42ce701560")]
    [InlineData("DYN365_ENTERPRISE_PLAN1", "ea126fc5-a19e-42e2-a731-da9d437bffcf")]
    public void Skus_ReferenceSku_HasReferenceSkuId(string skuPartNumber, string skuId) =>
        Assert.Equal(new Guid(skuId), Assert.Single(ProductCatalog.Skus, s => s.SkuPartNumber == skuPartNumber).SkuId);

    [Fact]
    public void Skus_PartNumbersAndNames_AreUnique()
    {
        Assert.Equal(ProductCatalog.Skus.Count, ProductCatalog.Skus.Select(s => s.SkuPartNumber.ToUpperInvariant()).Distinct().Count());
        Assert.Equal(ProductCatalog.Skus.Count, ProductCatalog.KnownProductNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("ENTERPRISEPACK", "OFFICE 365 E3")]
    [InlineData("STANDARDWOFFPACK", "OFFICE 365 E2")]
    [InlineData("Office_365_E3_(no_Teams)", "OFFICE 365 E3 (NO TEAMS)")]
    [InlineData("ENTERPRISEPREMIUM", "OFFICE 365 E5")]
    [InlineData("SPE_E3", "MICROSOFT 365 E3")]
    [InlineData("SPE_E5", "MICROSOFT 365 E5")]
    [InlineData("SPB", "MICROSOFT 365 BUSINESS PREMIUM")]
    [InlineData("EMS", "ENTERPRISE MOBILITY + SECURITY E3")]
    [InlineData("EMSPREMIUM", "ENTERPRISE MOBILITY + SECURITY E5")]
    [InlineData("INTUNE_A", "INTUNE")]
    [InlineData("POWER_BI_PRO", "POWER BI PRO")]
    [InlineData("DYN365_ENTERPRISE_PLAN1", "DYNAMICS 365 CUSTOMER ENGAGEMENT PLAN")]
    [InlineData("DYN365_ENTERPRISE_SALES", "DYNAMICS 365 SALES, ENTERPRISE EDITION")]
    public void ProductName_KnownSku_ReturnsUsageReportNameAndBack(string skuPartNumber, string productName)
    {
        Assert.Equal(productName, ProductCatalog.ProductName(skuPartNumber));
        Assert.Contains(productName, ProductCatalog.KnownProductNames);
        Assert.Equal(skuPartNumber, ProductCatalog.SkuPartNumberOfProductName(productName));
    }

    [Fact]
    public void ProductName_UnknownPartNumber_ReturnsNull() => Assert.Null(ProductCatalog.ProductName("FLOW_FREE"));

    [Theory]
    [InlineData("enterprise mobility + security e3")]
    [InlineData(" Enterprise Mobility + Security E3 ")]
    public void SkuPartNumberOfProductName_OtherCaseOrPadding_ReturnsPartNumber(string productName) =>
        Assert.Equal("EMS", ProductCatalog.SkuPartNumberOfProductName(productName));

    [Fact]
    public void SkuPartNumberOfProductName_UnknownName_ReturnsNull() =>
        Assert.Null(ProductCatalog.SkuPartNumberOfProductName("SOME NEW PRODUCT"));

    [Theory]
    [InlineData(ProductFamily.Office365, "Office 365 / Microsoft 365")]
    [InlineData(ProductFamily.Dynamics365, "Dynamics 365 / CRM Online")]
    [InlineData(ProductFamily.Ax7, "AX7")]
    [InlineData(ProductFamily.Intune, "Intune")]
    [InlineData(ProductFamily.Ems, "EMS")]
    [InlineData(ProductFamily.PowerBi, "Power BI")]
    [InlineData(ProductFamily.Other, "Other")]
    public void FamilyDisplayName_EachFamily_ReturnsItsName(ProductFamily family, string expected) =>
        Assert.Equal(expected, ProductCatalog.FamilyDisplayName(family));

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
    [InlineData("OFFICE 365 E3+ENTERPRISE MOBILITY + SECURITY E3", "OFFICE 365 E3|ENTERPRISE MOBILITY + SECURITY E3", "")]
    [InlineData("OFFICE 365 E3 + MICROSOFT 365 E5", "OFFICE 365 E3|MICROSOFT 365 E5", "")]
    [InlineData("DYNAMICS 365 SALES, ENTERPRISE EDITION+OFFICE 365 E3", "DYNAMICS 365 SALES, ENTERPRISE EDITION|OFFICE 365 E3", "")]
    [InlineData("office 365 e3+Enterprise Mobility + Security E5", "OFFICE 365 E3|ENTERPRISE MOBILITY + SECURITY E5", "")]
    [InlineData("OFFICE 365 E3 (NO TEAMS)+OFFICE 365 E3", "OFFICE 365 E3 (NO TEAMS)|OFFICE 365 E3", "")]
    [InlineData("ENTERPRISE MOBILITY + SECURITY E3", "ENTERPRISE MOBILITY + SECURITY E3", "")]
    [InlineData("OFFICE 365 E3+SOME NEW PRODUCT", "OFFICE 365 E3", "SOME NEW PRODUCT")]
    [InlineData(" SOME NEW + THING +ENTERPRISE MOBILITY + SECURITY E3", "ENTERPRISE MOBILITY + SECURITY E3", "SOME NEW|THING")]
    [InlineData("OFFICE 365 E3 PLUS+INTUNE", "INTUNE", "OFFICE 365 E3 PLUS")]
    [InlineData("+OFFICE 365 E3++ ", "OFFICE 365 E3", "")]
    [InlineData("", "", "")]
    [InlineData("   ", "", "")]
    [InlineData(null, "", "")]
    public void ParseAssignedProducts_Field_SplitsIntoKnownAndUnknown(string? field, string expectedKnown, string expectedUnknown)
    {
        var products = ProductCatalog.ParseAssignedProducts(field);

        Assert.Equal(expectedKnown.Split('|', StringSplitOptions.RemoveEmptyEntries), products.Known);
        Assert.Equal(expectedUnknown.Split('|', StringSplitOptions.RemoveEmptyEntries), products.Unknown);
    }

    [Fact]
    public void ParseAssignedProducts_EveryKnownNameJoined_KeepsEachWhole()
    {
        var products = ProductCatalog.ParseAssignedProducts(string.Join("+", ProductCatalog.KnownProductNames));

        Assert.Equal(ProductCatalog.KnownProductNames, products.Known);
        Assert.Empty(products.Unknown);
    }
}
