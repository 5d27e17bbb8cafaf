using DporReports.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Assignments;

/// <summary>
/// Assignments seen from a customer tenant: every partner's, on that tenant's subscriptions only. The one place that
/// reads assignments across partners, for the tenant's own Global Administrator, its members and the jobs that verify
/// that tenant — partner-facing code goes through the partner-filtered <see cref="DporDbContext.Assignments"/>.
/// </summary>
public static class CustomerAssignments
{
    public static IQueryable<Assignment> OfTenant(DporDbContext db, Guid tenantId) =>
#pragma warning disable RS0030 // Customers see all partners on their own tenant; the tenant filter below is the scope.
        db.Assignments.IgnoreQueryFilters().Where(a => a.TenantId == tenantId);
#pragma warning restore RS0030

    public static IQueryable<Assignment> CurrentOfTenant(DporDbContext db, Guid tenantId) =>
        OfTenant(db, tenantId).Where(a => a.IsCurrent);
}
