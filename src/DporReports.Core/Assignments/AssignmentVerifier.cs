using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Assignments;

/// <summary>
/// design.md §2 "Verified assignments only": a current assignment is verified while its subscription is in the latest
/// inventory and Enabled or Warning, the tenant's consent is active, the partner is approved, and a qualifying Global
/// Administrator made it. Pending ones become verified or rejected (with the reason); verified ones are suspended when
/// a condition lapses and resumed when it holds again. Every transition goes into the ledger.
/// </summary>
public sealed class AssignmentVerifier(DporDbContext db, TimeProvider clock)
{
    /// <summary>Applies the rules to the tenant's current assignments; returns how many became verified (newly or again).</summary>
    public async Task<int> VerifyTenantAsync(Guid tenantId, CancellationToken ct)
    {
        var tenant = await db.CustomerTenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        var current = await CustomerAssignments.CurrentOfTenant(db, tenantId)
            .Where(a => a.State != AssignmentState.Rejected)
            .ToListAsync(ct);
        if (tenant is null || current.Count == 0) return 0;

        var subscriptionIds = current.Select(a => a.SubscriptionId).ToList();
        var partnerIds = current.Select(a => a.PartnerId).Distinct().ToList();
        var subscriptions = await db.Subscriptions.Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var partners = await db.Partners.Where(p => partnerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);

        var now = clock.GetUtcNow();
        var verified = 0;
        var changed = new HashSet<Guid>();
        foreach (var assignment in current)
        {
            var partner = partners[assignment.PartnerId];
            var problem = Problem(tenant, subscriptions.GetValueOrDefault(assignment.SubscriptionId), partner, assignment);
            var kind = (assignment.State, problem) switch
            {
                (AssignmentState.PendingVerification, null) => AssignmentEventKind.Verified,
                (AssignmentState.PendingVerification, _) => AssignmentEventKind.Rejected,
                (AssignmentState.Verified, not null) => AssignmentEventKind.Suspended,
                (AssignmentState.Suspended, null) => AssignmentEventKind.Resumed,
                _ => (AssignmentEventKind?)null,
            };
            if (kind is null) continue;

            switch (kind)
            {
                case AssignmentEventKind.Verified or AssignmentEventKind.Resumed: assignment.Verify(now); break;
                case AssignmentEventKind.Rejected: assignment.Reject(problem!); break;
                default: assignment.Suspend(now); break;
            }
            var self = (assignment.Id, partner.Id, partner.DisplayName);
            db.AssignmentEvents.Add(AssignmentEvent.Record(kind.Value, tenantId, assignment.SubscriptionId, Actor.System, now,
                before: self, after: self, reason: problem));
            if (kind is AssignmentEventKind.Verified or AssignmentEventKind.Resumed) verified++;
            changed.Add(partner.Id);
        }
        if (changed.Count > 0) await TenantUsageChange.SaveAssignmentChangesAsync(db, tenantId, changed, ct);
        return verified;
    }

    /// <summary>The first rule the assignment fails, in words the customer can act on; null when it holds.</summary>
    internal static string? Problem(CustomerTenant tenant, Subscription? subscription, Partner partner, Assignment assignment)
    {
        if (!assignment.AssignedByQualifiedAdministrator)
            return "It was not made by a Global Administrator who is a member of this tenant.";
        if (!tenant.IsConnected)
            return "The tenant's consent for DporReports is not active: a Global Administrator must connect the tenant again.";
        if (subscription is null || subscription.DisappearedAt is not null)
            return "The subscription is no longer in the tenant's inventory.";
        if (!subscription.IsActive)
            return $"The subscription is {subscription.Status}: only Enabled or Warning subscriptions count for a partner of record.";
        if (partner.Status != PartnerStatus.Approved)
            return $"The partner organisation {partner.DisplayName} is not approved ({partner.Status}).";
        return null;
    }
}
