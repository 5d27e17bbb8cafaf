using DporReports.Core.Identity;
using DporReports.Core.Tenancy;

namespace DporReports.Core.Assignments;

public enum AssignmentState
{
    PendingVerification = 0,
    Verified = 1,
    Rejected = 2,
    Suspended = 3,
    Ended = 4,
}

public static class AssignmentStates
{
    /// <summary>The state as people read it (English, the key of its translation).</summary>
    public static string Text(AssignmentState state) => state switch
    {
        AssignmentState.PendingVerification => "Pending verification",
        AssignmentState.Verified => "Verified",
        AssignmentState.Rejected => "Rejected",
        AssignmentState.Suspended => "Suspended",
        _ => "Ended",
    };
}

public enum AssignmentEndReason
{
    Changed = 0,
    Removed = 1,
}

/// <summary>
/// A partner named partner of record of one subscription, from <see cref="AssignedAt"/> until <see cref="EndedAt"/>.
/// At most one is current per subscription (a unique filtered index). It starts pending verification; the
/// verification job makes it verified or rejected, and suspends/resumes it as the subscription's status moves.
/// Partner-owned: a partner's queries see only its own assignments.
/// </summary>
public sealed class Assignment : IPartnerOwned
{
    private Assignment() { }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public Guid PartnerId { get; private set; }

    /// <summary>The Partner ID the customer entered (the organisation may have several).</summary>
    public string MpnId { get; private set; } = "";

    public AssignmentState State { get; private set; }
    public bool IsCurrent { get; private set; }
    public DateTimeOffset AssignedAt { get; private set; }
    public Guid AssignedByTenantId { get; private set; }
    public Guid? AssignedByObjectId { get; private set; }
    public string AssignedByName { get; private set; } = "";

    /// <summary>Whether the assigner passed the own-Global-Administrator rule when assigning (verification re-checks it).</summary>
    public bool AssignedByQualifiedAdministrator { get; private set; }

    public DateTimeOffset? VerifiedAt { get; private set; }
    public string? RejectionReason { get; private set; }
    public DateTimeOffset? SuspendedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public AssignmentEndReason? EndReason { get; private set; }

    public static Assignment Start(Guid tenantId, Guid subscriptionId, Guid partnerId, string mpnId, Actor by, bool qualified,
        DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        TenantId = tenantId,
        SubscriptionId = subscriptionId,
        PartnerId = partnerId,
        MpnId = mpnId,
        State = AssignmentState.PendingVerification,
        IsCurrent = true,
        AssignedAt = now,
        AssignedByTenantId = by.TenantId,
        AssignedByObjectId = by.ObjectId,
        AssignedByName = by.DisplayName,
        AssignedByQualifiedAdministrator = qualified,
    };

    public void Verify(DateTimeOffset now)
    {
        State = AssignmentState.Verified;
        VerifiedAt ??= now;
        RejectionReason = null;
        SuspendedAt = null;
    }

    public void Reject(string reason)
    {
        State = AssignmentState.Rejected;
        RejectionReason = reason;
    }

    public void Suspend(DateTimeOffset now)
    {
        State = AssignmentState.Suspended;
        SuspendedAt = now;
    }

    public void End(AssignmentEndReason reason, DateTimeOffset now)
    {
        State = AssignmentState.Ended;
        IsCurrent = false;
        EndedAt = now;
        EndReason = reason;
    }
}
