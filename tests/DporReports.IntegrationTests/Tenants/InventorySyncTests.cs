using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Tenants;

/// <summary>
/// SyncTenantInventoryJob against the sandbox's Graph (its real wire format: app-only token per tenant, paging,
/// throttling, consent revocation).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class InventorySyncTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Sync_ConnectedTenant_UpsertsEverySubscriptionWithFamilyWorkloadsAndRecordsTheRun()
    {
        await _app.ConnectedTenantAsync();

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var subscriptions = await db.Subscriptions.Where(s => s.TenantId == Contoso).ToListAsync();
        Assert.Equal(7, subscriptions.Count);
        Assert.Equal(2, subscriptions.Count(s => s.SkuPartNumber == "ENTERPRISEPACK"));
        var e3 = subscriptions.First(s => s.SkuPartNumber == "ENTERPRISEPACK");
        Assert.Equal(ProductFamily.Office365, e3.Family);
        Assert.Equal("Office 365 E3", e3.ProductName); // Microsoft's spelling, not the reports' capitals
        Assert.Contains(Workload.Teams, e3.Workloads);
        Assert.Contains(Workload.Exchange, e3.Workloads);
        Assert.Equal(ProductFamily.Dynamics365, subscriptions.Single(s => s.SkuPartNumber == "DYN365_ENTERPRISE_PLAN1").Family);
        Assert.Equal(ProductFamily.Ems, subscriptions.Single(s => s.SkuPartNumber == "EMS").Family);
        Assert.Equal(SubscriptionStatus.Suspended, subscriptions.Single(s => s.SkuPartNumber == "INTUNE_A").Status);
        Assert.Equal(0, subscriptions.Single(s => s.SkuPartNumber == "INTUNE_A").Seats);
        var tenant = await db.CustomerTenants.SingleAsync(t => t.Id == Contoso);
        Assert.Equal("Contoso Ltd", tenant.DisplayName);
        var run = await db.InventorySyncRuns.SingleAsync(r => r.TenantId == Contoso);
        Assert.Equal(SyncOutcome.Succeeded, run.Outcome);
        Assert.Equal(7, run.SubscriptionsRead);
        Assert.Equal(7, run.Added);
    }

    [Fact]
    public async Task Sync_RunTwice_IsIdempotent()
    {
        await _app.ConnectedTenantAsync();

        await _app.SyncInventoryAsync(Contoso);

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        Assert.Equal(7, await db.Subscriptions.CountAsync(s => s.TenantId == Contoso));
        var second = await db.InventorySyncRuns.OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal((0, 0, 0), (second.Added, second.Changed, second.Disappeared));
    }

    [Fact]
    public async Task Sync_PagedAnswers_FollowsEveryNextLink()
    {
        await sandbox.ResetGraphAsync();
        (await sandbox.Api.PutAsJsonAsync($"_sandbox/graph/tenants/{Contoso}/page-size", new { size = 2 })).EnsureSuccessStatusCode();

        await ConnectWithoutResetAsync();

        await using var scope = _app.Scope();
        Assert.Equal(7, await DporWebFactory.Db(scope).Subscriptions.CountAsync(s => s.TenantId == Contoso));
    }

    [Fact]
    public async Task Sync_ThrottledWithRetryAfter_WaitsAndSucceeds()
    {
        await sandbox.ResetGraphAsync();
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/faults", new { tenantId = Contoso, path = "subscriptions", status = 429, retryAfterSeconds = 1, count = 2 }))
            .EnsureSuccessStatusCode();

        await ConnectWithoutResetAsync();

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        Assert.Equal(7, await db.Subscriptions.CountAsync(s => s.TenantId == Contoso));
        var log = await sandbox.Api.GetFromJsonAsync<JsonElement[]>("_sandbox/graph/requests");
        Assert.Equal(2, log!.Count(r => r.GetProperty("status").GetInt32() == 429));
    }

    [Fact]
    public async Task Sync_ServiceUnavailableBeyondRetries_FailsTheRunAndKeepsTheStoredInventory()
    {
        await _app.ConnectedTenantAsync();
        (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/faults", new { tenantId = Contoso, status = 503, count = 50 })).EnsureSuccessStatusCode();

        await Assert.ThrowsAsync<Core.Graph.GraphRequestException>(() => _app.SyncInventoryAsync(Contoso));

        (await sandbox.Api.DeleteAsync("_sandbox/graph/faults")).EnsureSuccessStatusCode();
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        Assert.Equal(7, await db.Subscriptions.CountAsync(s => s.TenantId == Contoso && s.DisappearedAt == null));
        var failed = await db.InventorySyncRuns.OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Contains("503", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_ConsentRevoked_MarksTheTenantAndStopsItsJobs()
    {
        await _app.ConnectedTenantAsync();
        (await sandbox.Api.DeleteAsync($"_sandbox/tenants/{Contoso}/consent")).EnsureSuccessStatusCode();

        await _app.SyncInventoryAsync(Contoso);

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var tenant = await db.CustomerTenants.SingleAsync(t => t.Id == Contoso);
        Assert.Equal(ConsentStatus.ConsentRevoked, tenant.ConsentStatus);
        Assert.Equal(SyncOutcome.ConsentRevoked, (await db.InventorySyncRuns.OrderByDescending(r => r.Id).FirstAsync()).Outcome);
        Assert.Equal(7, await db.Subscriptions.CountAsync(s => s.TenantId == Contoso)); // kept, not deleted
        using var connection = scope.ServiceProvider.GetRequiredService<JobStorage>().GetConnection();
        Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id == TenantJobs.InventoryJobId(Contoso));
        (await sandbox.Api.PostAsync($"_sandbox/tenants/{Contoso}/consent", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Connect_SchedulesADailyStaggeredSyncAndOneNow()
    {
        await _app.ConnectedTenantAsync();

        await using var scope = _app.Scope();
        var storage = scope.ServiceProvider.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();
        var recurring = Assert.Single(connection.GetRecurringJobs(), j => j.Id == TenantJobs.InventoryJobId(Contoso));
        Assert.Equal(TenantJobs.DailyCron(Contoso), recurring.Cron);
        Assert.Contains(storage.GetMonitoringApi().EnqueuedJobs("ingestion", 0, 100), j => j.Value.Job.Type == typeof(SyncTenantInventoryJob));
    }

    [Fact]
    public void DailyCron_SpreadsTenantsAcrossTheDay()
    {
        var minutes = Enumerable.Range(0, 2000).Select(_ => TenantJobs.DailyCron(Guid.NewGuid()))
            .Select(c => c.Split(' ')).Select(p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(TenantJobs.DailyCron(Contoso), TenantJobs.DailyCron(Contoso));
        Assert.All(Enumerable.Range(0, 24), hour => Assert.InRange(minutes.Count(h => h == hour), 40, 130));
    }

    private async Task ConnectWithoutResetAsync()
    {
        var persona = SandboxDirectory.Persona("contoso-admin");
        (await sandbox.Api.PostAsync($"_sandbox/tenants/{Contoso}/consent", null)).EnsureSuccessStatusCode();
        await using (var scope = _app.Scope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<TenantConnections>().ConnectAsync(Customers.UserOf(persona), Contoso, default)).Succeeded);
        await _app.SyncInventoryAsync(Contoso);
    }
}
