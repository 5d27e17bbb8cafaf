using System.Text.RegularExpressions;
using DporReports.Core.Subscriptions.Licensing;

namespace DporReports.Core.Subscriptions;

/// <summary>The cloud services a customer can name a partner of record for (design.md §1).</summary>
public enum ProductFamily
{
    /// <summary>Office 365 / Microsoft 365.</summary>
    Office365,

    /// <summary>Dynamics 365 / CRM Online.</summary>
    Dynamics365,

    /// <summary>Dynamics 365 Finance, Supply Chain Management, Commerce, Human Resources (Talent) and their Operations SKUs.</summary>
    Ax7,
    Intune,
    Ems,
    PowerBi,
    Other,
}

/// <summary>
/// The family of each SKU, decided from Microsoft's display names and part numbers, and from the workloads its plans
/// carry. The rules run in order; the decision for every SKU of the table is committed in
/// <c>Licensing/sku-decisions.tsv</c> and compared by a test, so a reviewer reads each choice and a table refresh shows
/// its diff.
/// </summary>
public static partial class ProductFamilies
{
    public static ProductFamily Of(TableSku sku, IReadOnlyCollection<Workload> workloads)
    {
        ArgumentNullException.ThrowIfNull(sku);
        var (name, part) = (sku.DisplayName, sku.PartNumber);

        // Before Dynamics: these are Dynamics 365 products too, of the Finance and Operations (AX7) lineage.
        if (part.Contains("AX7", StringComparison.OrdinalIgnoreCase) || Ax7Name().IsMatch(name))
        {
            return ProductFamily.Ax7;
        }

        // Before the suites: Dynamics SKUs carry SharePoint plans for their document storage.
        if (DynamicsName().IsMatch(name) || DynamicsPart().IsMatch(part))
        {
            return ProductFamily.Dynamics365;
        }

        if (name.StartsWith("Enterprise Mobility + Security", StringComparison.OrdinalIgnoreCase) || part.StartsWith("EMS", StringComparison.OrdinalIgnoreCase))
        {
            return ProductFamily.Ems;
        }

        if (PowerBiName().IsMatch(name) || PowerBiPart().IsMatch(part))
        {
            return ProductFamily.PowerBi;
        }

        if (IntuneName().IsMatch(name) || part.StartsWith("INTUNE", StringComparison.OrdinalIgnoreCase))
        {
            return ProductFamily.Intune;
        }

        return workloads.Count > 0 || SuiteName().IsMatch(name) ? ProductFamily.Office365 : ProductFamily.Other;
    }

    public static string DisplayName(ProductFamily family) => family switch
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

    [GeneratedRegex(@"^(Microsoft )?Dynamics (AX|365 (for )?(Finance\b|Supply Chain|Commerce|Human Resources|Talent|Operations|UNF OPS))|Supply Chain Management", RegexOptions.IgnoreCase)]
    private static partial Regex Ax7Name();

    [GeneratedRegex(@"^(Microsoft )?Dynamics\b|^Dynamics 365", RegexOptions.IgnoreCase)]
    private static partial Regex DynamicsName();

    [GeneratedRegex(@"^(DYN365|D365|DYNAMICS|CRM)", RegexOptions.IgnoreCase)]
    private static partial Regex DynamicsPart();

    [GeneratedRegex(@"^(Microsoft )?(Power BI|Fabric)", RegexOptions.IgnoreCase)]
    private static partial Regex PowerBiName();

    [GeneratedRegex(@"^(POWER_?BI|PBI_)", RegexOptions.IgnoreCase)]
    private static partial Regex PowerBiPart();

    [GeneratedRegex(@"^(Microsoft )?Intune", RegexOptions.IgnoreCase)]
    private static partial Regex IntuneName();

    [GeneratedRegex(@"^(Office 365|Microsoft 365|Microsoft Copilot for Microsoft 365|Microsoft Teams|Teams|Exchange|SharePoint|Skype|Viva Engage|Yammer)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SuiteName();
}
