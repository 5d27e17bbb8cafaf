using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.IntegrationTests.Infrastructure;

namespace DporReports.IntegrationTests.Partners;

[Collection(IntegrationCollection.Name)]
public sealed class PartnerRegistrationTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Register_PartnerAdmin_CreatesPendingOrganisationWithHistory()
    {
        var (admin, tenant) = await new Given(_app).NewTenantUserAsync("Partner.Admin", "Pat Partner");
        var id = Given.NewMpnId();

        using var created = await admin.PostAsJsonAsync("/api/partner/registration",
            new { displayName = "Tailspin Partners", notificationEmail = "dpor@tailspin.example", partnerIds = new[] { id } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var partner = await admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");
        Assert.Equal("Pending", partner.GetProperty("status").GetString());
        Assert.Equal(id, partner.GetProperty("partnerIds")[0].GetString());
        var history = await admin.GetFromJsonAsync<JsonElement>("/api/partner/registration/history");
        var registered = Assert.Single(history.EnumerateArray());
        Assert.Equal("Registered", registered.GetProperty("kind").GetString());
        Assert.Equal("Pat Partner", registered.GetProperty("actorName").GetString());
        Assert.Equal(tenant, registered.GetProperty("actorTenantId").GetGuid());
    }

    [Theory]
    [InlineData("{\"displayName\":\"Ok Name\",\"notificationEmail\":\"nope\",\"partnerIds\":[\"1234567\"]}", "notificationEmail")]
    [InlineData("{\"displayName\":\"Ok Name\",\"notificationEmail\":\"a@b.example\",\"partnerIds\":[\"12-4567\"]}", "partnerIds")]
    [InlineData("{\"displayName\":\"Ok Name\",\"notificationEmail\":\"a@b.example\",\"partnerIds\":[]}", "partnerIds")]
    [InlineData("{\"displayName\":\"\",\"notificationEmail\":\"a@b.example\",\"partnerIds\":[\"1234567\"]}", "displayName")]
    public async Task Register_InvalidField_Returns400NamingTheFieldAndStoresNothing(string json, string field)
    {
        var (admin, _) = await new Given(_app).NewTenantUserAsync("Partner.Admin");

        using var response = await admin.PostAsync("/api/partner/registration", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error on {field}");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/partner/registration")).StatusCode);
    }

    [Fact]
    public async Task Register_MalformedJson_Returns400()
    {
        var (admin, _) = await new Given(_app).NewTenantUserAsync("Partner.Admin");

        using var response = await admin.PostAsync("/api/partner/registration",
            new StringContent("{\"displayName\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Register_PartnerIdOfAnotherOrganisation_Returns409AndTheOwnerKeepsIt()
    {
        var owner = await new Given(_app).RegisteredPartnerAsync("First Owner");
        var (claimant, _) = await new Given(_app).NewTenantUserAsync("Partner.Admin");

        using var response = await claimant.PostAsJsonAsync("/api/partner/registration",
            new { displayName = "Claimant", notificationEmail = "c@claimant.example", partnerIds = new[] { owner.MpnIds[0] } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("partner_id_taken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var ownerView = await owner.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");
        Assert.Equal(owner.MpnIds[0], ownerView.GetProperty("partnerIds")[0].GetString());
    }

    [Fact]
    public async Task Register_SecondTimeForTheSameTenant_Returns409()
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("Once Only");

        using var again = await partner.Admin.PostAsJsonAsync("/api/partner/registration",
            new { displayName = "Twice", notificationEmail = "t@twice.example", partnerIds = new[] { Given.NewMpnId() } });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already_registered", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Partner.Reader")]
    [InlineData(null)]
    public async Task Register_WithoutPartnerAdminRole_Returns403WithReason(string? role)
    {
        var (user, _) = await new Given(_app).NewTenantUserAsync(role);

        using var response = await user.PostAsJsonAsync("/api/partner/registration",
            new { displayName = "Sneaky", notificationEmail = "s@sneaky.example", partnerIds = new[] { Given.NewMpnId() } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Partner.Admin", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_NameOfApprovedPartner_SendsItBackToReviewAndRecordsBeforeAfter()
    {
        var partner = await new Given(_app).ApprovedPartnerAsync("Old Name");
        var current = await partner.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");

        using var response = await partner.Admin.PutAsJsonAsync("/api/partner/registration", new
        {
            displayName = "New Name",
            notificationEmail = "dpor@partner.example",
            partnerIds = partner.MpnIds,
            version = current.GetProperty("version").GetGuid(),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Pending", updated.GetProperty("status").GetString());
        var latest = (await partner.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration/history"))[0];
        Assert.Equal("Updated", latest.GetProperty("kind").GetString());
        Assert.Equal("Old Name", latest.GetProperty("before").GetProperty("displayName").GetString());
        Assert.Equal("Approved", latest.GetProperty("before").GetProperty("status").GetString());
        Assert.Equal("New Name", latest.GetProperty("after").GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Update_OnlyNotificationEmail_KeepsApproval()
    {
        var partner = await new Given(_app).ApprovedPartnerAsync("Mail Changer");

        using var response = await partner.Admin.PutAsJsonAsync("/api/partner/registration",
            new { displayName = "Mail Changer", notificationEmail = "new@partner.example", partnerIds = partner.MpnIds });

        var updated = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Approved", updated.GetProperty("status").GetString());
        Assert.Equal("new@partner.example", updated.GetProperty("notificationEmail").GetString());
    }

    [Fact]
    public async Task Update_WithStaleVersion_Returns409AndChangesNothing()
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("Stale");

        using var response = await partner.Admin.PutAsJsonAsync("/api/partner/registration",
            new { displayName = "Overwritten", notificationEmail = "x@partner.example", partnerIds = partner.MpnIds, version = Guid.NewGuid() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("changed_meanwhile", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unchanged = await partner.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");
        Assert.Equal("Stale", unchanged.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task RemovePartnerId_Own_RemovesIt_ButNeverTheLastOne()
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("Two Ids", mpnIds: 2);

        using var removed = await partner.Admin.DeleteAsync($"/api/partner/registration/partner-ids/{partner.MpnIds[0]}");
        using var last = await partner.Admin.DeleteAsync($"/api/partner/registration/partner-ids/{partner.MpnIds[1]}");

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, last.StatusCode);
        var view = await partner.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");
        Assert.Equal([partner.MpnIds[1]], view.GetProperty("partnerIds").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }
}
