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

    /// <summary>Graph's nextLifecycleDateTime: the renewal, or the next step of an expiring or trial subscription.</summary>
    public DateTimeOffset? NextLifecycleAt { get; private set; }
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

    /// <summary>Partner Center's denominator (PAU, paid available units): seats count only while the subscription is Enabled or
    /// Warning, and never a trial's.</summary>
    public int Seats => IsActive && !IsTrial ? TotalLicenses : 0;

    /// <summary>Present in the latest inventory and Enabled or Warning: may be assigned, and its assignment reported.</summary>
    public bool IsActive => DisappearedAt is null && Status is SubscriptionStatus.Enabled or SubscriptionStatus.Warning;

    public static Subscription Discover(Guid id, Guid tenantId, DateTimeOffset now) =>
        new() { Id = id, TenantId = tenantId, FirstSeenAt = now, PartnerOfRecordVersion = Guid.NewGuid() };

    /// <summary>
    /// Applies what Graph says now. <paramref name="plans"/> are the plans the tenant's copy of the SKU delivers (the
    /// sync decides which list to trust); the catalog gives Microsoft's display name and family, and the workloads.
    /// </summary>
    /// <returns>Whether anything the product shows or attributes by changed (a reappearance counts).</returns>
    public bool Refresh(string? commerceId, Guid skuId, string skuPartNumber, SubscriptionStatus status, int totalLicenses, bool isTrial,
        DateTimeOffset? createdAt, IReadOnlyList<ServicePlan> plans, int skuConsumedUnits, ProductCatalog catalog,
        DateTimeOffset? nextLifecycleAt = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var before = Fingerprint();
        (CommerceSubscriptionId, SkuId, SkuPartNumber, Status, TotalLicenses, IsTrial, CreatedAtSource, SkuConsumedUnits) =
            (commerceId, skuId, skuPartNumber, status, totalLicenses, isTrial, createdAt, skuConsumedUnits);
        NextLifecycleAt = nextLifecycleAt;
        var workloads = catalog.WorkloadsOf(plans);
        var sku = catalog.Find(skuId, skuPartNumber);
        ProductName = sku?.DisplayName ?? skuPartNumber;
        Family = sku?.Family ?? ProductFamilies.Of(
            new Licensing.TableSku(skuId, skuPartNumber, skuPartNumber, [.. plans.Select(p => new Licensing.TablePlan(p.ServicePlanId, p.ServicePlanName, ""))]),
            workloads);
        Workloads = [.. workloads.Order()];
        ServicePlans = [.. plans];
        var reappeared = DisappearedAt is not null;
        DisappearedAt = null;
        return reappeared || before != Fingerprint();
    }

    private string Fingerprint() => string.Join('|', CommerceSubscriptionId, SkuId, SkuPartNumber, ProductName, Family, Status, TotalLicenses,
        IsTrial, CreatedAtSource, NextLifecycleAt, SkuConsumedUnits, string.Join(',', Workloads),
        string.Join(',', ServicePlans.Select(p => $"{p.ServicePlanId}:{p.ProvisioningStatus}")));

    /// <summary>A short form of the commerce subscription id (its first 6 characters) that tells two subscriptions of one SKU apart.</summary>
    public string Reference => ReferenceOf(CommerceSubscriptionId, Id);

    public static string ReferenceOf(string? commerceSubscriptionId, Guid id)
    {
        var source = string.IsNullOrWhiteSpace(commerceSubscriptionId) ? id.ToString() : commerceSubscriptionId.Trim();
        return source[..Math.Min(6, source.Length)].ToUpperInvariant();
    }

    public void Disappear(DateTimeOffset now) => DisappearedAt ??= now;

    public void PartnerOfRecordChanged() => PartnerOfRecordVersion = Guid.NewGuid();
}
