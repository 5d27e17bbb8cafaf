namespace DporReports.Core.Subscriptions;

/// <summary>
/// A SKU the catalog knows: Graph's skuPartNumber, its skuId where confirmed, and its display name as usage reports
/// print it in "Assigned Products".
/// </summary>
public sealed record CatalogSku(string SkuPartNumber, Guid? SkuId, string ProductName);
