using DporReports.Core.Tenants;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DporReports.IntegrationTests.Tenants;

/// <summary>After a restart on in-memory storage, connected tenants get their daily inventory job back; stale ones go.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class TenantJobsRegistrarTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Start_ConnectedTenantWithoutItsJob_GetsItBack_JobOfAnUnknownTenantIsRemoved()
    {
        await _app.ConnectedTenantAsync();
        var recurring = _app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.RemoveIfExists(TenantJobs.InventoryJobId(SandboxDirectory.ContosoTenantId)); // as after a restart
        var stale = TenantJobs.InventoryJobId(Guid.NewGuid());
        recurring.AddOrUpdate(stale, () => Console.WriteLine("gone tenant"), "0 3 * * *");

        await _app.Services.GetServices<IHostedService>().OfType<TenantJobsRegistrar>().Single().StartAsync(default);

        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        var ids = connection.GetRecurringJobs().Select(j => j.Id).ToList();
        Assert.Contains(TenantJobs.InventoryJobId(SandboxDirectory.ContosoTenantId), ids);
        Assert.DoesNotContain(stale, ids);
    }
}
