using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>Arranges data through the product's own API, with fresh tenants so tests sharing a database never collide.</summary>
public sealed class Given(DporWebFactory factory)
{
    private static int _nextMpnId = Random.Shared.Next(1_000_000, 8_000_000);

    public static string NewMpnId() => Interlocked.Increment(ref _nextMpnId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A client whose token is for a brand-new tenant, with the given app role.</summary>
    public async Task<(HttpClient Client, Guid TenantId)> NewTenantUserAsync(string? appRole, string name = "New Tenant User")
    {
        var tenant = Guid.NewGuid();
        var claims = new Dictionary<string, object?>
        {
            ["tid"] = tenant.ToString(),
            ["oid"] = Guid.NewGuid().ToString(),
            ["name"] = name,
            ["preferred_username"] = $"user@{tenant:N}.example",
            ["roles"] = appRole is null ? null : new[] { appRole },
        };
        var token = await factory.Sandbox.TokenWithClaimsAsync(claims);
        var client = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = SandboxFixture.Bearer(token);
        return (client, tenant);
    }

    public async Task<RegisteredPartner> RegisteredPartnerAsync(string name = "Fresh Partner", int mpnIds = 1)
    {
        var (client, tenant) = await NewTenantUserAsync("Partner.Admin", $"{name} Admin");
        var ids = Enumerable.Range(0, mpnIds).Select(_ => NewMpnId()).ToArray();
        using var response = await client.PostAsJsonAsync("/api/partner/registration",
            new { displayName = name, notificationEmail = "dpor@partner.example", partnerIds = ids });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return new RegisteredPartner(client, tenant, body.GetProperty("id").GetGuid(), ids, name);
    }

    public async Task<RegisteredPartner> ApprovedPartnerAsync(string name = "Approved Partner", int mpnIds = 1)
    {
        var partner = await RegisteredPartnerAsync(name, mpnIds);
        using var op = await factory.ApiClientAsync("operator");
        using var response = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/approve", new { });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return partner;
    }

    public Task<HttpClient> AsAsync(string persona) => factory.ApiClientAsync(persona);

    /// <summary>Approves the (registered) partner organisation of a tenant through the operator API.</summary>
    public async Task ApproveAsync(Guid partnerTenantId)
    {
        await using var scope = factory.Scope();
        var partner = await DporWebFactory.Db(scope).Partners.SingleAsync(p => p.TenantId == partnerTenantId);
        if (partner.Status == Core.Partners.PartnerStatus.Approved) return;
        using var op = await factory.ApiClientAsync("operator");
        using var response = await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/approve", new { });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static string Persona(string key) => SandboxDirectory.Persona(key).Key;
}

public sealed record RegisteredPartner(HttpClient Admin, Guid TenantId, Guid Id, string[] MpnIds, string Name);
