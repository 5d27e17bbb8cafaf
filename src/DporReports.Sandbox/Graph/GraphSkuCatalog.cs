using System.Collections.Frozen;

namespace DporReports.Sandbox.Graph;

/// <summary>A service plan of a SKU (Graph's servicePlanInfo without the per-subscription provisioning status).</summary>
internal sealed record GraphPlan(Guid Id, string Name);

/// <summary>A licensable product as Graph names it: skuPartNumber, skuId and the service plans it carries.</summary>
internal sealed record GraphSku(string PartNumber, Guid SkuId, IReadOnlyList<GraphPlan> Plans);

/// <summary>
/// The SKUs the sandbox knows, with the real skuId and service-plan ids from Microsoft's licensing reference
/// (see docs: "Product names and service plan identifiers for licensing").
/// </summary>
internal static class GraphSkuCatalog
{
    // Workload plans.
    private static readonly GraphPlan ExchangeEnterprise = new(new("efb87545-963c-4e0d-99df-69c6916d9eb0"), "EXCHANGE_S_ENTERPRISE");
    private static readonly GraphPlan ExchangeStandard = new(new("9aaf7827-d63c-4b61-89c3-182f06f82e5c"), "EXCHANGE_S_STANDARD");
    private static readonly GraphPlan SharePointEnterprise = new(new("5dbe027f-2339-4123-9542-606e4d348a72"), "SHAREPOINTENTERPRISE");
    private static readonly GraphPlan SharePointStandard = new(new("c7699d2e-19aa-44de-8edf-1736da088ca1"), "SHAREPOINTSTANDARD");
    private static readonly GraphPlan OfficeForTheWeb = new(new("e95bec33-7c88-4a70-8e19-b10bd9d0c014"), "SHAREPOINTWAC");
    private static readonly GraphPlan SkypeForBusiness = new(new("0feaeb32-d00e-4d66-bd5a-43b5b83db82c"), "MCOSTANDARD");
    private static readonly GraphPlan Yammer = new(new("7547a3fe-08ee-4ccb-b430-5077c5041653"), "YAMMER_ENTERPRISE");
    private static readonly GraphPlan Teams = new(new("57ff2da0-773e-42df-b2af-ffb7a2317929"), "TEAMS1");

    // Other plans. EXCHANGE_S_FOUNDATION rides along with many non-mail SKUs and is not Exchange Online.
    private static readonly GraphPlan ExchangeFoundation = new(new("113feb6c-3fe4-4440-bddc-54d774bf0318"), "EXCHANGE_S_FOUNDATION");
    private static readonly GraphPlan OfficeApps = new(new("43de0ff5-c92c-492b-9116-175376d08c38"), "OFFICESUBSCRIPTION");
    private static readonly GraphPlan Intune = new(new("c1ec4a95-1f05-45b3-a911-aa3fa01094f5"), "INTUNE_A");
    private static readonly GraphPlan EntraP1 = new(new("41781fb2-bc02-4b7c-bd55-b576c07bb09d"), "AAD_PREMIUM");
    private static readonly GraphPlan EntraP2 = new(new("eec0eb4f-6444-4f95-aba0-50c24d67f998"), "AAD_PREMIUM_P2");
    private static readonly GraphPlan AzureRights = new(new("bea4c11e-220a-4e6d-8eb8-8ea15d019f90"), "RMS_S_ENTERPRISE");
    private static readonly GraphPlan Mfa = new(new("8a256a2b-b617-496d-b51b-e76466e88db0"), "MFA_PREMIUM");
    private static readonly GraphPlan PowerBiPro = new(new("70d33638-9c74-4d01-bfd3-562de28bd4ba"), "BI_AZURE_P2");
    private static readonly GraphPlan DynamicsPlan1 = new(new("d56f3deb-50d8-465a-bedb-f079817ccac1"), "DYN365_ENTERPRISE_P1");

    private static readonly GraphSku[] Skus =
    [
        new("ENTERPRISEPACK", new("6fd2c87f-b296-42f0-b197-1e91e994b900"),
            [ExchangeEnterprise, SharePointEnterprise, OfficeForTheWeb, OfficeApps, SkypeForBusiness, Yammer, Teams]),
        new("STANDARDWOFFPACK", new("6634e0ce-1a9f-428c-a498-f84ec7b8aa2e"),
            [ExchangeStandard, SharePointStandard, OfficeForTheWeb, SkypeForBusiness, Yammer, Teams]),
        new("Office_365_E3_(no_Teams)", new("46c3a859-c90d-40b3-9551-6178a48d5c18"),
            [ExchangeEnterprise, SharePointEnterprise, OfficeForTheWeb, OfficeApps, SkypeForBusiness, Yammer]),
        new("SPE_E3", new("05e9a617-0261-4cee-bb44-138d3ef5d965"),
            [ExchangeEnterprise, SharePointEnterprise, OfficeForTheWeb, OfficeApps, SkypeForBusiness, Yammer, Teams, EntraP1, Intune, AzureRights, Mfa]),
        new("SPE_E5", new("06ebc4ee-1bb5-47dd-8120-11324bc54e06"),
            [ExchangeEnterprise, SharePointEnterprise, OfficeForTheWeb, OfficeApps, SkypeForBusiness, Yammer, Teams, EntraP1, EntraP2, Intune, AzureRights, Mfa, PowerBiPro]),
        new("SPB", new("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"),
            [ExchangeStandard, SharePointStandard, OfficeForTheWeb, OfficeApps, SkypeForBusiness, Yammer, Teams, EntraP1, Intune, AzureRights, Mfa]),
        new("EMS", new("efccb6f7-5641-4e0e-bd10-b4976e1bf68e"),
            [EntraP1, Intune, AzureRights, Mfa, ExchangeFoundation]),
        new("EMSPREMIUM", new("b05e124f-c7cc-45a0-a6aa-8cf78c946968"),
            [EntraP1, EntraP2, Intune, AzureRights, Mfa, ExchangeFoundation]),
        new("INTUNE_A", new("061f9ace-7d42-4136-88ac-31dc755f143f"),
            [Intune, ExchangeFoundation]),
        new("POWER_BI_PRO", new("f8a1db68-be16-40ed-86d5-cb42ce701560"),
            [PowerBiPro, ExchangeFoundation]),
        new("DYN365_ENTERPRISE_PLAN1", new("ea126fc5-a19e-42e2-a731-da9d437bffcf"),
            [DynamicsPlan1, ExchangeFoundation]),
    ];

    private static readonly FrozenDictionary<string, GraphSku> ByPartNumber =
        Skus.ToFrozenDictionary(s => s.PartNumber, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<GraphSku> All => Skus;

    /// <summary>A known SKU by part number, or one with a deterministic skuId and no service plans.</summary>
    public static GraphSku Find(string partNumber) =>
        ByPartNumber.TryGetValue(partNumber, out var sku)
            ? sku
            : new GraphSku(partNumber, SandboxDirectory.DeterministicGuid("graph-sku:" + partNumber), []);
}
