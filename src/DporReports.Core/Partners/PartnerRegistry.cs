using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Shared;
using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DporReports.Core.Partners;

/// <summary>
/// Registration, review and lookup of partner organisations. A partner user reaches only the organisation of its
/// token's tenant; operators act on any organisation by id. Every change appends a <see cref="PartnerEvent"/> in the
/// same transaction.
/// </summary>
public sealed class PartnerRegistry(DporDbContext db, PartnerScope scope, PartnerLookupBudget budget, TimeProvider clock,
    IStringLocalizer<Texts> T)
{
    /// <summary>
    /// The partner organisation of a tenant. A request asks twice (its authorization, then the page's navigation): a found
    /// partner is kept for the rest of this unit of work. That is what the context's tracking returns anyway (the same
    /// instance, with this unit's own changes); "none" is not kept, since registering adds one.
    /// </summary>
    public async Task<Partner?> FindByTenantAsync(Guid tenantId, CancellationToken ct)
    {
        if (_found?.TenantId == tenantId) return _found;
        return _found = await db.Partners.SingleOrDefaultAsync(p => p.TenantId == tenantId, ct);
    }

    private Partner? _found;

    /// <summary>After a refused save: the unit's changes are dropped, and the kept partner carried them.</summary>
    private void Forget()
    {
        db.ChangeTracker.Clear();
        _found = null;
    }

    public Task<Partner?> FindAsync(Guid partnerId, CancellationToken ct) =>
        db.Partners.SingleOrDefaultAsync(p => p.Id == partnerId, ct);

    public async Task<Outcome<Partner>> RegisterAsync(SignedInUser user, PartnerRegistration? input, CancellationToken ct)
    {
        var valid = PartnerRules.Validate(input);
        if (valid.Problem is { } invalid) return invalid;
        var registration = valid.Value!;

        if (await FindByTenantAsync(user.TenantId, ct) is not null)
            return Problem.Conflict("already_registered", "Your organisation is already registered; update it instead.");
        if (!PayForClaims(user, registration.PartnerIds!.Count)) return PartnerLookupBudget.Exhausted;
        if (await FirstTakenMpnIdAsync(registration.PartnerIds!, ownerId: null, ct) is { } taken)
            return MpnIdTaken(taken);

        var now = clock.GetUtcNow();
        var partner = Partner.Register(user.TenantId, registration.DisplayName!, registration.NotificationEmail!,
            registration.NotificationLanguage ?? Language.Current, registration.PartnerIds!, now);
        scope.Set(partner.Id);
        db.Partners.Add(partner);
        db.PartnerEvents.Add(PartnerEvent.Record(partner, PartnerEventKind.Registered, user.ToActor(), before: null, now));
        return await SaveAsync(partner, registration.PartnerIds!, ct);
    }

    public async Task<Outcome<Partner>> UpdateOwnAsync(SignedInUser user, PartnerRegistration? input, Guid? expectedVersion,
        CancellationToken ct)
    {
        var valid = PartnerRules.Validate(input);
        if (valid.Problem is { } invalid) return invalid;
        var registration = valid.Value!;

        if (await FindByTenantAsync(user.TenantId, ct) is not { } partner) return NotRegistered();
        if (expectedVersion is { } expected && expected != partner.Version) return ChangedMeanwhile(partner);
        if (!PayForClaims(user, registration.PartnerIds!.Count(id => partner.MpnIds.All(m => m.Value != id)))) return PartnerLookupBudget.Exhausted;
        if (await FirstTakenMpnIdAsync(registration.PartnerIds!, partner.Id, ct) is { } taken) return MpnIdTaken(taken);

        var before = partner.Snapshot();
        var now = clock.GetUtcNow();
        partner.Update(registration.DisplayName!, registration.NotificationEmail!, registration.NotificationLanguage ?? partner.NotificationLanguage,
            registration.PartnerIds!, now);
        if (partner.Snapshot() == before) return partner;
        scope.Set(partner.Id);
        db.PartnerEvents.Add(PartnerEvent.Record(partner, PartnerEventKind.Updated, user.ToActor(), before, now));
        return await SaveAsync(partner, registration.PartnerIds!, ct);
    }

    public async Task<Outcome<Partner>> RemoveOwnMpnIdAsync(SignedInUser user, string mpnId, CancellationToken ct)
    {
        if (await FindByTenantAsync(user.TenantId, ct) is not { } partner) return NotRegistered();
        // Another organisation's ID answers exactly like an unknown one, so ids cannot be probed here.
        if (partner.MpnIds.All(m => m.Value != mpnId))
            return Problem.NotFound("unknown_partner_id", $"Partner ID {InputText.Quote(mpnId)} is not one of your organisation's Partner IDs.");
        if (partner.MpnIds.Count == 1)
            return Problem.Validation("partnerId", "An organisation keeps at least one Partner ID; add another before removing this one.");

        var before = partner.Snapshot();
        var now = clock.GetUtcNow();
        partner.RemoveMpnId(mpnId, now);
        scope.Set(partner.Id);
        db.PartnerEvents.Add(PartnerEvent.Record(partner, PartnerEventKind.MpnIdRemoved, user.ToActor(), before, now));
        return await SaveAsync(partner, [], ct);
    }

    public Task<Outcome<Partner>> ApproveAsync(Guid partnerId, Actor actor, Guid? expectedVersion, CancellationToken ct) =>
        ReviewAsync(partnerId, actor, expectedVersion, PartnerEventKind.Approved, [PartnerStatus.Pending], (p, now) => p.Approve(now), ct);

    public async Task<Outcome<Partner>> RejectAsync(Guid partnerId, Actor actor, string? reason, Guid? expectedVersion, CancellationToken ct)
    {
        var valid = PartnerRules.ValidateReason(reason);
        if (valid.Problem is { } invalid) return invalid;
        return await ReviewAsync(partnerId, actor, expectedVersion, PartnerEventKind.Rejected, [PartnerStatus.Pending],
            (p, now) => p.Reject(valid.Value!, now), ct);
    }

    public async Task<Outcome<Partner>> SuspendAsync(Guid partnerId, Actor actor, string? reason, Guid? expectedVersion, CancellationToken ct)
    {
        var valid = PartnerRules.ValidateReason(reason);
        if (valid.Problem is { } invalid) return invalid;
        return await ReviewAsync(partnerId, actor, expectedVersion, PartnerEventKind.Suspended, [PartnerStatus.Approved],
            (p, now) => p.Suspend(valid.Value!, now), ct);
    }

    public Task<Outcome<Partner>> ReinstateAsync(Guid partnerId, Actor actor, Guid? expectedVersion, CancellationToken ct) =>
        ReviewAsync(partnerId, actor, expectedVersion, PartnerEventKind.Reinstated, [PartnerStatus.Suspended], (p, now) => p.Approve(now), ct);

    /// <summary>The history of the organisation in scope (a partner's own, or the one an operator opened).</summary>
    public Task<List<PartnerEvent>> HistoryAsync(CancellationToken ct) =>
        db.PartnerEvents.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).ToListAsync(ct);

    public Task<List<Partner>> ListAsync(PartnerStatus? status, CancellationToken ct) =>
        db.Partners.Where(p => status == null || p.Status == status).OrderBy(p => p.RegisteredAt).ToListAsync(ct);

    /// <summary>
    /// What a customer sees after typing a Partner ID: the approved partner's name, or why not. The only way to learn
    /// whether a well-formed ID exists, so it is paid from <paramref name="user"/>'s lookup budget.
    /// </summary>
    public async Task<PartnerLookup> LookupAsync(SignedInUser user, string? input, CancellationToken ct)
    {
        var id = PartnerRules.NormaliseMpnId(input);
        if (!PartnerRules.IsWellFormedMpnId(id))
            return new PartnerLookup(PartnerLookupOutcome.Malformed, id, null,
                T["{0} is not a Partner ID: a Partner ID (MPN ID) is 4 to 12 digits, e.g. 1234567. Ask the partner for its Partner ID (MPN ID), or your Microsoft account executive.",
                    InputText.Quote(id)].Value);
        if (!budget.TryTake(user))
            return new PartnerLookup(PartnerLookupOutcome.Throttled, id, null, T[PartnerLookupBudget.Refusal].Value);

        var partner = await db.PartnerMpnIds.Where(m => m.Value == id)
            .Join(db.Partners, m => m.PartnerId, p => p.Id, (m, p) => new { p.Id, p.DisplayName, p.Status })
            .SingleOrDefaultAsync(ct);
        return partner switch
        {
            null => new PartnerLookup(PartnerLookupOutcome.Unknown, id, null,
                T["No partner is registered with Partner ID {0}. Check the number, or ask the partner or your Microsoft account executive for the right one.", id].Value),
            // The customer already has the ID: what is missing is the partner's approval, not a number to ask for.
            { Status: not PartnerStatus.Approved } => new PartnerLookup(PartnerLookupOutcome.NotApproved, id, null,
                T["Partner ID {0} belongs to an organisation that is not approved to act as partner of record yet. Ask the partner to complete its registration, or try again later.", id].Value),
            _ => new PartnerLookup(PartnerLookupOutcome.Found, id, partner.DisplayName,
                T["Partner ID {0} belongs to {1}.", id, partner.DisplayName].Value, partner.Id),
        };
    }

    private async Task<Outcome<Partner>> ReviewAsync(Guid partnerId, Actor actor, Guid? expectedVersion, PartnerEventKind kind,
        PartnerStatus[] allowedFrom, Action<Partner, DateTimeOffset> change, CancellationToken ct)
    {
        if (await FindAsync(partnerId, ct) is not { } partner)
            return Problem.NotFound("unknown_partner", "No partner organisation has this id.");
        if (expectedVersion is { } expected && expected != partner.Version) return ChangedMeanwhile(partner);
        if (!allowedFrom.Contains(partner.Status))
            return Problem.Conflict("invalid_transition",
                $"{partner.DisplayName} is {partner.Status}; it can be {kind.ToString().ToLowerInvariant()} only when "
                + string.Join(" or ", allowedFrom) + ".");

        var before = partner.Snapshot();
        var now = clock.GetUtcNow();
        change(partner, now);
        scope.Set(partner.Id);
        db.PartnerEvents.Add(PartnerEvent.Record(partner, kind, actor, before, now));
        return await SaveAsync(partner, [], ct);
    }

    private async Task<Outcome<Partner>> SaveAsync(Partner partner, IReadOnlyCollection<string> claimedMpnIds, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return partner;
        }
        catch (DbUpdateConcurrencyException)
        {
            Forget();
            var current = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == partner.Id, ct);
            return ChangedMeanwhile(current);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // A concurrent registration claimed the same tenant or Partner ID between our check and the insert:
            // the unique indexes refused it; report which.
            Forget();
            if (await FirstTakenMpnIdAsync(claimedMpnIds, partner.Id, ct) is { } taken) return MpnIdTaken(taken);
            return Problem.Conflict("already_registered", "Your organisation was registered by someone else meanwhile.");
        }
    }

    /// <summary>Whether an ID is taken is an answer about its existence: each ID claimed anew is one lookup.</summary>
    private bool PayForClaims(SignedInUser user, int claims)
    {
        for (var i = 0; i < claims; i++)
        {
            if (!budget.TryTake(user)) return false;
        }
        return true;
    }

    private Task<string?> FirstTakenMpnIdAsync(IReadOnlyCollection<string> ids, Guid? ownerId, CancellationToken ct) =>
        db.PartnerMpnIds.Where(m => ids.Contains(m.Value) && m.PartnerId != ownerId).Select(m => m.Value).FirstOrDefaultAsync(ct);

    private static Problem MpnIdTaken(string id) =>
        Problem.Conflict("partner_id_taken", $"Partner ID {id} is registered to another organisation. "
            + "Each Partner ID belongs to one organisation; contact support if it is yours.");

    private static Problem NotRegistered() =>
        Problem.NotFound("not_registered", "Your organisation is not registered yet.");

    private static Problem ChangedMeanwhile(Partner current) =>
        new(409, "changed_meanwhile", $"The organisation changed meanwhile (now {current.Status}, version {current.Version}). Reload and try again.");
}

public enum PartnerLookupOutcome
{
    Found,
    Malformed,
    Unknown,
    NotApproved,

    /// <summary>The user's or tenant's lookup budget is spent; nothing was looked up.</summary>
    Throttled,
}

public sealed record PartnerLookup(PartnerLookupOutcome Outcome, string PartnerIdValue, string? DisplayName, string Message,
    Guid? PartnerOrganisationId = null);
