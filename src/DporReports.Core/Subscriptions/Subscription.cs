namespace DporReports.Core.Subscriptions;

/// <summary>Graph's companySubscription status values.</summary>
public enum SubscriptionStatus
{
    Enabled = 0,
    Warning = 1,
    Suspended = 2,
    Deleted = 3,
    LockedOut = 4,
}

/// <summary>
/// A subscription of a customer tenant as the latest inventory sync saw it (id = Graph's companySubscription id).
/// One that disappears from Graph is marked, never deleted: its assignments and history keep pointing at it.
/// </summary>
public sealed class Subscription
{
    private Subscription() { }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string? CommerceSubscriptionId { get; private set; }
    public Guid SkuId { get; private set; }
    public string SkuPartNumber { get; private set; } = "";
    public string ProductName { get; private set; } = "";
    public ProductFamily Family { get; private set; }
    public SubscriptionStatus Status { get; private set; }
    public int TotalLicenses { get; private set; }
    public bool IsTrial { get; private set; }
    public DateTimeOffset? CreatedAtSource { get; private set; }
    public List<ServicePlan> ServicePlans { get; private set; } = [];
    public List<Workload> Workloads { get; private set; } = [];
    /// <summary>Units of this subscription's SKU assigned to users, across the tenant's subscriptions of that SKU (subscribedSkus).</summary>
    public int SkuConsumedUnits { get; private set; }

    public DateTimeOffset FirstSeenAt { get; private set; }
    public DateTimeOffset? DisappearedAt { get; private set; }

    /// <summary>
    /// Optimistic concurrency token of the subscription's partner of record: every assign, change or remove replaces it,
    /// so of two admins racing on one subscription exactly one write succeeds.
    /// </summary>
    public Guid PartnerOfRecordVersion { get; private set; }

    /// <summary>Partner Center's denominator: seats count only while the subscription is Enabled or Warning.</summary>
    public int Seats => IsActive ? TotalLicenses : 0;

    /// <summary>Present in the latest inventory and Enabled or Warning: may be assigned, and its assignment reported.</summary>
    public bool IsActive => DisappearedAt is null && Status is SubscriptionStatus.Enabled or SubscriptionStatus.Warning;

    public static Subscription Discover(Guid id, Guid tenantId, DateTimeOffset now) =>
        new() { Id = id, TenantId = tenantId, FirstSeenAt = now, PartnerOfRecordVersion = Guid.NewGuid() };

    /// <summary>Applies what Graph says now, with the product family and workloads the catalog derives from it.</summary>
    public void Refresh(string? commerceId, Guid skuId, string skuPartNumber, SubscriptionStatus status, int totalLicenses, bool isTrial,
        DateTimeOffset? createdAt, IReadOnlyList<ServicePlan> plans, int skuConsumedUnits)
    {
        (CommerceSubscriptionId, SkuId, SkuPartNumber, Status, TotalLicenses, IsTrial, CreatedAtSource, SkuConsumedUnits) =
            (commerceId, skuId, skuPartNumber, status, totalLicenses, isTrial, createdAt, skuConsumedUnits);
        ProductName = ProductCatalog.ProductName(skuPartNumber) ?? skuPartNumber;
        Family = ProductCatalog.Classify(skuPartNumber, plans);
        Workloads = [.. ProductCatalog.WorkloadsOf(plans).Order()];
        ServicePlans = [.. plans];
        DisappearedAt = null;
    }

    public void Disappear(DateTimeOffset now) => DisappearedAt ??= now;

    public void PartnerOfRecordChanged() => PartnerOfRecordVersion = Guid.NewGuid();
}
