namespace DporReports.Core.Subscriptions;

/// <summary>
/// A usage report's "Assigned Products" field split up: catalog display names, and the pieces the catalog does not
/// know (these go to the unattributed bucket, design.md §3).
/// </summary>
public sealed record AssignedProducts(IReadOnlyList<string> Known, IReadOnlyList<string> Unknown);
