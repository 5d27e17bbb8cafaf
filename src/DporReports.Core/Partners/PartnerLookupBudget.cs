using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using DporReports.Core.Identity;
using DporReports.Core.Shared;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Partners;

public sealed class PartnerLookupOptions
{
    public const string SectionName = "PartnerLookups";

    /// <summary>Partner ID lookups per signed-in user per minute: a person checking IDs by hand never needs more.</summary>
    [Range(1, 1000)] public int PerUserPerMinute { get; set; } = 30;

    /// <summary>Per tenant per minute, all its users together: sixty accounts of one tenant get no sixty budgets.</summary>
    [Range(1, 10000)] public int PerTenantPerMinute { get; set; } = 60;
}

/// <summary>
/// The one budget every answer that tells whether a Partner ID exists is paid from (the lookup API, "Check ID", naming a
/// partner of record one by one or in bulk, and claiming IDs at registration), counted per signed-in user and per tenant,
/// so the directory — which IDs exist, which organisations are pending — cannot be enumerated by trying numbers through
/// any door. In-process: each web host keeps its own count.
/// </summary>
public sealed class PartnerLookupBudget : IDisposable
{
    public const string Refusal = "You looked up many Partner IDs in a short time. Wait a minute and try again.";

    private readonly PartitionedRateLimiter<SignedInUser> _limiter;

    public PartnerLookupBudget(IOptions<PartnerLookupOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<SignedInUser, string>(user =>
                Window($"{user.TenantId}/{user.ObjectId?.ToString() ?? user.UserPrincipalName ?? user.DisplayName}", limits.PerUserPerMinute)),
            PartitionedRateLimiter.Create<SignedInUser, string>(user => Window(user.TenantId.ToString(), limits.PerTenantPerMinute)));
    }

    public static Problem Exhausted => new(429, "rate_limited", Refusal);

    /// <summary>Pays for one answer about one Partner ID; false when the user's or the tenant's minute is spent.</summary>
    public bool TryTake(SignedInUser user)
    {
        using var lease = _limiter.AttemptAcquire(user);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    private static RateLimitPartition<string> Window(string key, int perMinute) => RateLimitPartition.GetSlidingWindowLimiter(key,
        _ => new SlidingWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0 });
}
