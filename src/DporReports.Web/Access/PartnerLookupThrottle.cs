using System.Threading.RateLimiting;
using DporReports.Core.Identity;
using Microsoft.Extensions.Options;

namespace DporReports.Web.Access;

/// <summary>
/// Each signed-in user's budget of Partner ID lookups, shared by the API and the "Check ID" button, so the directory
/// (which IDs exist, which organisations are pending) cannot be enumerated by trying numbers through either door.
/// </summary>
public sealed class PartnerLookupThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public PartnerLookupThrottle(IOptions<AccessOptions> options)
    {
        var perMinute = options.Value.LookupsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key,
            _ => new SlidingWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0 }));
    }

    public const string Refusal = "You looked up many Partner IDs in a short time. Wait a minute and try again.";

    public bool TryAcquire(SignedInUser user)
    {
        using var lease = _limiter.AttemptAcquire($"{user.TenantId}/{user.ObjectId?.ToString() ?? user.UserPrincipalName}");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
