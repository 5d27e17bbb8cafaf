using System.Collections.Frozen;
using DporReports.Core.Subscriptions.Licensing;

namespace DporReports.Core.Subscriptions;

/// <summary>
/// What the product knows about Microsoft's SKUs, built once from Microsoft's licensing table (<see cref="LicensingTable"/>)
/// and frozen: display names, families, the workloads each SKU's plans deliver (<see cref="WorkloadPlans"/>), and how
/// the usage reports' "Assigned Products" names map back to SKUs.
/// </summary>
public sealed class ProductCatalog
{
    private static readonly Lazy<ProductCatalog> Shipped =
        new(() => new ProductCatalog(LicensingTable.ReadShippedAsync(CancellationToken.None).GetAwaiter().GetResult()));

    private readonly FrozenDictionary<Guid, CatalogSku> _bySkuId;
    private readonly FrozenDictionary<string, CatalogSku[]> _byPartNumber;
    private readonly FrozenDictionary<string, CatalogSku[]> _byDisplayName;
    private readonly FrozenDictionary<Guid, Workload> _workloadByPlanId;
    private readonly FrozenDictionary<char, string[]> _namesByFirstChar;

    /// <summary>The catalog of the table shipped with the product (parsed on first use, then shared).</summary>
    public static ProductCatalog Microsoft => Shipped.Value;

    public ProductCatalog(IReadOnlyList<TableSku> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _workloadByPlanId = table.SelectMany(s => s.Plans)
            .Where(p => WorkloadPlans.Recognised.ContainsKey(p.Name))
            .DistinctBy(p => p.Id)
            .ToFrozenDictionary(p => p.Id, p => WorkloadPlans.Recognised[p.Name]);
        Skus = [.. table.Select(sku =>
        {
            var workloads = WorkloadsOf(sku.Plans.Select(p => new ServicePlan(p.Id, p.Name, "Success"))).Order().ToList();
            return new CatalogSku(sku.SkuId, sku.PartNumber, sku.DisplayName, ProductFamilies.Of(sku, workloads), workloads, sku.Plans);
        })];
        _bySkuId = Skus.ToFrozenDictionary(s => s.SkuId);
        _byPartNumber = Skus.GroupBy(s => s.PartNumber, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        _byDisplayName = Skus.GroupBy(s => s.DisplayName, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);

        // Longest first within each first character: "Enterprise Mobility + Security E3" must win over any name that is
        // its start up to a '+', and "Office 365 E3 (no Teams)" over "Office 365 E3".
        _namesByFirstChar = _byDisplayName.Keys
            .GroupBy(n => char.ToUpperInvariant(n[0]))
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).ToArray());
    }

    public IReadOnlyList<CatalogSku> Skus { get; }

    public CatalogSku? Find(Guid skuId) => _bySkuId.GetValueOrDefault(skuId);

    /// <summary>The SKU of a tenant's subscription: by skuId, else by part number (one part number may have two skuIds).</summary>
    public CatalogSku? Find(Guid skuId, string skuPartNumber) =>
        _bySkuId.GetValueOrDefault(skuId) ?? _byPartNumber.GetValueOrDefault(skuPartNumber ?? "")?[0];

    /// <summary>The SKUs Microsoft gives this display name: one, or two for the 14 names the table shares between SKUs.</summary>
    public IReadOnlyList<CatalogSku> SkusNamed(string displayName) => _byDisplayName.GetValueOrDefault(displayName.Trim()) ?? [];

    /// <summary>Microsoft's display name of a SKU, or the part number when the table does not know it.</summary>
    public string DisplayName(Guid skuId, string skuPartNumber) => Find(skuId, skuPartNumber)?.DisplayName ?? skuPartNumber;

    /// <summary>
    /// Which of the six workloads the plans deliver: by Microsoft's plan id, else by plan name. Plans Graph lists as
    /// Disabled (switched off in the tenant's copy of the SKU) deliver nothing, so usage is never attributed through them.
    /// </summary>
    public IReadOnlySet<Workload> WorkloadsOf(IEnumerable<ServicePlan> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var workloads = new HashSet<Workload>();
        foreach (var plan in plans)
        {
            if (string.Equals(plan.ProvisioningStatus, "Disabled", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (_workloadByPlanId.TryGetValue(plan.ServicePlanId, out var workload)
                || WorkloadPlans.Recognised.TryGetValue(plan.ServicePlanName.Trim(), out workload))
            {
                workloads.Add(workload);
            }
        }

        return workloads;
    }

    /// <summary>
    /// Splits a usage report's "Assigned Products" field into the table's display names (matched case-insensitively,
    /// longest first, so names containing '+' or ',' stay whole) and the unknown pieces (split on '+', trimmed). Never throws.
    /// </summary>
    public AssignedProducts ParseAssignedProducts(string? field)
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
            unknown.Add(LicensingTable.Clean(text.AsSpan(i, end - i)));
            i = end;
        }

        return new AssignedProducts(known, unknown);
    }

    private string? KnownNameAt(string text, int start)
    {
        if (!_namesByFirstChar.TryGetValue(char.ToUpperInvariant(text[start]), out var names))
        {
            return null;
        }

        foreach (var name in names)
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

    public static string WorkloadDisplayName(Workload workload) => workload switch
    {
        Workload.Exchange => "Exchange",
        Workload.SharePoint => "SharePoint",
        Workload.Teams => "Teams",
        Workload.Yammer => "Viva Engage (Yammer)",
        Workload.SkypeForBusiness => "Skype for Business",
        Workload.Copilot => "Microsoft 365 Copilot",
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, null),
    };
}
