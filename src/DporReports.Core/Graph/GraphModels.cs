using System.Text.Json.Serialization;

namespace DporReports.Core.Graph;

/// <summary>One page of a Graph collection.</summary>
internal sealed record GraphPage<T>(
    [property: JsonPropertyName("value")] List<T>? Value,
    [property: JsonPropertyName("@odata.nextLink")] string? NextLink);

/// <summary>Graph's companySubscription (GET /directory/subscriptions).</summary>
public sealed record GraphSubscription(
    Guid Id,
    string? CommerceSubscriptionId,
    DateTimeOffset? CreatedDateTime,
    bool IsTrial,
    Guid SkuId,
    string SkuPartNumber,
    string Status,
    int TotalLicenses,
    List<GraphServicePlan>? ServiceStatus,
    DateTimeOffset? NextLifecycleDateTime = null);

public sealed record GraphServicePlan(Guid ServicePlanId, string? ServicePlanName, string? ProvisioningStatus);

/// <summary>Graph's subscribedSku (GET /subscribedSkus).</summary>
public sealed record GraphSubscribedSku(Guid SkuId, string SkuPartNumber, string? CapabilityStatus, int ConsumedUnits,
    List<string>? SubscriptionIds, List<GraphServicePlan>? ServicePlans = null);

/// <summary>Graph's organization (GET /organization): the tenant's display name.</summary>
public sealed record GraphOrganization(Guid Id, string? DisplayName);

/// <summary>
/// Graph refused us for good in this tenant (401/403, or no token because the app is no longer consented): the tenant's
/// consent is revoked. Jobs record it and stop; retrying cannot help.
/// </summary>
public sealed class GraphConsentRevokedException(Guid tenantId, string reason) : Exception($"Graph refused access to tenant {tenantId}: {reason}")
{
    public Guid TenantId { get; } = tenantId;
    public string Reason { get; } = reason;
}

/// <summary>A Graph call that failed after the retries (throttling, outage, bad answer): transient, the job retries later.</summary>
public sealed class GraphRequestException(string message, Exception? inner = null, bool transferCut = false) : Exception(message, inner)
{
    /// <summary>The answer's body ended before its end (closed or reset mid-transfer): asking again may well succeed.</summary>
    public bool TransferCut { get; } = transferCut;
}
