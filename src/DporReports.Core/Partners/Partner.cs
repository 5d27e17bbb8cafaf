using DporReports.Core.Identity;

namespace DporReports.Core.Partners;

public enum PartnerStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    Suspended = 3,
}

/// <summary>
/// A partner organisation: signs in from its own Entra tenant, is found by customers through its Partner IDs
/// (MPN IDs), and may act as a partner of record only once an operator has approved it.
/// </summary>
public sealed class Partner
{
    private Partner() { }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string NotificationEmail { get; private set; } = "";

    /// <summary>The language of every mail the organisation receives ("es" or "en"), chosen at registration.</summary>
    public string NotificationLanguage { get; private set; } = Languages.Language.English;

    public PartnerStatus Status { get; private set; }
    public string? StatusReason { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token, replaced on every change (provider-neutral: no rowversion).</summary>
    public Guid Version { get; private set; }

    /// <summary>
    /// Raised in the same transaction as every change to the usage facts of a tenant where this partner has (or had) an
    /// assignment: what the partner's cached portfolio depends on, so another partner's customers' pulls do not touch it.
    /// Written only by that set-based update, never through the entity (it is no part of <see cref="Version"/>).
    /// </summary>
    public long UsageVersion { get; private set; }

    public List<PartnerMpnId> MpnIds { get; private set; } = [];

    public static Partner Register(Guid tenantId, string displayName, string notificationEmail, string notificationLanguage,
        IEnumerable<string> mpnIds, DateTimeOffset now)
    {
        var partner = new Partner
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            DisplayName = displayName,
            NotificationEmail = notificationEmail,
            NotificationLanguage = notificationLanguage,
            Status = PartnerStatus.Pending,
            RegisteredAt = now,
            UpdatedAt = now,
            Version = Guid.NewGuid(),
        };
        partner.MpnIds.AddRange(mpnIds.Select(id => new PartnerMpnId(id, partner.Id, now)));
        return partner;
    }

    public PartnerSnapshot Snapshot() =>
        new(DisplayName, NotificationEmail, Status, StatusReason, [.. MpnIds.Select(m => m.Value).Order(StringComparer.Ordinal)], NotificationLanguage);

    /// <summary>Name and Partner IDs are what customers rely on, so changing them sends the organisation back to review.</summary>
    public void Update(string displayName, string notificationEmail, string notificationLanguage, IReadOnlyCollection<string> mpnIds,
        DateTimeOffset now)
    {
        var identityChanged = displayName != DisplayName || !mpnIds.Order(StringComparer.Ordinal)
            .SequenceEqual(MpnIds.Select(m => m.Value).Order(StringComparer.Ordinal));
        DisplayName = displayName;
        NotificationEmail = notificationEmail;
        NotificationLanguage = notificationLanguage;
        MpnIds.RemoveAll(m => !mpnIds.Contains(m.Value));
        MpnIds.AddRange(mpnIds.Where(v => MpnIds.All(m => m.Value != v)).Select(v => new PartnerMpnId(v, Id, now)));
        if (identityChanged && Status is PartnerStatus.Approved or PartnerStatus.Rejected)
            MoveTo(PartnerStatus.Pending, null);
        Touch(now);
    }

    public void RemoveMpnId(string value, DateTimeOffset now)
    {
        MpnIds.RemoveAll(m => m.Value == value);
        Touch(now);
    }

    public void Approve(DateTimeOffset now) { MoveTo(PartnerStatus.Approved, null); Touch(now); }
    /// <summary>
    /// A rejected claim releases its Partner IDs (the ledger keeps them in the event's "before"): anyone may claim any
    /// unclaimed ID, so an ID held by a rejected squatter would otherwise keep its real owner out for good.
    /// </summary>
    public void Reject(string reason, DateTimeOffset now)
    {
        MoveTo(PartnerStatus.Rejected, reason);
        MpnIds.Clear();
        Touch(now);
    }
    public void Suspend(string reason, DateTimeOffset now) { MoveTo(PartnerStatus.Suspended, reason); Touch(now); }

    private void MoveTo(PartnerStatus status, string? reason)
    {
        Status = status;
        StatusReason = reason;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version = Guid.NewGuid();
    }
}

/// <summary>A Partner ID (MPN ID): a string of digits, registered to exactly one organisation (primary key).</summary>
public sealed class PartnerMpnId(string value, Guid partnerId, DateTimeOffset addedAt)
{
    public string Value { get; private set; } = value;
    public Guid PartnerId { get; private set; } = partnerId;
    public DateTimeOffset AddedAt { get; private set; } = addedAt;
}

/// <summary>What the ledger records before and after a change.</summary>
/// <remarks>Events recorded before notification languages existed read back with a null language.</remarks>
public sealed record PartnerSnapshot(string DisplayName, string NotificationEmail, PartnerStatus Status, string? StatusReason,
    IReadOnlyList<string> MpnIds, string? NotificationLanguage = null);

public enum PartnerEventKind
{
    Registered = 0,
    Updated = 1,
    Approved = 2,
    Rejected = 3,
    Suspended = 4,
    Reinstated = 5,
    MpnIdRemoved = 6,
}

/// <summary>Append-only history of a partner organisation's registration: who, when, before, after.</summary>
public sealed class PartnerEvent : Tenancy.IPartnerOwned
{
    private PartnerEvent() { }

    public long Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public PartnerEventKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid ActorTenantId { get; private set; }
    public Guid? ActorObjectId { get; private set; }
    public string ActorName { get; private set; } = "";
    public PartnerSnapshot? Before { get; private set; }
    public PartnerSnapshot After { get; private set; } = null!;

    public static PartnerEvent Record(Partner partner, PartnerEventKind kind, Actor actor, PartnerSnapshot? before,
        DateTimeOffset now) => new()
    {
        PartnerId = partner.Id,
        Kind = kind,
        At = now,
        ActorTenantId = actor.TenantId,
        ActorObjectId = actor.ObjectId,
        ActorName = actor.DisplayName,
        Before = before,
        After = partner.Snapshot(),
    };
}
