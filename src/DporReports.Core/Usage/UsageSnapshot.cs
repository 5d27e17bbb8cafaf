using DporReports.Core.Subscriptions;

namespace DporReports.Core.Usage;

/// <summary>
/// What the aggregation knows of one of the tenant's subscriptions (from the inventory). <paramref name="IsActive"/>:
/// status Enabled or Warning. <paramref name="Workloads"/>: the workloads its SKU's enabled service plans carry.
/// </summary>
public sealed record TenantSubscription(Guid SubscriptionId, string SkuPartNumber, int TotalLicenses, bool IsActive, IReadOnlySet<Workload> Workloads,
    Guid SkuId = default, bool IsTrial = false);

/// <summary>
/// One subscription and workload on the refresh date (design.md §3): Seats (PAU) = TotalLicenses while active, else 0;
/// LicensedUsers; ActiveUsers (MAU, the 28 days ending on the refresh date); ActiveUsers90Days (the 90 days ending on it, for
/// "licensed users inactive for 90 days"; null where not counted: a day's detail, or facts from before it was). Pooled
/// subscriptions of one SKU hold largest-remainder shares of the SKU's users.
/// </summary>
public sealed record SubscriptionWorkloadUsage(Guid SubscriptionId, Workload Workload, int Seats, int LicensedUsers, int ActiveUsers,
    int? ActiveUsers90Days = null);

/// <summary>
/// Users licensed for a workload whom the attribution could not place in a subscription, per product:
/// <c>"(unknown: NAME)"</c> for a product name the catalog does not know; a known product's display name when no
/// subscription of its SKU carries the workload (a user of several such products counts under each);
/// <c>"(no assigned products)"</c> when the user holds none.
/// </summary>
public sealed record UnattributedUsage(string Product, Workload Workload, int LicensedUsers, int ActiveUsers);

/// <summary>
/// The per-subscription figures of one active-user detail file. <paramref name="RowsRead"/> counts every data row,
/// deleted users too. <paramref name="NamesConcealed"/>: the tenant conceals user names in reports (every User Principal
/// Name is a 32-hex-digit hash).
/// </summary>
public sealed record ActiveUserSnapshot(DateOnly RefreshDate, long RowsRead, bool NamesConcealed,
    IReadOnlyList<SubscriptionWorkloadUsage> Subscriptions, IReadOnlyList<UnattributedUsage> Unattributed)
{
    /// <summary>Per product name Microsoft's table does not know: non-deleted users holding it, licensed for a workload or not.</summary>
    public IReadOnlyList<UnknownProductUsers> UnknownProducts { get; init; } = [];
}

/// <summary>Non-deleted users whose assigned products include <paramref name="Name"/>, a name Microsoft's table does not know.</summary>
public sealed record UnknownProductUsers(string Name, int Users);

/// <summary>A tenant-level figure of one workload on one date. Metric <c>"ActiveUsers"</c> for the daily active-user counts.</summary>
public sealed record DailyWorkloadValue(DateOnly Date, Workload Workload, string Metric, long Value);
