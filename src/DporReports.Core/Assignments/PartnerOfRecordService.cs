using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Notifications;
using DporReports.Core.Partners;
using DporReports.Core.Shared;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Assignments;

/// <summary>What a bulk assignment touched and what it left alone, and why.</summary>
public sealed record BulkAssignmentResult(string PartnerName, IReadOnlyList<Guid> Assigned, IReadOnlyList<SkippedSubscription> Skipped);

public sealed record SkippedSubscription(Guid SubscriptionId, string Reason);

/// <summary>
/// Assign, change and remove the Digital Partner of Record of a customer's subscriptions (design.md §2). Only the
/// tenant's own Global Administrator; one current assignment per subscription; a racing writer gets 409 with the
/// current state; the same partner again is a no-op; suspended or deleted subscriptions cannot be assigned; the bulk
/// option is one transaction. Each change writes its ledger event and the partners' e-mails in the same transaction,
/// then queues verification.
/// </summary>
public sealed class PartnerOfRecordService(DporDbContext db, PartnerRegistry registry, AssignmentMail mail, IBackgroundJobClient jobs,
    TimeProvider clock)
{
    public async Task<Outcome<Guid>> AssignAsync(SignedInUser user, Guid subscriptionId, string? mpnId, Guid? expectedVersion, CancellationToken ct)
    {
        if (await AuthorizeAsync(user, ct) is { Problem: { } refused }) return refused;
        var tenant = (await db.CustomerTenants.SingleAsync(t => t.Id == user.TenantId, ct));
        if (await SubscriptionAsync(user.TenantId, subscriptionId, ct) is not { } subscription) return UnknownSubscription();
        if (expectedVersion is { } expected && expected != subscription.PartnerOfRecordVersion) return await ChangedMeanwhileAsync(subscription.Id, ct);
        // Before the lookup: every answer after it tells something about the Partner ID, so only requests that could
        // really assign pay for it (and a subscription that cannot be assigned answers the same for any ID).
        if (!subscription.IsActive) return NotAssignable(subscription);
        var lookup = await PartnerAsync(user, mpnId, ct);
        if (lookup.Problem is { } badPartner) return badPartner;
        var (partner, mpn) = lookup.Value;

        var current = await CustomerAssignments.CurrentOfTenant(db, user.TenantId).SingleOrDefaultAsync(a => a.SubscriptionId == subscription.Id, ct);
        if (current is not null && current.PartnerId == partner.Id && current.State != AssignmentState.Rejected)
            return subscription.PartnerOfRecordVersion; // the same partner again: nothing happens, no event, no mail

        var now = clock.GetUtcNow();
        var actor = user.ToActor();
        tenant.AdministratorReads(Language.Current);
        var assignment = Assignment.Start(user.TenantId, subscription.Id, partner.Id, mpn, actor, qualified: true, now);
        db.Assignments.Add(assignment);
        Partner? previous = null;
        if (current is not null)
        {
            previous = await db.Partners.SingleAsync(p => p.Id == current.PartnerId, ct);
            current.End(AssignmentEndReason.Changed, now);
            mail.Ended(db, previous, tenant, subscription, current, actor, successor: partner, now);
        }
        db.AssignmentEvents.Add(AssignmentEvent.Record(current is null ? AssignmentEventKind.Assigned : AssignmentEventKind.Changed,
            user.TenantId, subscription.Id, actor, now,
            before: current is null ? null : (current.Id, previous!.Id, previous.DisplayName),
            after: (assignment.Id, partner.Id, partner.DisplayName)));
        mail.Assigned(db, partner, tenant, [(subscription, assignment)], actor, previous, now);
        subscription.PartnerOfRecordChanged();
        return await CommitAsync(user.TenantId, subscription.Id, subscription.PartnerOfRecordVersion, [partner.Id, .. previous is null ? [] : new[] { previous.Id }], ct);
    }

    public async Task<Outcome<Guid>> RemoveAsync(SignedInUser user, Guid subscriptionId, Guid? expectedVersion, CancellationToken ct)
    {
        if (await AuthorizeAsync(user, ct) is { Problem: { } refused }) return refused;
        var tenant = await db.CustomerTenants.SingleAsync(t => t.Id == user.TenantId, ct);
        if (await SubscriptionAsync(user.TenantId, subscriptionId, ct) is not { } subscription) return UnknownSubscription();
        if (expectedVersion is { } expected && expected != subscription.PartnerOfRecordVersion) return await ChangedMeanwhileAsync(subscription.Id, ct);
        var current = await CustomerAssignments.CurrentOfTenant(db, user.TenantId).SingleOrDefaultAsync(a => a.SubscriptionId == subscription.Id, ct);
        if (current is null) return Problem.NotFound("no_partner_of_record", "This subscription has no partner of record to remove.");

        var now = clock.GetUtcNow();
        var actor = user.ToActor();
        tenant.AdministratorReads(Language.Current);
        var partner = await db.Partners.SingleAsync(p => p.Id == current.PartnerId, ct);
        current.End(AssignmentEndReason.Removed, now);
        db.AssignmentEvents.Add(AssignmentEvent.Record(AssignmentEventKind.Removed, user.TenantId, subscription.Id, actor, now,
            before: (current.Id, partner.Id, partner.DisplayName), after: null));
        mail.Ended(db, partner, tenant, subscription, current, actor, successor: null, now);
        subscription.PartnerOfRecordChanged();
        return await CommitAsync(user.TenantId, subscription.Id, subscription.PartnerOfRecordVersion, [partner.Id], ct);
    }

    /// <summary>"Add this partner to all of your subscriptions without an associated partner": all of them or none.</summary>
    public async Task<Outcome<BulkAssignmentResult>> AssignUnassignedAsync(SignedInUser user, string? mpnId, CancellationToken ct)
    {
        if (await AuthorizeAsync(user, ct) is { Problem: { } refused }) return refused;
        var tenant = await db.CustomerTenants.SingleAsync(t => t.Id == user.TenantId, ct);
        // Paid from the lookup budget even when nothing is left to assign: the answer names the partner.
        var lookup = await PartnerAsync(user, mpnId, ct);
        if (lookup.Problem is { } badPartner) return badPartner;
        var (partner, mpn) = lookup.Value;

        var subscriptions = await db.Subscriptions.Where(s => s.TenantId == user.TenantId).OrderBy(s => s.ProductName).ToListAsync(ct);
        var taken = await CustomerAssignments.CurrentOfTenant(db, user.TenantId).Select(a => a.SubscriptionId).ToListAsync(ct);
        var skipped = new List<SkippedSubscription>();
        var chosen = new List<Subscription>();
        foreach (var subscription in subscriptions)
        {
            if (taken.Contains(subscription.Id)) skipped.Add(new(subscription.Id, "It already has a partner of record."));
            else if (!subscription.IsActive) skipped.Add(new(subscription.Id, NotAssignable(subscription).Message));
            else chosen.Add(subscription);
        }
        if (chosen.Count == 0) return new BulkAssignmentResult(partner.DisplayName, [], skipped);

        var now = clock.GetUtcNow();
        var actor = user.ToActor();
        tenant.AdministratorReads(Language.Current);
        var made = chosen.Select(s => (Subscription: s, Assignment: Assignment.Start(user.TenantId, s.Id, partner.Id, mpn, actor, qualified: true, now))).ToList();
        foreach (var (subscription, assignment) in made)
        {
            db.Assignments.Add(assignment);
            db.AssignmentEvents.Add(AssignmentEvent.Record(AssignmentEventKind.Assigned, user.TenantId, subscription.Id, actor, now,
                before: null, after: (assignment.Id, partner.Id, partner.DisplayName)));
            subscription.PartnerOfRecordChanged();
        }
        mail.Assigned(db, partner, tenant, made, actor, replacing: null, now);
        var committed = await CommitAsync(user.TenantId, chosen[0].Id, chosen[0].PartnerOfRecordVersion, [partner.Id], ct);
        if (committed.Problem is { } conflict) return conflict;
        return new BulkAssignmentResult(partner.DisplayName, [.. chosen.Select(s => s.Id)], skipped);
    }

    private async Task<Outcome<bool>> AuthorizeAsync(SignedInUser user, CancellationToken ct)
    {
        var decision = GlobalAdministratorRule.Evaluate(user, user.TenantId);
        if (!decision.Allowed) return Problem.Forbidden("not_own_global_administrator", decision.Reason);
        var tenant = await db.CustomerTenants.SingleOrDefaultAsync(t => t.Id == user.TenantId, ct);
        if (tenant is not { IsConnected: true })
            return Problem.Conflict("tenant_not_connected", "Connect this tenant first: DporReports needs your consent to read its subscriptions.");
        return true;
    }

    private Task<Subscription?> SubscriptionAsync(Guid tenantId, Guid subscriptionId, CancellationToken ct) =>
        // Another tenant's subscription id answers exactly like an unknown one.
        db.Subscriptions.SingleOrDefaultAsync(s => s.Id == subscriptionId && s.TenantId == tenantId, ct);

    private async Task<Outcome<(Partner Partner, string MpnId)>> PartnerAsync(SignedInUser user, string? mpnId, CancellationToken ct)
    {
        var lookup = await registry.LookupAsync(user, mpnId, ct);
        return lookup.Outcome switch
        {
            PartnerLookupOutcome.Found => (await db.Partners.SingleAsync(p => p.Id == lookup.PartnerOrganisationId, ct), lookup.PartnerIdValue),
            PartnerLookupOutcome.Throttled => PartnerLookupBudget.Exhausted,
            PartnerLookupOutcome.Malformed => new Problem(400, "malformed_partner_id", lookup.Message, Errors("partnerId", lookup.Message)),
            PartnerLookupOutcome.NotApproved => new Problem(400, "partner_not_approved", lookup.Message, Errors("partnerId", lookup.Message)),
            _ => new Problem(400, "unknown_partner_id", lookup.Message, Errors("partnerId", lookup.Message)),
        };
    }

    /// <summary>Saves the change with its ledger event, raising the data version of the partners it names (before and after).</summary>
    private async Task<Outcome<Guid>> CommitAsync(Guid tenantId, Guid subscriptionId, Guid version, IReadOnlyCollection<Guid> partnerIds, CancellationToken ct)
    {
        try
        {
            await TenantUsageChange.SaveAssignmentChangesAsync(db, tenantId, partnerIds, ct);
        }
        catch (DbUpdateException e) when (e.IsConflict())
        {
            // Another admin changed this subscription's partner of record between our read and our write: the concurrency
            // token (or the one-current-assignment index) refused ours. Nothing of ours was saved.
            db.ChangeTracker.Clear();
            return await ChangedMeanwhileAsync(subscriptionId, ct);
        }
        jobs.Enqueue<VerifyAssignmentJob>(j => j.RunAsync(tenantId, CancellationToken.None));
        jobs.Enqueue<SendNotificationsJob>(j => j.RunAsync(CancellationToken.None)); // the minute schedule is the safety net
        return version;
    }

    private async Task<Problem> ChangedMeanwhileAsync(Guid subscriptionId, CancellationToken ct)
    {
        var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId, ct);
        var current = await CustomerAssignments.CurrentOfTenant(db, subscription.TenantId).AsNoTracking()
            .Where(a => a.SubscriptionId == subscriptionId)
            .Join(db.Partners, a => a.PartnerId, p => p.Id, (a, p) => new { p.DisplayName, a.State })
            .SingleOrDefaultAsync(ct);
        var now = current is null ? "now has no partner of record" : $"now has {current.DisplayName} ({current.State})";
        return new Problem(409, "changed_meanwhile",
            $"The partner of record of this subscription changed while you were editing: it {now}. Reload and try again.",
            new Dictionary<string, string[]> { ["currentVersion"] = [subscription.PartnerOfRecordVersion.ToString()] });
    }

    private static Problem UnknownSubscription() =>
        Problem.NotFound("unknown_subscription", "Your tenant has no subscription with this id.");

    private static Problem NotAssignable(Subscription s) =>
        Problem.Conflict("subscription_not_active", s.DisappearedAt is not null
            ? "This subscription is no longer in your tenant's inventory and cannot get a partner of record."
            : $"This subscription is {s.Status}: only Enabled or Warning subscriptions can get a partner of record.");

    private static Dictionary<string, string[]> Errors(string field, string message) => new() { [field] = [message] };
}
