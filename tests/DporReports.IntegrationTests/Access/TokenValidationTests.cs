using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DporReports.IntegrationTests.Access;

/// <summary>
/// Bearer tokens on /api go through Microsoft.Identity.Web's real validation against the sandbox's keys and issuer.
/// The attack: a forged, expired, mis-addressed or foreign-issued token reaching the API. Each case must be refused
/// before any of our code sees the request.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TokenValidationTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Me_ValidSandboxToken_ReturnsTheTokensIdentity()
    {
        using var client = await _app.ApiClientAsync("contoso-admin");

        using var response = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(SandboxDirectory.ContosoTenantId, me.GetProperty("tenantId").GetGuid());
        Assert.Equal(SandboxDirectory.Persona("contoso-admin").ObjectId, me.GetProperty("objectId").GetGuid());
    }

    [Fact]
    public async Task Api_NoToken_Returns401()
    {
        using var client = _app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/partners/lookup?partnerId=1234567")).StatusCode);
    }

    [Fact]
    public async Task Api_TokenSignedByAnotherKey_Returns401()
    {
        var genuine = new JsonWebToken(await sandbox.TokenAsync("contoso-admin"));
        var forged = Forge(genuine, new RsaSecurityKey(RSA.Create(2048)) { KeyId = genuine.Kid });

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(forged));
    }

    [Fact]
    public async Task Api_UnsignedToken_Returns401()
    {
        var genuine = await sandbox.TokenAsync("contoso-admin");
        var parts = genuine.Split('.');
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync($"{header}.{parts[1]}."));
    }

    [Fact]
    public async Task Api_ExpiredToken_Returns401()
    {
        var expired = await sandbox.TokenAsync("contoso-admin", lifetimeSeconds: -3600);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(expired));
    }

    [Fact]
    public async Task Api_TokenForAnotherAudience_Returns401()
    {
        var graphToken = await sandbox.TokenAsync("contoso-admin", audience: "00000003-0000-0000-c000-000000000000");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(graphToken));
    }

    [Fact]
    public async Task Api_IssuerTenantDiffersFromTid_Returns401()
    {
        var issuer = $"{sandbox.Server.HttpsBaseUrl}{SandboxDirectory.FabrikamTenantId}/v2.0";
        var token = await sandbox.TokenAsync("contoso-admin", claims: new Dictionary<string, object?> { ["iss"] = issuer });

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(token));
    }

    [Fact]
    public async Task Api_IssuerFromAnotherAuthority_Returns401()
    {
        var token = await sandbox.TokenAsync("contoso-admin",
            claims: new Dictionary<string, object?> { ["iss"] = $"https://evil.example/{SandboxDirectory.ContosoTenantId}/v2.0" });

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(token));
    }

    [Fact]
    public async Task Api_TokenWithoutTheApiScope_Returns403()
    {
        var token = await sandbox.TokenAsync("contoso-admin", scopes: "some_other_scope");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusWithAsync(token));
    }

    private async Task<HttpStatusCode> StatusWithAsync(string token)
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = SandboxFixture.Bearer(token);
        using var response = await client.GetAsync("/api/me");
        return response.StatusCode;
    }

    private static string Forge(JsonWebToken genuine, SecurityKey key)
    {
        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(genuine.EncodedPayload)).RootElement;
        var claims = payload.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.Clone());
        return new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
    }
}
