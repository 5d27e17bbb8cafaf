namespace DporReports.Core.Subscriptions;

/// <summary>
/// What tells two subscriptions of one SKU apart where they are listed: a short reference (the commerce id's start), the
/// licences, whether it is a trial (whose seats are not paid seats), and the next lifecycle date (renewal or expiry).
/// </summary>
public sealed record SubscriptionDetails(string Reference, int TotalLicenses, bool IsTrial, DateTimeOffset? NextLifecycleAt)
{
    public static SubscriptionDetails Of(Subscription s) => new(s.Reference, s.TotalLicenses, s.IsTrial, s.NextLifecycleAt);
}
