using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.IntegrationTests.Infrastructure;

namespace DporReports.IntegrationTests.Partners;

/// <summary>
/// Operators approve, reject, suspend and reinstate partner organisations. The attack: a partner approving itself (or a
/// customer, or a service-tenant member without the role, or someone holding an "Operator" role in their own tenant)
/// through the operator API. Only the Operator role in the service's own tenant may.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartnerReviewTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Approve_Operator_ApprovesAndRecordsWhoDidIt()
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("Awaiting Review");
        using var op = await _app.ApiClientAsync("operator");

        using var response = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/approve", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var details = await op.GetFromJsonAsync<JsonElement>($"/api/ops/partners/{partner.Id}");
        Assert.Equal("Approved", details.GetProperty("partner").GetProperty("status").GetString());
        var approved = details.GetProperty("history")[0];
        Assert.Equal("Approved", approved.GetProperty("kind").GetString());
        Assert.Equal(Sandbox.SandboxDirectory.Persona("operator").DisplayName, approved.GetProperty("actorName").GetString());
        Assert.Equal("Pending", approved.GetProperty("before").GetProperty("status").GetString());
    }

    public static TheoryData<string> NotOperators() => ["adatum-admin", "contoso-admin", "service-user", "contoso-gdap-adatum"];

    [Theory]
    [MemberData(nameof(NotOperators))]
    public async Task Approve_NotAnOperator_Returns403AndStatusStaysPending(string persona)
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("Self Approver");
        using var attacker = await _app.ApiClientAsync(persona);

        using var response = await attacker.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/approve", new { });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Only operators", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var view = await partner.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");
        Assert.Equal("Pending", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Approve_OperatorRoleInAnotherTenant_Returns403()
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("Role Forger Target");
        // The partner's own admin can give itself any app role in its own tenant: the role proves nothing without our tenant.
        var (forger, _) = await new Given(_app).NewTenantUserAsync("Operator");

        using var response = await forger.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/approve", new { });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Reject_WithoutReason_Returns400_WithReason_PartnerSeesIt()
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("To Reject");
        using var op = await _app.ApiClientAsync("operator");

        using var noReason = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/reject", new { });
        using var rejected = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/reject", new { reason = "Partner ID does not match the MPN record" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var view = await partner.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");
        Assert.Equal("Rejected", view.GetProperty("status").GetString());
        Assert.Equal("Partner ID does not match the MPN record", view.GetProperty("statusReason").GetString());
    }

    [Fact]
    public async Task SuspendAndReinstate_ApprovedPartner_MovesThroughStates()
    {
        var partner = await new Given(_app).ApprovedPartnerAsync("Suspendable");
        using var op = await _app.ApiClientAsync("operator");

        using var suspended = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/suspend", new { reason = "Under investigation" });
        using var reinstated = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/reinstate", new { });

        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        var kinds = (await op.GetFromJsonAsync<JsonElement>($"/api/ops/partners/{partner.Id}")).GetProperty("history")
            .EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["Reinstated", "Suspended", "Approved", "Registered"], kinds);
    }

    [Theory]
    [InlineData("reinstate")]
    [InlineData("suspend")]
    public async Task Review_InvalidTransition_Returns409(string decision)
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("Pending Only");
        using var op = await _app.ApiClientAsync("operator");

        using var response = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/{decision}", new { reason = "Some reason" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("invalid_transition", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_StaleVersion_Returns409()
    {
        var partner = await new Given(_app).RegisteredPartnerAsync("Versioned");
        using var op = await _app.ApiClientAsync("operator");

        using var response = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/approve", new { version = Guid.NewGuid() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Approve_UnknownId_Returns404()
    {
        using var op = await _app.ApiClientAsync("operator");

        using var response = await op.PostAsJsonAsync($"/api/ops/partners/{Guid.NewGuid()}/approve", new { });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task List_Operator_FiltersByStatus()
    {
        var pending = await new Given(_app).RegisteredPartnerAsync("Listed Pending");
        var approved = await new Given(_app).ApprovedPartnerAsync("Listed Approved");
        using var op = await _app.ApiClientAsync("operator");

        var list = await op.GetFromJsonAsync<JsonElement>("/api/ops/partners?status=Pending");

        var ids = list.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(pending.Id, ids);
        Assert.DoesNotContain(approved.Id, ids);
    }
}
