using System.Net.Http.Json;
using DporReports.Core.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Web.Sandbox;
using DporReports.Core.Tenancy;
using DporReports.Core.Tenants;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Assignments;

/// <summary>
/// Verification through a real Hangfire server: a customer who names a partner on one subscription and then on all the
/// others in a second step queues two verification jobs for the tenant; both must run promptly and verify everything.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class VerificationOnTheServerTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?>
    {
        ["DemoData:Enabled"] = "true",
        ["Hangfire:Server:Enabled"] = "true",
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AssignOneThenAllUnassigned_BothVerificationJobsRun_EveryAssignmentVerifiedWithinSeconds()
    {
        // Connected as the consent callback does; the server's own inventory job (not a direct call, which would race
        // it outside Hangfire's per-tenant lock) lists the subscriptions.
        var persona = SandboxDirectory.Persona("contoso-admin");
        await sandbox.ResetGraphAsync();
        (await sandbox.Api.PostAsync($"_sandbox/tenants/{persona.TenantId}/consent", null)).EnsureSuccessStatusCode();
        await using (var connect = _app.Scope())
            Assert.True((await connect.ServiceProvider.GetRequiredService<TenantConnections>().ConnectAsync(Customers.UserOf(persona), persona.TenantId, default)).Succeeded);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var subscriptions = await admin.ActiveSubscriptionIdsAsync();
        while (subscriptions.Length == 0 && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(250);
            subscriptions = await admin.ActiveSubscriptionIdsAsync();
        }
        Assert.NotEmpty(subscriptions);

        (await admin.PutAsJsonAsync($"/api/customer/subscriptions/{subscriptions[0]}/partner-of-record", new { partnerId = DemoData.AdatumMpnId }))
            .EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = DemoData.AdatumMpnId }))
            .EnsureSuccessStatusCode();

        waited.Restart();
        List<AssignmentState> states;
        do
        {
            await Task.Delay(250);
            await using var scope = _app.Scope();
            var db = DporWebFactory.Db(scope);
            scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(db.Partners.Single(p => p.TenantId == SandboxDirectory.AdatumTenantId).Id);
            states = await db.Assignments.AsNoTracking().Where(a => a.EndedAt == null).Select(a => a.State).ToListAsync();
        }
        while (states.Any(s => s != AssignmentState.Verified) && waited.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Equal(subscriptions.Length, states.Count);
        Assert.All(states, s => Assert.Equal(AssignmentState.Verified, s));
    }
}
