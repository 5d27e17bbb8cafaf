using DporReports.Core.Identity;

namespace DporReports.Core.Assignments;

public enum AssignmentEventKind
{
    Assigned = 0,
    Changed = 1,
    Removed = 2,
    Verified = 3,
    Rejected = 4,
    Suspended = 5,
    Resumed = 6,
}

/// <summary>
/// The append-only partner-of-record ledger of a customer tenant: who did what to which subscription, when, and the
/// partner before and after. There is no update or delete path: the entity has no mutators and the DbContext refuses
/// to save a modified or deleted event. Customers read their tenant's ledger; a partner reads the events of its own
/// assignments (joined through the partner-filtered assignments).
/// </summary>
public sealed class AssignmentEvent
{
    private AssignmentEvent() { }

    public long Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public AssignmentEventKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid ActorTenantId { get; private set; }
    public Guid? ActorObjectId { get; private set; }
    public string ActorName { get; private set; } = "";

    /// <summary>The assignment that ended or changed state (null when a partner is assigned to a subscription without one).</summary>
    public Guid? AssignmentBeforeId { get; private set; }
    public Guid? PartnerBeforeId { get; private set; }
    public string? PartnerBeforeName { get; private set; }

    /// <summary>The assignment in force after the event (null after a removal).</summary>
    public Guid? AssignmentAfterId { get; private set; }
    public Guid? PartnerAfterId { get; private set; }
    public string? PartnerAfterName { get; private set; }

    public string? Reason { get; private set; }

    public static AssignmentEvent Record(AssignmentEventKind kind, Guid tenantId, Guid subscriptionId, Actor actor, DateTimeOffset now,
        (Guid AssignmentId, Guid PartnerId, string PartnerName)? before, (Guid AssignmentId, Guid PartnerId, string PartnerName)? after,
        string? reason = null) => new()
    {
        Kind = kind,
        TenantId = tenantId,
        SubscriptionId = subscriptionId,
        At = now,
        ActorTenantId = actor.TenantId,
        ActorObjectId = actor.ObjectId,
        ActorName = actor.DisplayName,
        AssignmentBeforeId = before?.AssignmentId,
        PartnerBeforeId = before?.PartnerId,
        PartnerBeforeName = before?.PartnerName,
        AssignmentAfterId = after?.AssignmentId,
        PartnerAfterId = after?.PartnerId,
        PartnerAfterName = after?.PartnerName,
        Reason = reason,
    };
}
