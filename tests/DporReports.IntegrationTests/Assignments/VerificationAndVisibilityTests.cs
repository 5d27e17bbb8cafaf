using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;

namespace DporReports.IntegrationTests.Assignments;

/// <summary>
/// design.md §2 "Verified assignments only" and what a partner may see: pending, rejected, ended and other partners'
/// assignments never appear to a partner; verification follows the subscription's status on every inventory sync.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class VerificationAndVisibilityTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;

    public async Task InitializeAsync()
    {
        await _app.ConnectedTenantAsync("contoso-admin");
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Partner_SeesASubscriptionOnlyOnceItsAssignmentIsVerified()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        using var adatum = await _app.ApiClientAsync("adatum-reader");

        var beforeVerification = await CustomersAsync(adatum);
        await VerifyAsync();
        var afterVerification = await CustomersAsync(adatum);

        Assert.Empty(beforeVerification);
        var customer = Assert.Single(afterVerification);
        Assert.Equal(Contoso, customer.GetProperty("tenantId").GetGuid());
        Assert.Equal("Contoso Ltd", customer.GetProperty("tenantName").GetString());
        var seen = Assert.Single(customer.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(subscription, seen.GetProperty("subscriptionId").GetGuid());
        Assert.Equal("Verified", (await admin.SubscriptionAsync(subscription)).PartnerState());
        Assert.Equal("Verified", (await admin.HistoryAsync())[0].GetProperty("kind").GetString());
    }

    /// <summary>Partner A must never see partner B's customers or subscriptions, even on the same customer tenant.</summary>
    [Fact]
    public async Task Partners_EachSeeOnlyTheirOwnVerifiedSubscriptions()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var active = await admin.ActiveSubscriptionIdsAsync();
        (await admin.AssignAsync(active[0], DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        (await admin.AssignAsync(active[1], DemoData.LitwareMpnId)).EnsureSuccessStatusCode();
        await VerifyAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var litware = await _app.ApiClientAsync("litware-admin");

        Assert.Equal([active[0]], SubscriptionIds(await CustomersAsync(adatum)));
        Assert.Equal([active[1]], SubscriptionIds(await CustomersAsync(litware)));
        var adatumHistory = await adatum.GetFromJsonAsync<JsonElement[]>("/api/partner/assignments/history");
        Assert.All(adatumHistory!, e => Assert.Equal(active[0], e.GetProperty("subscriptionId").GetGuid()));
        Assert.NotEmpty(adatumHistory!);
    }

    [Fact]
    public async Task Removal_CutsThePartnersViewImmediately_ButKeepsItsHistoryOfTheAssignment()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        await VerifyAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        Assert.Single(await CustomersAsync(adatum));

        (await admin.RemoveAsync(subscription)).EnsureSuccessStatusCode();

        Assert.Empty(await CustomersAsync(adatum));
        var history = await adatum.GetFromJsonAsync<JsonElement[]>("/api/partner/assignments/history");
        Assert.Equal(["Removed", "Verified", "Assigned"], history!.Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Change_MovesVisibilityFromTheOldPartnerToTheNewOneOnceVerified()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        await VerifyAsync();

        (await admin.AssignAsync(subscription, DemoData.LitwareMpnId)).EnsureSuccessStatusCode();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var litware = await _app.ApiClientAsync("litware-admin");
        Assert.Empty(await CustomersAsync(adatum));
        Assert.Empty(await CustomersAsync(litware)); // pending: not yet

        await VerifyAsync();
        Assert.Single(await CustomersAsync(litware));
        Assert.Empty(await CustomersAsync(adatum));
    }

    [Fact]
    public async Task Verification_PartnerSuspendedByOperator_RejectsWithReasonTheCustomerSees()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, DemoData.LitwareMpnId)).EnsureSuccessStatusCode();
        await SuspendPartnerAsync(SandboxDirectory.LitwareTenantId);

        await VerifyAsync();

        var row = await admin.SubscriptionAsync(subscription);
        Assert.Equal("Rejected", row.PartnerState());
        Assert.Contains("not approved", row.GetProperty("partnerOfRecord").GetProperty("rejectionReason").GetString(), StringComparison.Ordinal);
        var rejected = (await admin.HistoryAsync())[0];
        Assert.Equal("Rejected", rejected.GetProperty("kind").GetString());
        Assert.Contains("not approved", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inventory_SubscriptionSuspendedThenBack_SuspendsAndResumesTheAssignment()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        await VerifyAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        await sandbox.SetSubscriptionStatusAsync(Contoso, subscription, "Suspended");
        await _app.SyncInventoryAsync(Contoso);
        var whileSuspended = await CustomersAsync(adatum);
        var stateWhileSuspended = (await admin.SubscriptionAsync(subscription)).PartnerState();
        await sandbox.SetSubscriptionStatusAsync(Contoso, subscription, "Enabled");
        await _app.SyncInventoryAsync(Contoso);

        Assert.Equal("Suspended", stateWhileSuspended);
        Assert.Empty(whileSuspended);
        Assert.Equal("Verified", (await admin.SubscriptionAsync(subscription)).PartnerState());
        Assert.Single(await CustomersAsync(adatum));
        var kinds = (await admin.HistoryAsync()).Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["Resumed", "Suspended", "Verified", "Assigned"], kinds);
    }

    [Fact]
    public async Task Inventory_SubscriptionVanished_IsMarkedNotDeleted_AndItsAssignmentSuspended()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        await VerifyAsync();

        (await sandbox.Api.DeleteAsync($"_sandbox/graph/tenants/{Contoso}/subscriptions/{subscription}")).EnsureSuccessStatusCode();
        await _app.SyncInventoryAsync(Contoso);

        var row = await admin.SubscriptionAsync(subscription);
        Assert.True(row.GetProperty("disappeared").GetBoolean());
        Assert.False(row.GetProperty("canBeAssigned").GetBoolean());
        Assert.Equal("Suspended", row.PartnerState());
    }

    [Fact]
    public async Task PartnerCustomers_CustomerOrPendingPartnerTokens_AreRefused()
    {
        using var customer = await _app.ApiClientAsync("contoso-admin");
        using var pending = await _app.ApiClientAsync("proseware-admin");

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/partner/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pending.GetAsync("/api/partner/customers")).StatusCode);
    }

    private Task VerifyAsync() => _app.RunJobAsync<VerifyAssignmentJob>(job => job.RunAsync(Contoso, default));

    private async Task SuspendPartnerAsync(Guid partnerTenant)
    {
        await using var scope = _app.Scope();
        var partner = DporWebFactory.Db(scope).Partners.Single(p => p.TenantId == partnerTenant);
        using var op = await _app.ApiClientAsync("operator");
        (await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/suspend", new { reason = "Contract under review" })).EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement[]> CustomersAsync(HttpClient partner)
    {
        using var response = await partner.GetAsync("/api/partner/customers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();
    }

    private static Guid[] SubscriptionIds(JsonElement[] customers) =>
        [.. customers.SelectMany(c => c.GetProperty("subscriptions").EnumerateArray()).Select(s => s.GetProperty("subscriptionId").GetGuid())];
}
