using System.Net.Http.Json;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>Customer-side arrangements: a connected tenant with its inventory pulled from the sandbox's Graph.</summary>
public static class Customers
{
    /// <summary>Resets the sandbox Graph to its seed, grants consent, connects the tenant as its GA and runs the inventory sync.</summary>
    public static async Task ConnectedTenantAsync(this DporWebFactory app, string adminPersona = "contoso-admin")
    {
        var persona = SandboxDirectory.Persona(adminPersona);
        await app.Sandbox.ResetGraphAsync();
        (await app.Sandbox.Api.PostAsync($"_sandbox/tenants/{persona.TenantId}/consent", null)).EnsureSuccessStatusCode();
        await using (var scope = app.Scope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<TenantConnections>().ConnectAsync(UserOf(persona), persona.TenantId, default);
            Assert.True(outcome.Succeeded, outcome.Problem?.Message);
        }
        await app.SyncInventoryAsync(persona.TenantId);
    }

    /// <summary>Connects a second tenant without resetting the sandbox Graph (the first tenant's changes stay).</summary>
    public static async Task ConnectOtherTenantAsync(this DporWebFactory app, string adminPersona)
    {
        var persona = SandboxDirectory.Persona(adminPersona);
        (await app.Sandbox.Api.PostAsync($"_sandbox/tenants/{persona.TenantId}/consent", null)).EnsureSuccessStatusCode();
        await using (var scope = app.Scope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<TenantConnections>().ConnectAsync(UserOf(persona), persona.TenantId, default)).Succeeded);
        await app.SyncInventoryAsync(persona.TenantId);
    }

    /// <summary>Contoso connected, Adatum named partner of record of every active subscription, and verified.</summary>
    public static async Task VerifiedTenantAsync(this DporWebFactory app)
    {
        await app.ConnectedTenantAsync();
        using var admin = await app.ApiClientAsync("contoso-admin");
        (await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = DemoData.AdatumMpnId })).EnsureSuccessStatusCode();
        await app.RunJobAsync<VerifyAssignmentJob>(j => j.RunAsync(SandboxDirectory.ContosoTenantId, default));
    }

    /// <summary>Contoso's GA names the partner on one subscription through the API, then the verification job runs.</summary>
    public static async Task AssignAndVerifyAsync(this DporWebFactory app, Guid subscription, string partnerId)
    {
        using var admin = await app.ApiClientAsync("contoso-admin");
        using var assigned = await admin.PutAsJsonAsync($"/api/customer/subscriptions/{subscription}/partner-of-record", new { partnerId });
        assigned.EnsureSuccessStatusCode();
        await app.RunJobAsync<VerifyAssignmentJob>(j => j.RunAsync(SandboxDirectory.ContosoTenantId, default));
    }

    /// <summary>
    /// Many (consented, e.g. synthetic) tenants, each as its own Global Administrator would: connect, inventory, name the
    /// partner on every subscription, verified — through the product's services, four tenants at a time.
    /// </summary>
    public static Task ConnectAssignAndVerifyAsync(this DporWebFactory app, IEnumerable<Guid> tenants, string partnerId) =>
        Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (tenantId, ct) =>
        {
            var admin = new SignedInUser(tenantId, Guid.NewGuid(), "Tenant Admin", null, null, null, false,
                new HashSet<string> { DirectoryRoleIds.GlobalAdministrator }, new HashSet<string>(), new HashSet<string>());
            await using var scope = app.Scope();
            var services = scope.ServiceProvider;
            await services.GetRequiredService<TenantConnections>().ConnectAsync(admin, tenantId, ct);
            await services.GetRequiredService<SyncTenantInventoryJob>().RunAsync(tenantId, ct);
            await services.GetRequiredService<PartnerOfRecordService>().AssignUnassignedAsync(admin, partnerId, ct);
            await services.GetRequiredService<AssignmentVerifier>().VerifyTenantAsync(tenantId, ct);
        });

    /// <summary>Another sandbox tenant, as its own Global Administrator: consent, connect, inventory, every subscription to the partner, verified.</summary>
    public static async Task CustomerOfAsync(this DporWebFactory app, string adminPersona, string mpnId)
    {
        var persona = SandboxDirectory.Persona(adminPersona);
        (await app.Sandbox.Api.PostAsync($"_sandbox/tenants/{persona.TenantId}/consent", null)).EnsureSuccessStatusCode();
        await using var scope = app.Scope();
        var services = scope.ServiceProvider;
        var admin = UserOf(persona);
        Assert.True((await services.GetRequiredService<TenantConnections>().ConnectAsync(admin, persona.TenantId, default)).Succeeded);
        await services.GetRequiredService<SyncTenantInventoryJob>().RunAsync(persona.TenantId, default);
        Assert.True((await services.GetRequiredService<PartnerOfRecordService>().AssignUnassignedAsync(admin, mpnId, default)).Succeeded);
        await services.GetRequiredService<AssignmentVerifier>().VerifyTenantAsync(persona.TenantId, default);
    }

    /// <summary>Every subscription usage fact, as comparable tuples.</summary>
    public static async Task<List<(Guid, Workload, DateOnly, int, int, int)>> UsageFactsAsync(this DporWebFactory app)
    {
        await using var scope = app.Scope();
        return [.. (await DporWebFactory.Db(scope).Set<SubscriptionUsageFact>().AsNoTracking().ToListAsync())
            .Select(f => (f.SubscriptionId, f.Workload, f.Date, f.Seats, f.LicensedUsers, f.ActiveUsers)).Order()];
    }

    public static Task SyncInventoryAsync(this DporWebFactory app, Guid tenantId) =>
        app.RunJobAsync<SyncTenantInventoryJob>(job => job.RunAsync(tenantId, default));

    /// <summary>Runs a Hangfire job class the way Hangfire does: resolved from a fresh DI scope.</summary>
    public static async Task RunJobAsync<TJob>(this DporWebFactory app, Func<TJob, Task> run) where TJob : notnull
    {
        await using var scope = app.Scope();
        await run(scope.ServiceProvider.GetRequiredService<TJob>());
    }

    /// <inheritdoc cref="RunJobAsync{TJob}(DporWebFactory, Func{TJob, Task})"/>
    public static async Task<TResult> RunJobAsync<TJob, TResult>(this DporWebFactory app, Func<TJob, Task<TResult>> run) where TJob : notnull
    {
        await using var scope = app.Scope();
        return await run(scope.ServiceProvider.GetRequiredService<TJob>());
    }

    public static async Task ResetGraphAsync(this SandboxFixture sandbox) =>
        (await sandbox.Api.PostAsync("_sandbox/graph/reset", null)).EnsureSuccessStatusCode();

    public static async Task SetSubscriptionStatusAsync(this SandboxFixture sandbox, Guid tenantId, Guid subscriptionId, string status) =>
        (await sandbox.Api.PatchAsJsonAsync($"_sandbox/graph/tenants/{tenantId}/subscriptions/{subscriptionId}", new { status })).EnsureSuccessStatusCode();

    public static SignedInUser UserOf(SandboxPersona persona) => new(persona.TenantId, persona.ObjectId, persona.DisplayName,
        persona.UserPrincipalName, null, persona.Idp, persona.Acct == 1, new HashSet<string>(persona.Wids), new HashSet<string>(persona.AppRoles),
        new HashSet<string>());
}
