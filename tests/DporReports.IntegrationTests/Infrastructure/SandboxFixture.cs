using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Identity;
using DporReports.Sandbox;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// One real sandbox (local Entra ID) for the whole integration run, on dynamic loopback ports. Tests get tokens from its
/// test endpoint over HTTPS, exactly as a bench or another client would, and the web host validates them with the real
/// Microsoft.Identity.Web pipeline.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public LocalEntraTrust Trust { get; private set; } = null!;

    /// <summary>
    /// Microsoft.Identity.Web keeps one issuer validator per authority for the whole process, made with an HTTP client of
    /// the first host that needed it. Were that host disposed before the validator first read the sandbox's metadata (a
    /// test that never validates a token), every later host would fail to validate any token. This host, alive for the
    /// whole run, validates one first.
    /// </summary>
    private DporWebFactory? _anchor;

    public async Task InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions { Host = "127.0.0.1", HttpPort = 0, HttpsPort = 0 }, "Development");
        Trust = new LocalEntraTrust(Server.Certificate);
        Api = new HttpClient(Trust.CreateHandler()) { BaseAddress = Server.HttpsBaseUrl };
        _anchor = new DporWebFactory(this);
        using var client = await _anchor.ApiClientAsync("operator");
        (await client.GetAsync("/api/me")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _anchor?.Dispose();
        Api.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A signed access token for a sandbox persona, for the DporReports API unless told otherwise.</summary>
    public Task<string> TokenAsync(string persona, string? scopes = null, IDictionary<string, object?>? claims = null,
        string? audience = null, int? lifetimeSeconds = null) =>
        MintAsync(new { persona, scopes, claims, audience, lifetimeSeconds });

    /// <summary>A signed access token with exactly the given identity claims (no persona).</summary>
    public Task<string> TokenWithClaimsAsync(IDictionary<string, object?> claims, string? scopes = null) =>
        MintAsync(new { persona = (string?)null, scopes, claims, audience = (string?)null, lifetimeSeconds = (int?)null });

    private async Task<string> MintAsync(object request)
    {
        using var response = await Api.PostAsJsonAsync("_sandbox/tokens", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"sandbox mint failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}

[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "integration";
}
