using DporReports.Core.Tenancy;

namespace DporReports.Core.Adoption.Alerts;

/// <summary>
/// One weekly digest of a partner. (Partner, week) is unique, and the digest, its notices and its mail are saved in one
/// transaction: a job retried (or fired twice, or on two workers) finds the row and sends nothing more. A week without new
/// items is recorded too, with no mail.
/// </summary>
public sealed class AlertDigest : IPartnerOwned
{
    private AlertDigest() { }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }

    /// <summary>The Monday of the digest's week, in the partner's digest time zone.</summary>
    public DateOnly WeekStart { get; private set; }

    /// <summary>The day the signals were read as of (the local date when the digest ran).</summary>
    public DateOnly AsOf { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>New items listed (crossed since the last digest).</summary>
    public int NewItems { get; private set; }

    /// <summary>Items crossed now (new or already listed in an earlier digest).</summary>
    public int CurrentItems { get; private set; }

    /// <summary>Comma-separated addresses the mail went to; empty when no mail was written.</summary>
    public string Recipients { get; private set; } = "";

    /// <summary>What the digest could not do (e.g. no recipient allowed any more).</summary>
    public string? Problem { get; private set; }

    public bool Mailed => Recipients.Length > 0;

    public IReadOnlyList<string> RecipientList => Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static AlertDigest Start(Guid partnerId, DateOnly weekStart, DateOnly asOf, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        PartnerId = partnerId,
        WeekStart = weekStart,
        AsOf = asOf,
        CreatedAt = now,
    };

    public void Record(int newItems, int currentItems, IReadOnlyCollection<string> recipients, string? problem)
    {
        (NewItems, CurrentItems) = (newItems, currentItems);
        Recipients = string.Join(",", recipients);
        Problem = problem is { Length: > 1000 } ? problem[..1000] : problem;
    }
}

/// <summary>
/// That an alert item (subscription, reason) crossed its threshold: first seen and listed in <see cref="NotifiedDigestId"/>;
/// open while it stays crossed (never listed again), closed by the first digest that no longer finds it (it recovered, or
/// the partner no longer holds the subscription). Crossing anew opens a new notice, listed again.
/// </summary>
public sealed class AlertNotice : IPartnerOwned
{
    private AlertNotice() { }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public HelpReason Reason { get; private set; }
    public DateTimeOffset FirstSeenAt { get; private set; }
    public Guid NotifiedDigestId { get; private set; }

    /// <summary>The figure when it was listed (a fraction or a count, as <see cref="HelpItem.Figure"/>).</summary>
    public decimal Figure { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }
    public Guid? ClosedDigestId { get; private set; }

    public bool IsOpen => ClosedAt is null;

    public static AlertNotice Open(AlertDigest digest, HelpItem item, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        PartnerId = digest.PartnerId,
        TenantId = item.Subscription.TenantId,
        SubscriptionId = item.Subscription.SubscriptionId,
        Reason = item.Reason,
        FirstSeenAt = now,
        NotifiedDigestId = digest.Id,
        Figure = item.Figure,
    };

    public void Close(AlertDigest digest, DateTimeOffset now) => (ClosedAt, ClosedDigestId) = (now, digest.Id);
}
