using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DporReports.Sandbox;

/// <summary>
/// Graph's servicePlanInfo, as listed in a companySubscription's <c>serviceStatus</c> and a subscribedSku's
/// <c>servicePlans</c>. <c>provisioningStatus</c> is "Success" (usable) or "Disabled" (switched off), among others;
/// <c>appliesTo</c> "User" or "Company".
/// </summary>
public sealed record SandboxGraphServicePlan(Guid ServicePlanId, string ServicePlanName, string ProvisioningStatus, string AppliesTo);

/// <summary>
/// Graph's companySubscription (<c>GET /v1.0/directory/subscriptions</c>). Serialises with the System.Text.Json web
/// defaults to Graph's wire format (camelCase, dates as <c>2024-01-15T00:00:00Z</c>). <c>ownerTenantId</c> is the
/// tenant that created the subscription (the customer itself, or the reseller partner); <c>status</c> is "Enabled",
/// "Warning", "Suspended", "Deleted" or "LockedOut".
/// </summary>
public sealed record SandboxGraphSubscription(
    Guid Id,
    string CommerceSubscriptionId,
    [property: JsonConverter(typeof(GraphDateTimeConverter))] DateTimeOffset CreatedDateTime,
    bool IsTrial,
    [property: JsonConverter(typeof(GraphNullableDateTimeConverter))] DateTimeOffset? NextLifecycleDateTime,
    Guid OwnerId,
    Guid OwnerTenantId,
    string OwnerType,
    IReadOnlyList<SandboxGraphServicePlan> ServiceStatus,
    Guid SkuId,
    string SkuPartNumber,
    string Status,
    int TotalLicenses);

/// <summary>The <c>prepaidUnits</c> of a subscribedSku: seats by the state of the subscriptions that hold them.</summary>
public sealed record SandboxGraphPrepaidUnits(int Enabled, int Suspended, int Warning, int LockedOut);

/// <summary>
/// Graph's subscribedSku (<c>GET /v1.0/subscribedSkus</c>), aggregated from a tenant's companySubscriptions: <c>id</c>
/// is "{tenantId}_{skuId}" as Graph forms it, <c>subscriptionIds</c> the <c>id</c>s of the SKU's companySubscriptions.
/// </summary>
public sealed record SandboxGraphSubscribedSku(
    string Id,
    Guid SkuId,
    string SkuPartNumber,
    string AppliesTo,
    string CapabilityStatus,
    int ConsumedUnits,
    SandboxGraphPrepaidUnits PrepaidUnits,
    IReadOnlyList<SandboxGraphServicePlan> ServicePlans,
    IReadOnlyList<string> SubscriptionIds);

/// <summary>A fault the sandbox Graph injects into the next <paramref name="Count"/> matching requests.</summary>
/// <param name="TenantId">Only requests for this tenant (the token's <c>tid</c>); null for any tenant.</param>
/// <param name="Path">
/// "subscriptions", "subscribedSkus", "organization", "reports" (any usage report) or "reports/{function}"; null for any
/// Graph path.
/// </param>
/// <param name="Status">The error status to answer with (429, 500, 502, 503, 504); null to only delay.</param>
/// <param name="RetryAfterSeconds">Sets the <c>Retry-After</c> header on the error when given.</param>
/// <param name="DelayMs">Waits this long before answering (with the error, or normally when there is no status).</param>
/// <param name="Count">How many matching requests still get the fault.</param>
public sealed record SandboxGraphFault(Guid? TenantId, string? Path, int? Status, int? RetryAfterSeconds, int? DelayMs, int Count);

/// <summary>One request to the sandbox Graph.</summary>
/// <param name="Time">When it arrived (the sandbox's clock).</param>
/// <param name="TenantId">The token's tenant; null when the request was refused before a tenant was known.</param>
/// <param name="Path">The request path without host, e.g. <c>/graph/v1.0/directory/subscriptions</c>.</param>
/// <param name="Query">The raw query string including the leading '?', or "".</param>
/// <param name="Status">The HTTP status code answered.</param>
/// <param name="FaultInjected">Whether a test fault (delay and/or error) was applied to this request.</param>
/// <param name="Function">For usage reports and their downloads: the report function, e.g. getOffice365ActiveUserDetail.</param>
/// <param name="Fault">
/// What was injected or enforced: "429"/"503"/... or "delay" (Graph faults), "budget" (the report request budget was
/// spent), or a download fault kind ("expired", "truncate", ...); null for none.
/// </param>
/// <param name="AuthorizationSent">Whether the request carried an Authorization header (report downloads need none).</param>
public sealed record SandboxGraphRequest(
    DateTimeOffset Time, Guid? TenantId, string Path, string Query, int Status, bool FaultInjected,
    string? Function = null, string? Fault = null, bool AuthorizationSent = false);

/// <summary>Graph's date-time format: UTC, second precision, trailing Z.</summary>
internal sealed class GraphDateTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}

internal sealed class GraphNullableDateTimeConverter : JsonConverter<DateTimeOffset?>
{
    private static readonly GraphDateTimeConverter Inner = new();

    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(DateTimeOffset), options);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } date)
        {
            Inner.Write(writer, date, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
