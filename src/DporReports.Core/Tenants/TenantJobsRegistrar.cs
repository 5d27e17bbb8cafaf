using DporReports.Core.Data;
using DporReports.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DporReports.Core.Tenants;

/// <summary>
/// At start, gives every connected tenant its daily inventory job and removes those of tenants no longer connected:
/// in-memory storage starts empty after a restart, and a server storage may hold a job of a tenant disconnected while
/// Hangfire was unreachable. Adding an existing job again only refreshes it.
/// </summary>
internal sealed class TenantJobsRegistrar(IServiceProvider services, JobStorage storage) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var connected = await scope.ServiceProvider.GetRequiredService<DporDbContext>().CustomerTenants
            .Where(t => t.ConsentStatus == ConsentStatus.Connected).Select(t => t.Id).ToListAsync(cancellationToken);
        var jobs = scope.ServiceProvider.GetRequiredService<TenantJobs>();
        foreach (var tenantId in connected) jobs.Schedule(tenantId);

        scope.ServiceProvider.GetRequiredService<IRecurringJobManager>()
            .RemoveStale(storage, TenantJobs.InventoryJobPrefix, connected.Select(TenantJobs.InventoryJobId).ToHashSet(StringComparer.Ordinal));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
