using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Shared;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Tenants;

/// <summary>Connecting a customer tenant after its Global Administrator granted admin consent.</summary>
public sealed class TenantConnections(DporDbContext db, TenantJobs jobs, TimeProvider clock)
{
    public Task<CustomerTenant?> FindAsync(Guid tenantId, CancellationToken ct) =>
        db.CustomerTenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);

    /// <summary>Marks the tenant connected, pulls its inventory now and schedules the daily pull.</summary>
    public async Task<Outcome<CustomerTenant>> ConnectAsync(SignedInUser user, Guid consentedTenantId, CancellationToken ct)
    {
        var decision = GlobalAdministratorRule.Evaluate(user, consentedTenantId);
        if (!decision.Allowed) return Problem.Forbidden("not_own_global_administrator", decision.Reason);

        var tenant = await FindAsync(consentedTenantId, ct);
        if (tenant is null)
        {
            // Named after its organisation by the first inventory sync.
            tenant = CustomerTenant.Create(consentedTenantId, consentedTenantId.ToString());
            db.CustomerTenants.Add(tenant);
        }
        tenant.Connect(user.ToActor(), Language.Current, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        jobs.Schedule(consentedTenantId);
        jobs.SyncNow(consentedTenantId);
        return tenant;
    }
}
