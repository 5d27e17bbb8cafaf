using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Partners;
using DporReports.Core.Tenancy;
using DporReports.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Usage;

/// <summary>
/// Which of a partner's (current or former) customer tenants changed at which of the partner's usage versions: the
/// partner's <see cref="Partner.UsageVersion"/> right after the latest change to that tenant's facts. A cached portfolio of
/// version V recomputes only the tenants whose row is newer than V (issue 13: one tenant's pull must cost work proportional
/// to that tenant, not to a 10,000-customer portfolio). One row per (partner, tenant), overwritten, so the table stays the
/// size of the assignments rather than growing with every pull.
/// </summary>
public sealed class TenantUsageChange : IPartnerOwned
{
    private TenantUsageChange() { }

    public Guid PartnerId { get; private set; }
    public Guid TenantId { get; private set; }
    public long UsageVersion { get; private set; }

    /// <summary>
    /// In the facts transaction of <paramref name="tenantId"/>, last: raises the usage version of every partner that has or
    /// had an assignment in the tenant and records the tenant as changed at each partner's new version. The partners' rows
    /// stay locked until the commit, so versions are handed out (and committed) in order per partner.
    /// </summary>
    public static async Task RecordAsync(DporDbContext db, Guid tenantId, CancellationToken ct)
    {
        if (!await StageAsync(db, tenantId, db.Partners.Where(p => CustomerAssignments.OfTenant(db, tenantId).Any(a => a.PartnerId == p.Id)), ct)) return;
        await db.SaveChangesAsync(ct);
        // Not kept tracked: if the transaction is rolled back and run again, the rows must be read again, not remembered.
        foreach (var entry in db.ChangeTracker.Entries<TenantUsageChange>().ToList()) entry.State = EntityState.Detached;
    }

    /// <summary>
    /// Saves the unit of work's assignment changes in the tenant (their ledger events included) in one transaction that
    /// also raises the usage version of the partners they name and records the tenant at those versions. Why: the data
    /// version's newest event id alone is not ordered by commit on a server database. An event that took a lower id but
    /// committed after a higher one would be behind a portfolio already kept at the higher id, and a removed customer
    /// could stay in it. The partners' rows are locked first, so two changes naming the same partner commit in version order.
    /// </summary>
    public static async Task SaveAssignmentChangesAsync(DporDbContext db, Guid tenantId, IReadOnlyCollection<Guid> partnerIds, CancellationToken ct)
    {
        var partners = db.Partners.Where(p => partnerIds.Contains(p.Id));
        if (db.Database.CurrentTransaction is not null)
        {
            await StageAsync(db, tenantId, partners, ct);
            await db.SaveChangesAsync(ct);
            return;
        }
        // Server databases retry transient failures, and a retried transaction runs again from the start: the changes are
        // accepted only once it has committed.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await StageAsync(db, tenantId, partners, ct);
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            await transaction.CommitAsync(ct);
        });
        db.ChangeTracker.AcceptAllChanges();
    }

    /// <summary>Raises the partners' usage versions (locking their rows) and stages the tenant's change rows at the new versions; false when no partner matched.</summary>
    private static async Task<bool> StageAsync(DporDbContext db, Guid tenantId, IQueryable<Partner> partners, CancellationToken ct)
    {
        if (await partners.ExecuteUpdateAsync(u => u.SetProperty(p => p.UsageVersion, p => p.UsageVersion + 1), ct) == 0) return false;
        var versions = await partners.AsNoTracking().Select(p => new { p.Id, p.UsageVersion }).ToListAsync(ct);
        // Rows staged by an attempt that was rolled back are still tracked: they are updated, not added twice.
        var rows = db.ChangeTracker.Entries<TenantUsageChange>().Select(e => e.Entity).Where(c => c.TenantId == tenantId).ToDictionary(c => c.PartnerId);
#pragma warning disable RS0030 // Written for every partner of the tenant by the tenant's own pull or a customer's assignment (no partner in scope); the tenant is the scope.
        foreach (var stored in await db.Set<TenantUsageChange>().IgnoreQueryFilters().Where(c => c.TenantId == tenantId).ToListAsync(ct))
            rows.TryAdd(stored.PartnerId, stored);
#pragma warning restore RS0030
        foreach (var partner in versions)
        {
            if (rows.TryGetValue(partner.Id, out var row)) row.UsageVersion = partner.UsageVersion;
            else db.Add(new TenantUsageChange { PartnerId = partner.Id, TenantId = tenantId, UsageVersion = partner.UsageVersion });
        }
        return true;
    }
}

internal sealed class TenantUsageChangeConfiguration : IEntityTypeConfiguration<TenantUsageChange>
{
    public void Configure(EntityTypeBuilder<TenantUsageChange> b)
    {
        b.ToTable("TenantUsageChanges");
        b.HasKey(c => new { c.PartnerId, c.TenantId });
        // "Tenants changed since version V" reads one end of this index; the facts transaction finds its rows by tenant.
        b.HasIndex(c => new { c.PartnerId, c.UsageVersion });
        b.HasIndex(c => c.TenantId);
        b.HasOne<Partner>().WithMany().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CustomerTenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
