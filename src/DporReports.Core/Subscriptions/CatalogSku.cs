using DporReports.Core.Subscriptions.Licensing;

namespace DporReports.Core.Subscriptions;

/// <summary>
/// A SKU of Microsoft's licensing table as the product uses it: its display name in Microsoft's spelling, its family,
/// and the workloads its plans in the table deliver (a tenant's own <c>subscribedSkus</c> plans take precedence).
/// </summary>
public sealed record CatalogSku(Guid SkuId, string PartNumber, string DisplayName, ProductFamily Family,
    IReadOnlyList<Workload> Workloads, IReadOnlyList<TablePlan> Plans);
