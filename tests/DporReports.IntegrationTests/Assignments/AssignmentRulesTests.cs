using System.Net;
using System.Net.Http.Json;
using DporReports.Core.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Assignments;

/// <summary>
/// design.md §2 "Who may assign", "One DPOR per subscription", "Per subscription, not per tenant" through the real API.
/// Contoso is connected and its inventory pulled from the sandbox's Graph; Adatum (1234567) and Litware (2345678) are
/// approved partners.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AssignmentRulesTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
    private const string Adatum = DemoData.AdatumMpnId;
    private const string Litware = DemoData.LitwareMpnId;

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
    public async Task Assign_OwnGlobalAdministrator_AssignsPendingWithLedgerEventAndMail()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];

        using var response = await admin.AssignAsync(subscription, Adatum);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await admin.SubscriptionAsync(subscription);
        Assert.Equal("Adatum Consulting", row.PartnerName());
        Assert.Equal("PendingVerification", row.PartnerState());
        var assigned = Assert.Single(await admin.HistoryAsync());
        Assert.Equal("Assigned", assigned.GetProperty("kind").GetString());
        Assert.Equal("Ada Admin", assigned.GetProperty("actorName").GetString());
        Assert.Equal("Adatum Consulting", assigned.GetProperty("partnerAfter").GetString());
        var mail = Assert.Single(await OutboxAsync());
        Assert.Equal("dpor@adatum.example", mail.Recipients);
        Assert.Contains("lo designó como Digital Partner of Record", mail.Subject, StringComparison.Ordinal); // Adatum reads Spanish
    }

    public static TheoryData<string> NotOwnGlobalAdministrators() =>
        ["contoso-reader", "contoso-user", "contoso-guest-admin", "contoso-gdap-adatum", "contoso-dap-adatum"];

    /// <summary>
    /// The attack: someone other than the customer's own Global Administrator — notably the partner's own delegated
    /// technician (GDAP/DAP), whose token carries the Global Administrator role id — names or changes the partner of record.
    /// </summary>
    [Theory]
    [MemberData(nameof(NotOwnGlobalAdministrators))]
    public async Task Assign_NotTheTenantsOwnGlobalAdministrator_Returns403WithReasonAndChangesNothing(string persona)
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        using var other = await _app.ApiClientAsync(persona);

        using var assign = await other.AssignAsync(subscription, Adatum);
        using var bulk = await other.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = Adatum });

        Assert.Equal(HttpStatusCode.Forbidden, assign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bulk.StatusCode);
        Assert.Contains("Only a Global Administrator who is a member of this tenant", await assign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await admin.SubscriptionAsync(subscription)).PartnerName());
        Assert.Empty(await admin.HistoryAsync());
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task Members_WhoCannotChange_StillSeeThePartnerOfRecordAndWhoCanChangeIt()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, Adatum)).EnsureSuccessStatusCode();
        using var reader = await _app.ApiClientAsync("contoso-reader");

        var view = await reader.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/customer/subscriptions");

        Assert.False(view.GetProperty("canChangePartnerOfRecord").GetBoolean());
        Assert.Contains("Global Administrator", view.GetProperty("whoCanChange").GetString(), StringComparison.Ordinal);
        Assert.Equal("Adatum Consulting", (await reader.SubscriptionAsync(subscription)).PartnerName());
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("adatum-admin")]
    public async Task Assign_ServiceOrPartnerUsers_CannotTouchACustomersSubscription(string persona)
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        using var other = await _app.ApiClientAsync(persona);

        using var response = await other.AssignAsync(subscription, Adatum);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null((await admin.SubscriptionAsync(subscription)).PartnerName());
    }

    /// <summary>
    /// Attacker/victim: Fabrikam's own Global Administrator uses Contoso's subscription id. The id answers 404, exactly like
    /// an id that does not exist, and Contoso's subscription is untouched.
    /// </summary>
    [Fact]
    public async Task AssignOrRemove_SubscriptionOfAnotherTenant_Returns404AndChangesNothing()
    {
        using var victim = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await victim.ActiveSubscriptionIdsAsync())[0];
        (await victim.AssignAsync(subscription, Adatum)).EnsureSuccessStatusCode();
        await _app.ConnectOtherTenantAsync("fabrikam-admin");
        using var attacker = await _app.ApiClientAsync("fabrikam-admin");

        using var change = await attacker.AssignAsync(subscription, Litware);
        using var remove = await attacker.RemoveAsync(subscription);
        using var unknown = await attacker.AssignAsync(Guid.NewGuid(), Litware);

        Assert.Equal(HttpStatusCode.NotFound, change.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);
        Assert.Equal(await unknown.CodeAsync(), await change.CodeAsync());
        Assert.Equal("Adatum Consulting", (await victim.SubscriptionAsync(subscription)).PartnerName());
        Assert.DoesNotContain(await attacker.SubscriptionsAsync(), s => s.GetProperty("id").GetGuid() == subscription);
    }

    [Fact]
    public async Task Assign_SamePartnerAgain_IsANoOpWithoutEventOrMail()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, Adatum)).EnsureSuccessStatusCode();

        using var again = await admin.AssignAsync(subscription, "1234568"); // Adatum's other Partner ID: same organisation

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await admin.HistoryAsync());
        Assert.Single(await OutboxAsync());
    }

    [Fact]
    public async Task Change_ToAnotherPartner_EndsThePreviousOneAndMailsBothPartners()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, Adatum)).EnsureSuccessStatusCode();

        using var changed = await admin.AssignAsync(subscription, Litware);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("Litware Partners", (await admin.SubscriptionAsync(subscription)).PartnerName());
        var latest = (await admin.HistoryAsync())[0];
        Assert.Equal("Changed", latest.GetProperty("kind").GetString());
        Assert.Equal("Adatum Consulting", latest.GetProperty("partnerBefore").GetString());
        Assert.Equal("Litware Partners", latest.GetProperty("partnerAfter").GetString());
        var mails = await OutboxAsync();
        Assert.Contains(mails, m => m.Recipients == "dpor@adatum.example" && m.Kind == "assignment-changed");
        Assert.Contains(mails, m => m.Recipients == "partners@litware.example" && m.Kind == "assignment-assigned");
        await using var scope = _app.Scope();
        var all = await CustomerAssignments.OfTenant(DporWebFactory.Db(scope), SandboxDirectory.ContosoTenantId)
            .Where(a => a.SubscriptionId == subscription).ToListAsync();
        Assert.Equal(1, all.Count(a => a.IsCurrent));
        Assert.Equal(AssignmentEndReason.Changed, all.Single(a => !a.IsCurrent).EndReason);
    }

    [Fact]
    public async Task Remove_CurrentPartner_EndsItRecordsItAndMailsThePartner()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, Adatum)).EnsureSuccessStatusCode();

        using var removed = await admin.RemoveAsync(subscription);
        using var again = await admin.RemoveAsync(subscription);

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Null((await admin.SubscriptionAsync(subscription)).PartnerName());
        Assert.Equal("Removed", (await admin.HistoryAsync())[0].GetProperty("kind").GetString());
        Assert.Contains(await OutboxAsync(), m => m.Kind == "assignment-removed" && m.Recipients == "dpor@adatum.example");
    }

    [Theory]
    [InlineData("Suspended")]
    [InlineData("Deleted")]
    public async Task Assign_SubscriptionNotEnabledOrWarning_Returns409(string status)
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var active = (await admin.ActiveSubscriptionIdsAsync())[0];
        await sandbox.SetSubscriptionStatusAsync(SandboxDirectory.ContosoTenantId, active, status);
        await _app.SyncInventoryAsync(SandboxDirectory.ContosoTenantId);

        using var response = await admin.AssignAsync(active, Adatum);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("subscription_not_active", await response.CodeAsync());
        Assert.Empty(await admin.HistoryAsync());
    }

    [Theory]
    [InlineData("12ab", "malformed_partner_id")]
    [InlineData("9999999", "unknown_partner_id")]
    public async Task Assign_BadPartnerId_Returns400NamingTheProblem(string partnerId, string code)
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];

        using var response = await admin.AssignAsync(subscription, partnerId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await response.CodeAsync());
    }

    [Fact]
    public async Task Assign_PartnerNotApproved_Returns400()
    {
        var pending = await new Given(_app).RegisteredPartnerAsync("Pending Partner");
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];

        using var response = await admin.AssignAsync(subscription, pending.MpnIds[0]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("partner_not_approved", await response.CodeAsync());
    }

    [Fact]
    public async Task Assign_MalformedBodyOrId_Returns400Or404()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];

        using var malformed = await admin.PutAsync($"/api/customer/subscriptions/{subscription}/partner-of-record",
            new StringContent("{\"partnerId\": 12", System.Text.Encoding.UTF8, "application/json"));
        using var notAGuid = await admin.AssignAsync(Guid.Empty, Adatum);
        using var badRoute = await admin.PutAsync("/api/customer/subscriptions/not-a-guid/partner-of-record",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAGuid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badRoute.StatusCode);
    }

    [Fact]
    public async Task Assign_StaleVersion_Returns409WithTheCurrentState()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        var before = (await admin.SubscriptionAsync(subscription)).GetProperty("version").GetGuid();
        (await admin.AssignAsync(subscription, Adatum, before)).EnsureSuccessStatusCode();

        using var stale = await admin.AssignAsync(subscription, Litware, before);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var body = await stale.Content.ReadAsStringAsync();
        Assert.Contains("changed_meanwhile", body, StringComparison.Ordinal);
        Assert.Contains("Adatum Consulting", body, StringComparison.Ordinal);
        Assert.Equal("Adatum Consulting", (await admin.SubscriptionAsync(subscription)).PartnerName());
    }

    /// <summary>Two admins race on one subscription from the same starting version: one wins, the other is told; nothing doubles.</summary>
    [Fact]
    public async Task Assign_TwoConcurrentWriters_OneWinsTheOtherGets409()
    {
        using var first = await _app.ApiClientAsync("contoso-admin");
        using var second = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await first.ActiveSubscriptionIdsAsync())[0];
        var version = (await first.SubscriptionAsync(subscription)).GetProperty("version").GetGuid();

        var responses = await Task.WhenAll(first.AssignAsync(subscription, Adatum, version), second.AssignAsync(subscription, Litware, version));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        Assert.Equal(1, await CustomerAssignments.CurrentOfTenant(db, SandboxDirectory.ContosoTenantId).CountAsync(a => a.SubscriptionId == subscription));
        Assert.Single(await first.HistoryAsync());
        Assert.Single(await OutboxAsync());
    }

    /// <summary>The database itself refuses a second current assignment for one subscription, whatever the code does.</summary>
    [Fact]
    public async Task Database_SecondCurrentAssignmentForOneSubscription_IsRefusedByTheUniqueIndex()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, Adatum)).EnsureSuccessStatusCode();
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var litware = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.LitwareTenantId);
        db.Assignments.Add(Assignment.Start(SandboxDirectory.ContosoTenantId, subscription, litware.Id, Litware,
            Core.Identity.Actor.System, qualified: true, DateTimeOffset.UnixEpoch));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Ledger_RowsCannotBeChangedOrDeleted()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        (await admin.AssignAsync((await admin.ActiveSubscriptionIdsAsync())[0], Adatum)).EnsureSuccessStatusCode();
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var recorded = await db.AssignmentEvents.SingleAsync();

        db.AssignmentEvents.Remove(recorded);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        db.ChangeTracker.Clear();
        Assert.Equal(1, await db.AssignmentEvents.CountAsync());
    }

    [Fact]
    public async Task Bulk_AssignsEveryActiveSubscriptionWithoutPartner_AndLeavesTheOthers()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var active = await admin.ActiveSubscriptionIdsAsync();
        (await admin.AssignAsync(active[0], Litware)).EnsureSuccessStatusCode();

        using var response = await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = Adatum });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var touched = result.GetProperty("assigned").EnumerateArray().Select(e => e.GetGuid()).ToList();
        Assert.Equal(active.Skip(1).Order(), touched.Order());
        var rows = await admin.SubscriptionsAsync();
        Assert.Equal("Litware Partners", rows.Single(r => r.GetProperty("id").GetGuid() == active[0]).PartnerName());
        Assert.All(rows.Where(r => touched.Contains(r.GetProperty("id").GetGuid())), r => Assert.Equal("Adatum Consulting", r.PartnerName()));
        Assert.All(rows.Where(r => !r.GetProperty("canBeAssigned").GetBoolean()), r => Assert.Null(r.PartnerName()));
        var skipped = result.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("subscriptionId").GetGuid()).ToList();
        Assert.Contains(active[0], skipped);
        Assert.Single(await OutboxAsync(), m => m.Kind == "assignment-assigned" && m.Recipients == "dpor@adatum.example");
    }

    [Fact]
    public async Task Bulk_NothingLeftWithoutPartner_TouchesNothing()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        (await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = Adatum })).EnsureSuccessStatusCode();
        var events = (await admin.HistoryAsync()).Length;

        using var again = await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = Litware });

        var result = System.Text.Json.JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, result.GetProperty("assigned").GetArrayLength());
        Assert.Equal(events, (await admin.HistoryAsync()).Length);
    }

    [Fact]
    public async Task Assign_TenantNotConnected_Returns409()
    {
        using var northwind = await _app.ApiClientAsync("northwind-admin");

        using var response = await northwind.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = Adatum });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("tenant_not_connected", await response.CodeAsync());
    }

    private async Task<List<Core.Notifications.OutboxMessage>> OutboxAsync()
    {
        await using var scope = _app.Scope();
        return await DporWebFactory.Db(scope).OutboxMessages.AsNoTracking().ToListAsync();
    }
}
