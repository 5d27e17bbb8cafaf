using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using DporReports.Sandbox.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DporReports.Sandbox.Tokens;

internal sealed record UserTokens(string AccessToken, string IdToken, string Scope);

/// <summary>Signs every token the sandbox hands out (token endpoint, implicit id_token and the test mint API).</summary>
internal sealed class TokenIssuer : IDisposable
{
    public const string KeyId = "dpor-sandbox-key-1";
    public const int LifetimeSeconds = 3600;
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    private const string GraphDelegatedScopes = "openid profile email offline_access User.Read";
    private const string GraphResponseScope = "openid profile email offline_access https://graph.microsoft.com/User.Read";
    private static readonly string[] AppOnlyRoles = ["Organization.Read.All", "Reports.Read.All"];

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SandboxOptions _options;
    private readonly SandboxUrls _urls;
    private readonly TimeProvider _time;

    public TokenIssuer(SandboxOptions options, SandboxUrls urls, TimeProvider time)
    {
        _options = options;
        _urls = urls;
        _time = time;
        _credentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256);
    }

    /// <summary>The App ID URI that names the API's scopes (<c>api://{ClientId}/access_as_user</c>).</summary>
    public string ApiScopePrefix => $"api://{_options.ClientId}";

    /// <summary>
    /// The <c>aud</c> of API tokens: v2.0 access tokens (the app registration accepts version 2) carry the bare client
    /// id, not the App ID URI, as Entra issues them.
    /// </summary>
    public string ApiAudience => _options.ClientId;

    /// <summary>The key every sandbox token is signed with, for validating them (the sandbox Graph checks its callers' tokens).</summary>
    public SecurityKey SigningKey => _credentials.Key;

    /// <summary>The JWKS document (public half of the signing key).</summary>
    public Dictionary<string, object> Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        var key = new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = KeyId,
            ["n"] = Base64Url.EncodeToString(parameters.Modulus),
            ["e"] = Base64Url.EncodeToString(parameters.Exponent),
        };
        return new Dictionary<string, object> { ["keys"] = new[] { key } };
    }

    /// <summary>Access and id token for a signed-in persona (authorization code and refresh token grants).</summary>
    public UserTokens IssueUserTokens(SandboxPersona persona, string clientId, string? requestedScope, string? nonce)
    {
        var (audience, scp, responseScope) = ResolveDelegatedScope(requestedScope);
        var access = AccessTokenClaims(persona, clientId, audience, scp);
        return new UserTokens(Sign(Stamp(access, LifetimeSeconds)), IssueIdToken(persona, clientId, nonce, codeHash: null), responseScope);
    }

    public string IssueIdToken(SandboxPersona persona, string clientId, string? nonce, string? codeHash)
    {
        var claims = IdentityClaims(persona, clientId);
        claims["iss"] = _urls.Issuer(persona.TenantId.ToString());
        claims["aud"] = clientId;
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }
        if (codeHash is not null)
        {
            claims["c_hash"] = codeHash;
        }
        return Sign(Stamp(claims, LifetimeSeconds));
    }

    /// <summary>App-only token (client credentials) for one tenant, with the application permissions the app asks for.</summary>
    public string IssueAppToken(Guid tenantId, string clientId, string resource)
    {
        var servicePrincipalId = SandboxDirectory.DeterministicGuid($"service-principal:{clientId}:{tenantId}").ToString();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = _urls.Issuer(tenantId.ToString()),
            ["aud"] = resource,
            ["tid"] = tenantId.ToString(),
            ["oid"] = servicePrincipalId,
            ["sub"] = servicePrincipalId,
            ["roles"] = AppOnlyRoles,
            ["azp"] = clientId,
            ["azpacr"] = "1",
            ["appid"] = clientId,
            ["idtyp"] = "app",
            ["ver"] = "2.0",
            ["uti"] = RandomString(16),
            ["rh"] = RandomString(24),
            ["aio"] = RandomString(32),
        };
        return Sign(Stamp(claims, LifetimeSeconds));
    }

    /// <summary>
    /// Test tokens: the persona's identity (or only <paramref name="overrides"/> when there is no persona), then the
    /// overrides (a null value removes a claim). The issuer follows the final <c>tid</c> unless an override sets it.
    /// </summary>
    public (string AccessToken, string IdToken) Mint(SandboxPersona? persona, string audience, string? scopes, IReadOnlyDictionary<string, object?>? overrides, int lifetimeSeconds)
    {
        var clientId = _options.ClientId;
        var access = persona is null
            ? new Dictionary<string, object> { ["ver"] = "2.0" }
            : AccessTokenClaims(persona, clientId, audience, scopes);
        access["aud"] = audience;
        if (persona is null && !string.IsNullOrEmpty(scopes))
        {
            access["scp"] = scopes;
        }
        var id = persona is null ? new Dictionary<string, object> { ["ver"] = "2.0" } : IdentityClaims(persona, clientId);
        id["aud"] = clientId;

        return (Sign(ApplyOverrides(Stamp(access, lifetimeSeconds), overrides)),
            Sign(ApplyOverrides(Stamp(id, lifetimeSeconds), overrides)));
    }

    public void Dispose() => _rsa.Dispose();

    private Dictionary<string, object> ApplyOverrides(Dictionary<string, object> claims, IReadOnlyDictionary<string, object?>? overrides)
    {
        foreach (var (name, value) in overrides ?? new Dictionary<string, object?>())
        {
            if (value is null)
            {
                claims.Remove(name);
            }
            else
            {
                claims[name] = value;
            }
        }
        if (overrides is null || !overrides.ContainsKey("iss"))
        {
            claims["iss"] = _urls.Issuer(claims.TryGetValue("tid", out var tid) ? tid.ToString()! : "organizations");
        }
        return claims;
    }

    private Dictionary<string, object> AccessTokenClaims(SandboxPersona persona, string clientId, string audience, string? scp)
    {
        var claims = IdentityClaims(persona, clientId);
        claims["iss"] = _urls.Issuer(persona.TenantId.ToString());
        claims["aud"] = audience;
        if (!string.IsNullOrEmpty(scp))
        {
            claims["scp"] = scp;
        }
        claims["azp"] = clientId;
        claims["azpacr"] = "1";
        claims["appid"] = clientId;
        claims["idtyp"] = "user";
        return claims;
    }

    /// <summary>The claims that describe the user, shared by id and access tokens.</summary>
    private static Dictionary<string, object> IdentityClaims(SandboxPersona persona, string clientId)
    {
        var claims = new Dictionary<string, object>
        {
            ["tid"] = persona.TenantId.ToString(),
            ["sub"] = PairwiseSubject(persona.Key, clientId),
            ["name"] = persona.DisplayName,
            ["preferred_username"] = persona.UserPrincipalName,
            ["acct"] = persona.Acct,
            ["ver"] = "2.0",
            ["uti"] = RandomString(16),
            ["rh"] = RandomString(24),
            ["aio"] = RandomString(32),
        };
        if (persona.ObjectId is { } oid)
        {
            claims["oid"] = oid.ToString();
        }
        if (persona.Wids.Count > 0)
        {
            claims["wids"] = persona.Wids.ToArray();
        }
        if (persona.AppRoles.Count > 0)
        {
            claims["roles"] = persona.AppRoles.ToArray();
        }
        if (persona.Idp is not null)
        {
            claims["idp"] = persona.Idp;
        }
        return claims;
    }

    /// <summary>
    /// A scope naming this app's API (<c>api://{ClientId}/X</c>) gives a token for the API; anything else gives a
    /// Graph token, as Entra does for a plain sign-in.
    /// </summary>
    private (string Audience, string Scp, string ResponseScope) ResolveDelegatedScope(string? requestedScope)
    {
        var prefix = ApiScopePrefix + "/";
        var apiScopes = (requestedScope ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(s => s[prefix.Length..] is ".default" ? "access_as_user" : s[prefix.Length..])
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return apiScopes.Length > 0
            ? (ApiAudience, string.Join(' ', apiScopes), string.Join(' ', apiScopes.Select(s => prefix + s)))
            : (GraphAppId, GraphDelegatedScopes, GraphResponseScope);
    }

    private Dictionary<string, object> Stamp(Dictionary<string, object> claims, int lifetimeSeconds)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var expires = now + lifetimeSeconds;
        // An expired test token still needs nbf before exp.
        var notBefore = lifetimeSeconds > 0 ? now : expires - LifetimeSeconds;
        claims["iat"] = notBefore;
        claims["nbf"] = notBefore;
        claims["exp"] = expires;
        return claims;
    }

    private string Sign(Dictionary<string, object> claims) =>
        _handler.CreateToken(new SecurityTokenDescriptor { Claims = claims, SigningCredentials = _credentials });

    /// <summary>Entra's <c>sub</c> is an opaque per-app string; derive one from the persona and client.</summary>
    private static string PairwiseSubject(string personaKey, string clientId) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($"sub:{clientId}:{personaKey}")));

    private static string RandomString(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
