using System.Collections.Frozen;

namespace DporReports.Core.Subscriptions;

/// <summary>
/// What the product knows about Microsoft's SKUs: family, workloads carried, and the display names usage reports use.
/// Facts come from shared/reference/graph-and-entra.md (Microsoft's "Product names and service plan identifiers for
/// licensing").
/// </summary>
public static class ProductCatalog
{
    /// <summary>
    /// One row per SKU. Usage reports print display names upper-case. SkuId only where the reference confirms it.
    /// </summary>
    public static IReadOnlyList<CatalogSku> Skus { get; } =
    [
        new("ENTERPRISEPACK", new Guid("6fd2c87f-b296-42f0-b197-1e91e994b900"), "OFFICE 365 E3"),
        new("STANDARDWOFFPACK", new Guid("6634e0ce-1a9f-428c-a498-f84ec7b8aa2e"), "OFFICE 365 E2"),
        new("Office_365_E3_(no_Teams)", new Guid("46c3a859-c90d-40b3-9551-6178a48d5c18"), "OFFICE 365 E3 (NO TEAMS)"),
        new("ENTERPRISEPREMIUM", null, "OFFICE 365 E5"),
        new("SPE_E3", new Guid("05e9a617-0261-4cee-bb44-138d3ef5d965"), "MICROSOFT 365 E3"),
        new("SPE_E5", new Guid("06ebc4ee-1bb5-47dd-8120-11324bc54e06"), "MICROSOFT 365 E5"),
        new("SPB", new Guid("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"), "MICROSOFT 365 BUSINESS PREMIUM"),
        new("EMS", new Guid("efccb6f7-5641-4e0e-bd10-b4976e1bf68e"), "ENTERPRISE MOBILITY + SECURITY E3"),
        new("EMSPREMIUM", new Guid("b05e124f-c7cc-45a0-a6aa-8cf78c946968"), "ENTERPRISE MOBILITY + SECURITY E5"),
        new("INTUNE_A", new Guid("061f9ace-7d42-4136-88ac-31dc755f143f"), "INTUNE"),
        new("POWER_BI_PRO", new Guid("f8a1db68-be16-40ed-86d5-cb42ce701560"), "POWER BI PRO"),
        new("DYN365_ENTERPRISE_PLAN1", new Guid("ea126fc5-a19e-42e2-a731-da9d437bffcf"), "DYNAMICS 365 CUSTOMER ENGAGEMENT PLAN"),
        new("DYN365_ENTERPRISE_SALES", null, "DYNAMICS 365 SALES, ENTERPRISE EDITION"),
    ];

    public static IReadOnlyList<string> KnownProductNames { get; } = [.. Skus.Select(s => s.ProductName)];

    private static readonly FrozenDictionary<string, string> NameByPartNumber =
        Skus.ToFrozenDictionary(s => s.SkuPartNumber, s => s.ProductName, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> PartNumberByName =
        Skus.ToFrozenDictionary(s => s.ProductName, s => s.SkuPartNumber, StringComparer.OrdinalIgnoreCase);

    // Longest first: should a known name ever be another's start up to a '+' (say "ENTERPRISE MOBILITY" beside
    // "ENTERPRISE MOBILITY + SECURITY E3"), the longer name must win when splitting a field.
    private static readonly string[] NamesLongestFirst = [.. KnownProductNames.OrderByDescending(n => n.Length)];

    private sealed record WorkloadPlan(string Name, Guid? Id, Workload Workload);

    /// <summary>
    /// Service plans that carry a workload (reference table). Rows without an id are names seen in Microsoft's
    /// licensing reference but not confirmed there by id; they match by name only.
    /// Deliberately absent: EXCHANGE_S_FOUNDATION (a mailbox-less Exchange plan that many non-mail SKUs carry) and
    /// SHAREPOINTWAC (Office for the web, not SharePoint).
    /// </summary>
    private static readonly WorkloadPlan[] WorkloadPlans =
    [
        new("EXCHANGE_S_ENTERPRISE", new Guid("efb87545-963c-4e0d-99df-69c6916d9eb0"), Workload.Exchange),
        new("EXCHANGE_S_STANDARD", new Guid("9aaf7827-d63c-4b61-89c3-182f06f82e5c"), Workload.Exchange),
        new("EXCHANGE_S_DESKLESS", null, Workload.Exchange), // Exchange Online Kiosk of frontline (F) SKUs: a real mailbox.
        new("SHAREPOINTENTERPRISE", new Guid("5dbe027f-2339-4123-9542-606e4d348a72"), Workload.SharePoint),
        new("SHAREPOINTSTANDARD", new Guid("c7699d2e-19aa-44de-8edf-1736da088ca1"), Workload.SharePoint),
        new("SHAREPOINTENTERPRISE_EDU", null, Workload.SharePoint),
        new("SHAREPOINTSTANDARD_EDU", null, Workload.SharePoint),
        new("SHAREPOINTDESKLESS", null, Workload.SharePoint), // SharePoint Online Kiosk of frontline (F) SKUs.
        new("MCOSTANDARD", new Guid("0feaeb32-d00e-4d66-bd5a-43b5b83db82c"), Workload.SkypeForBusiness),
        new("YAMMER_ENTERPRISE", new Guid("7547a3fe-08ee-4ccb-b430-5077c5041653"), Workload.Yammer),
        new("VIVAENGAGE_CORE", new Guid("a82fbf69-b4d7-49f4-83a6-915b2cf354f4"), Workload.Yammer),
        new("YAMMER_EDU", null, Workload.Yammer),
        new("TEAMS1", new Guid("57ff2da0-773e-42df-b2af-ffb7a2317929"), Workload.Teams),
    ];

    private static readonly FrozenDictionary<Guid, Workload> WorkloadByPlanId =
        WorkloadPlans.Where(p => p.Id is not null).ToFrozenDictionary(p => p.Id!.Value, p => p.Workload);

    private static readonly FrozenDictionary<string, Workload> WorkloadByPlanName =
        WorkloadPlans.ToFrozenDictionary(p => p.Name, p => p.Workload, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Family by part-number prefix, a heuristic (the reference gives prefixes, not a complete list). First match wins;
    /// part numbers containing AX7 are checked before this list because the rest of Dynamics shares its prefixes.
    /// Specific families come before the Office suites: Dynamics SKUs, for one, also carry SharePoint plans.
    /// </summary>
    private static readonly (string Prefix, ProductFamily Family)[] FamilyPrefixes =
    [
        ("DYN365_", ProductFamily.Dynamics365),
        ("D365_", ProductFamily.Dynamics365),
        ("Dynamics_365_", ProductFamily.Dynamics365),
        ("CRM", ProductFamily.Dynamics365),
        ("INTUNE_", ProductFamily.Intune),
        ("EMS", ProductFamily.Ems), // also EMSPREMIUM and the _GOV / _EDU variants
        ("POWER_BI_", ProductFamily.PowerBi),
        ("PBI_PREMIUM_", ProductFamily.PowerBi),
        ("ENTERPRISEPACK", ProductFamily.Office365),
        ("ENTERPRISEPREMIUM", ProductFamily.Office365),
        ("STANDARDWOFFPACK", ProductFamily.Office365),
        ("DESKLESSPACK", ProductFamily.Office365),
        ("Office_365_", ProductFamily.Office365),
        ("O365_", ProductFamily.Office365),
        ("SPE_", ProductFamily.Office365),
        ("SPB", ProductFamily.Office365),
        ("M365_", ProductFamily.Office365),
        ("SMB_BUSINESS", ProductFamily.Office365),
        ("EXCHANGE", ProductFamily.Office365),
        ("SHAREPOINT", ProductFamily.Office365),
        ("TEAMS", ProductFamily.Office365),
    ];

    public static string FamilyDisplayName(ProductFamily family) => family switch
    {
        ProductFamily.Office365 => "Office 365 / Microsoft 365",
        ProductFamily.Dynamics365 => "Dynamics 365 / CRM Online",
        ProductFamily.Ax7 => "AX7",
        ProductFamily.Intune => "Intune",
        ProductFamily.Ems => "EMS",
        ProductFamily.PowerBi => "Power BI",
        ProductFamily.Other => "Other",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    public static string WorkloadDisplayName(Workload workload) => workload switch
    {
        Workload.Exchange => "Exchange",
        Workload.SharePoint => "SharePoint",
        Workload.Teams => "Teams",
        Workload.Yammer => "Viva Engage (Yammer)",
        Workload.SkypeForBusiness => "Skype for Business",
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, null),
    };

    /// <summary>
    /// Family of a SKU: by part number first; an unknown part number whose plans carry Exchange or SharePoint is an
    /// Office 365 / Microsoft 365 suite; anything else is Other.
    /// </summary>
    public static ProductFamily Classify(string skuPartNumber, IEnumerable<ServicePlan> plans)
    {
        ArgumentNullException.ThrowIfNull(skuPartNumber);
        if (skuPartNumber.Contains("AX7", StringComparison.OrdinalIgnoreCase))
        {
            return ProductFamily.Ax7;
        }

        foreach (var (prefix, family) in FamilyPrefixes)
        {
            if (skuPartNumber.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return family;
            }
        }

        var workloads = WorkloadsOf(plans);
        return workloads.Contains(Workload.Exchange) || workloads.Contains(Workload.SharePoint)
            ? ProductFamily.Office365
            : ProductFamily.Other;
    }

    /// <summary>Which of the five workloads the plans carry: by plan id, else by plan name.</summary>
    public static IReadOnlySet<Workload> WorkloadsOf(IEnumerable<ServicePlan> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var workloads = new HashSet<Workload>();
        foreach (var plan in plans)
        {
            // Graph marks a plan Disabled when the service is switched off in the tenant's copy of the SKU: the
            // subscription no longer delivers the workload, so usage must not be attributed to it.
            if (string.Equals(plan.ProvisioningStatus, "Disabled", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (WorkloadByPlanId.TryGetValue(plan.ServicePlanId, out var workload)
                || WorkloadByPlanName.TryGetValue(plan.ServicePlanName, out workload))
            {
                workloads.Add(workload);
            }
        }

        return workloads;
    }

    public static string? ProductName(string skuPartNumber) => NameByPartNumber.GetValueOrDefault(skuPartNumber);

    public static string? SkuPartNumberOfProductName(string productName) => PartNumberByName.GetValueOrDefault(productName.Trim());

    /// <summary>
    /// Splits a usage-report "Assigned Products" field into known product names (longest match first, so names containing
    /// '+' or ',' such as "ENTERPRISE MOBILITY + SECURITY E3" stay whole) and the unknown remainder pieces (trimmed, split
    /// on '+' as a fallback, empty pieces dropped). Never throws.
    /// </summary>
    public static AssignedProducts ParseAssignedProducts(string? field)
    {
        var known = new List<string>();
        var unknown = new List<string>();
        var text = field ?? "";
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '+' || char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            if (KnownNameAt(text, i) is { } name)
            {
                known.Add(name);
                i += name.Length;
                continue;
            }

            var separator = text.IndexOf('+', i);
            var end = separator < 0 ? text.Length : separator;
            unknown.Add(text[i..end].Trim());
            i = end;
        }

        return new AssignedProducts(known, unknown);
    }

    /// <summary>The known name starting at <paramref name="start"/> and ending where a product ends (field end or '+').</summary>
    private static string? KnownNameAt(string text, int start)
    {
        foreach (var name in NamesLongestFirst)
        {
            if (text.AsSpan(start).StartsWith(name, StringComparison.OrdinalIgnoreCase) && EndsProduct(text, start + name.Length))
            {
                return name;
            }
        }

        return null;
    }

    // A match followed by more text, as in "OFFICE 365 E3 PLUS", is a different (unknown) product.
    private static bool EndsProduct(string text, int index)
    {
        var rest = text.AsSpan(index).TrimStart();
        return rest.IsEmpty || rest[0] == '+';
    }
}
