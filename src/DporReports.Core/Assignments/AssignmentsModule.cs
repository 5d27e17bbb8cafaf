using DporReports.Core.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Assignments;

public static class AssignmentsModule
{
    /// <summary>Tenants (connect, inventory) and partner-of-record assignments (assign, verify, ledger).</summary>
    public static IServiceCollection AddAssignments(this IServiceCollection services)
    {
        services.AddScoped<TenantConnections>();
        services.AddScoped<TenantJobs>();
        // After the database migrator (registered by AddData): it reads the connected tenants.
        services.AddHostedService<TenantJobsRegistrar>();
        services.AddScoped<SyncTenantInventoryJob>();
        services.AddScoped<AssignmentVerifier>();
        services.AddScoped<VerifyAssignmentJob>();
        services.AddScoped<AssignmentMail>();
        services.AddScoped<PartnerOfRecordService>();
        services.AddScoped<PartnerOfRecordQueries>();
        return services;
    }
}
