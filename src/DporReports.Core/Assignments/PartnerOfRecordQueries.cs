using DporReports.Core.Data;
using DporReports.Core.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Assignments;

public sealed record PartnerOfRecordView(Guid AssignmentId, Guid PartnerId, string PartnerName, string PartnerIdNumber, AssignmentState State,
    string? RejectionReason, DateTimeOffset AssignedAt, string AssignedBy, DateTimeOffset? VerifiedAt);

public sealed record SubscriptionRow(Guid Id, string ProductName, ProductFamily Family, string SkuPartNumber, int TotalLicenses, int Seats,
    SubscriptionStatus Status, bool IsTrial, bool Disappeared, IReadOnlyList<Workload> Workloads, Guid Version,
    PartnerOfRecordView? PartnerOfRecord, SubscriptionDetails Details)
{
    public bool CanBeAssigned => !Disappeared && Status is SubscriptionStatus.Enabled or SubscriptionStatus.Warning;
}

public sealed record LedgerEntry(long Id, DateTimeOffset At, AssignmentEventKind Kind, Guid TenantId, string TenantName, Guid SubscriptionId,
    string ProductName, string ActorName,
    Guid ActorTenantId, Guid? ActorObjectId, string? PartnerBefore, string? PartnerAfter, string? Reason);

/// <summary>A ledger event of the signed-in partner with the Partner ID the customer entered on the partner's own assignment it concerns and that assignment's state now.</summary>
public sealed record PartnerLedgerEntry(LedgerEntry Entry, string PartnerIdNumber, AssignmentState State);

public sealed record PartnerCustomer(Guid TenantId, string TenantName, IReadOnlyList<PartnerSubscription> Subscriptions);

public sealed record PartnerSubscription(Guid SubscriptionId, string ProductName, ProductFamily Family, int Seats, SubscriptionStatus Status,
    IReadOnlyList<Workload> Workloads, string PartnerIdNumber, DateTimeOffset AssignedAt, DateTimeOffset VerifiedAt, SubscriptionDetails Details);

/// <summary>Read models of the partner of record: a customer's view of its tenant, and a partner's view of its customers.</summary>
public sealed class PartnerOfRecordQueries(DporDbContext db)
{
    /// <summary>The tenant's subscriptions with their current partner of record, for any member of that tenant.</summary>
    public async Task<List<SubscriptionRow>> SubscriptionsOfTenantAsync(Guid tenantId, CancellationToken ct)
    {
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.TenantId == tenantId)
            .OrderBy(s => s.DisappearedAt != null).ThenBy(s => s.ProductName).ThenBy(s => s.Id).ToListAsync(ct);
        var current = await CustomerAssignments.CurrentOfTenant(db, tenantId).AsNoTracking()
            .Join(db.Partners, a => a.PartnerId, p => p.Id, (a, p) => new { Assignment = a, p.DisplayName })
            .ToDictionaryAsync(x => x.Assignment.SubscriptionId, ct);
        return [.. subscriptions.Select(s =>
        {
            var por = current.GetValueOrDefault(s.Id);
            return new SubscriptionRow(s.Id, s.ProductName, s.Family, s.SkuPartNumber, s.TotalLicenses, s.Seats, s.Status, s.IsTrial,
                s.DisappearedAt is not null, s.Workloads, s.PartnerOfRecordVersion,
                por is null ? null : new PartnerOfRecordView(por.Assignment.Id, por.Assignment.PartnerId, por.DisplayName, por.Assignment.MpnId,
                    por.Assignment.State, por.Assignment.RejectionReason, por.Assignment.AssignedAt, por.Assignment.AssignedByName,
                    por.Assignment.VerifiedAt), SubscriptionDetails.Of(s));
        })];
    }

    /// <summary>The tenant's whole ledger, newest first.</summary>
    public Task<List<LedgerEntry>> LedgerOfTenantAsync(Guid tenantId, int take, CancellationToken ct) =>
        Ledger(db.AssignmentEvents.Where(e => e.TenantId == tenantId), take, ct);

    /// <summary>
    /// The events of the signed-in partner's own assignments. <see cref="DporDbContext.Assignments"/> is filtered by the
    /// partner scope, so events of other partners' assignments cannot match.
    /// </summary>
    public Task<List<LedgerEntry>> LedgerOfPartnerAsync(int take, CancellationToken ct)
    {
        var mine = db.Assignments.Select(a => a.Id);
        return Ledger(db.AssignmentEvents.Where(e => (e.AssignmentAfterId != null && mine.Contains(e.AssignmentAfterId.Value))
                                                    || (e.AssignmentBeforeId != null && mine.Contains(e.AssignmentBeforeId.Value))), take, ct);
    }

    /// <summary>
    /// The signed-in partner's ledger events from <paramref name="from"/> to <paramref name="to"/> (whole UTC days), newest
    /// first, each with its own assignment's Partner ID and current state (the assignment-ledger workbook's rows).
    /// </summary>
    public async Task<List<PartnerLedgerEntry>> LedgerOfPartnerBetweenAsync(DateOnly from, DateOnly to, int take, CancellationToken ct)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var mine = db.Assignments.Select(a => a.Id);
        var rows = await Rows(db.AssignmentEvents.Where(e => e.At >= start && e.At < end
            && ((e.AssignmentAfterId != null && mine.Contains(e.AssignmentAfterId.Value))
                || (e.AssignmentBeforeId != null && mine.Contains(e.AssignmentBeforeId.Value)))), take, ct);
        // An event names at most two assignments; the partner's own is the one its query filter lets through.
        var named = rows.SelectMany(r => new[] { r.AssignmentAfterId, r.AssignmentBeforeId }).OfType<Guid>().Distinct().ToList();
        var assignments = await db.Assignments.AsNoTracking().Where(a => named.Contains(a.Id))
            .Select(a => new { a.Id, a.MpnId, a.State }).ToDictionaryAsync(a => a.Id, ct);
        return [.. rows.Select(r =>
        {
            var assignment = r.AssignmentAfterId is { } after && assignments.TryGetValue(after, out var own) ? own : assignments[r.AssignmentBeforeId!.Value];
            return new PartnerLedgerEntry(r.Entry, assignment.MpnId, assignment.State);
        })];
    }

    /// <summary>The customers and subscriptions the signed-in partner is the verified, current partner of record of.</summary>
    public async Task<List<PartnerCustomer>> CustomersOfPartnerAsync(CancellationToken ct)
    {
        var rows = await db.Assignments.AsNoTracking()
            .Where(a => a.IsCurrent && a.State == AssignmentState.Verified)
            .Join(db.Subscriptions, a => a.SubscriptionId, s => s.Id, (a, s) => new { a, s })
            .Join(db.CustomerTenants, x => x.s.TenantId, t => t.Id, (x, t) => new { x.a, x.s, t.DisplayName })
            .ToListAsync(ct);
        return [.. rows.GroupBy(r => (r.s.TenantId, r.DisplayName))
            .OrderBy(g => g.Key.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Select(g => new PartnerCustomer(g.Key.TenantId, g.Key.DisplayName, [.. g.OrderBy(r => r.s.ProductName).Select(r =>
                new PartnerSubscription(r.s.Id, r.s.ProductName, r.s.Family, r.s.Seats, r.s.Status, r.s.Workloads, r.a.MpnId,
                    r.a.AssignedAt, r.a.VerifiedAt!.Value, SubscriptionDetails.Of(r.s)))]))];
    }

    private async Task<List<LedgerEntry>> Ledger(IQueryable<AssignmentEvent> events, int take, CancellationToken ct) =>
        [.. (await Rows(events, take, ct)).Select(r => r.Entry)];

    /// <summary>The newest events as ledger entries, each with the assignments it names (to tell whose it is without reading it again).</summary>
    private Task<List<LedgerRow>> Rows(IQueryable<AssignmentEvent> events, int take, CancellationToken ct) =>
        events.AsNoTracking()
            .Join(db.Subscriptions, e => e.SubscriptionId, s => s.Id, (e, s) => new { Event = e, s.ProductName })
            .Join(db.CustomerTenants, x => x.Event.TenantId, t => t.Id, (x, t) => new { x.Event, x.ProductName, TenantName = t.DisplayName })
            .OrderByDescending(x => x.Event.At).ThenByDescending(x => x.Event.Id)
            .Take(Math.Clamp(take, 1, 1000))
            .Select(x => new LedgerRow(new LedgerEntry(x.Event.Id, x.Event.At, x.Event.Kind, x.Event.TenantId, x.TenantName, x.Event.SubscriptionId,
                x.ProductName, x.Event.ActorName,
                x.Event.ActorTenantId, x.Event.ActorObjectId, x.Event.PartnerBeforeName, x.Event.PartnerAfterName, x.Event.Reason),
                x.Event.AssignmentAfterId, x.Event.AssignmentBeforeId))
            .ToListAsync(ct);

    private sealed record LedgerRow(LedgerEntry Entry, Guid? AssignmentAfterId, Guid? AssignmentBeforeId);
}
