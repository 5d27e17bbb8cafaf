using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DporReports.Sandbox.Hosting;
using DporReports.Sandbox.Tokens;

namespace DporReports.Sandbox.Endpoints;

/// <summary>
/// <c>POST /{tenant}/oauth2/v2.0/token</c>: authorization code (with PKCE), refresh token and client credentials,
/// answering and failing the way Entra ID does so MSAL behaves as in production.
/// </summary>
internal static class TokenEndpoint
{
    private sealed record Outcome(IResult Result, string? PersonaKey = null, string? Error = null);

    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/{tenant}/oauth2/v2.0/token", HandleAsync);

    private static async Task<IResult> HandleAsync(string tenant, HttpContext context, SandboxState state)
    {
        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : FormCollection.Empty;
        var grantType = form["grant_type"].ToString();
        var (clientId, clientSecret) = ClientCredentials(context, form);

        var outcome = Authenticate(context, state, clientId, clientSecret) ?? grantType switch
        {
            "authorization_code" => AuthorizationCode(context, state, form, clientId!),
            "refresh_token" => RefreshToken(context, state, form, clientId!),
            "client_credentials" => ClientCredentialsGrant(context, state, tenant, form, clientId!),
            "" => Fail(context, state, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."),
            _ => Fail(context, state, 400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grantType}'."),
        };

        state.TokenLog.Add(new SandboxTokenRequest(
            state.Time.GetUtcNow(), tenant, grantType, clientId, outcome.PersonaKey, outcome.Error));
        return outcome.Result;
    }

    /// <summary>The client authenticates with client_secret in the form (what MSAL sends) or HTTP Basic.</summary>
    private static (string? ClientId, string? Secret) ClientCredentials(HttpContext context, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            && header.Parameter is not null)
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
                if (pair.Length == 2)
                {
                    // RFC 6749 2.3.1: both halves are form-urlencoded before base64.
                    return (WebUtility.UrlDecode(pair[0]), WebUtility.UrlDecode(pair[1]));
                }
            }
            catch (FormatException)
            {
                // Not base64: fall through to the form, which then fails authentication.
            }
        }
        return (form["client_id"].FirstOrDefault(), form["client_secret"].FirstOrDefault());
    }

    private static Outcome? Authenticate(HttpContext context, SandboxState state, string? clientId, string? secret)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return Fail(context, state, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
        }
        if (string.IsNullOrEmpty(secret))
        {
            return Fail(context, state, 401, "invalid_client", 7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        var knownClient = string.Equals(clientId, state.Options.ClientId, StringComparison.OrdinalIgnoreCase);
        var secretMatches = CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(state.Options.ClientSecret));
        return knownClient && secretMatches
            ? null
            : Fail(context, state, 401, "invalid_client", 7000215,
                $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");
    }

    private static Outcome AuthorizationCode(HttpContext context, SandboxState state, IFormCollection form, string clientId)
    {
        var codeValue = form["code"].ToString();
        if (codeValue.Length == 0)
        {
            return Fail(context, state, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'code'.");
        }
        var code = state.Grants.RedeemCode(codeValue);
        if (code is null)
        {
            return Fail(context, state, 400, "invalid_grant", 70000, "The provided authorization code is invalid or has already been redeemed.");
        }
        if (code.ExpiresAt < state.Time.GetUtcNow())
        {
            return Fail(context, state, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.");
        }
        if (!string.Equals(code.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(context, state, 400, "invalid_grant", 70000, "The authorization code was issued to another client.");
        }
        if (!string.Equals(code.RedirectUri, form["redirect_uri"].ToString(), StringComparison.Ordinal))
        {
            return Fail(context, state, 400, "invalid_grant", 50011,
                "The redirect URI specified in the request does not match the redirect URI used to obtain the authorization code.");
        }
        if (code.CodeChallenge is not null && PkceFailure(code, form["code_verifier"].FirstOrDefault()) is { } pkceError)
        {
            return Fail(context, state, 400, "invalid_grant", pkceError.Code, pkceError.Message);
        }
        var persona = SandboxDirectory.Persona(code.PersonaKey);
        return Issue(state, persona, clientId, form["scope"].FirstOrDefault() ?? code.Scope, code.Nonce);
    }

    private static (int Code, string Message)? PkceFailure(AuthorizationCode code, string? verifier)
    {
        if (string.IsNullOrEmpty(verifier))
        {
            return (501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
        }
        var expected = string.Equals(code.CodeChallengeMethod, "S256", StringComparison.Ordinal)
            ? Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(code.CodeChallenge!))
            ? null
            : (50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.");
    }

    private static Outcome RefreshToken(HttpContext context, SandboxState state, IFormCollection form, string clientId)
    {
        var grant = state.Grants.FindRefreshToken(form["refresh_token"].ToString());
        if (grant is null || !string.Equals(grant.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(context, state, 400, "invalid_grant", 9002313, "Invalid request. The refresh token is malformed, unknown or issued to another client.");
        }
        var persona = SandboxDirectory.Persona(grant.PersonaKey);
        return Issue(state, persona, clientId, form["scope"].FirstOrDefault() ?? grant.Scope, nonce: null);
    }

    private static Outcome Issue(SandboxState state, SandboxPersona persona, string clientId, string? scope, string? nonce)
    {
        var tokens = state.Issuer.IssueUserTokens(persona, clientId, scope, nonce);
        var refreshToken = state.Grants.AddRefreshToken(new RefreshGrant(persona.Key, clientId, scope));
        // MSAL builds its account from client_info. GDAP technicians have no oid, so uid falls back to a stable id.
        var uid = persona.ObjectId ?? SandboxDirectory.DeterministicGuid("persona:" + persona.Key);
        var clientInfo = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, string> { ["uid"] = uid.ToString(), ["utid"] = persona.TenantId.ToString() }));
        return new Outcome(Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = tokens.Scope,
            ["expires_in"] = TokenIssuer.LifetimeSeconds,
            ["ext_expires_in"] = TokenIssuer.LifetimeSeconds,
            ["access_token"] = tokens.AccessToken,
            ["refresh_token"] = refreshToken,
            ["id_token"] = tokens.IdToken,
            ["client_info"] = clientInfo,
        }), persona.Key);
    }

    private static Outcome ClientCredentialsGrant(HttpContext context, SandboxState state, string tenant, IFormCollection form, string clientId)
    {
        if (!TenantSegment.TryParse(tenant, out var segment) || segment.TenantId is not { } tenantId || !state.Graph.Knows(tenantId))
        {
            return Fail(context, state, 400, "invalid_request", 90002,
                $"Tenant '{tenant}' not found. Client credentials need a specific tenant: use the tenant id, not 'organizations' or 'common'.");
        }
        var scope = form["scope"].ToString();
        const string DefaultSuffix = "/.default";
        if (!scope.EndsWith(DefaultSuffix, StringComparison.Ordinal) || scope.Contains(' ', StringComparison.Ordinal))
        {
            return Fail(context, state, 400, "invalid_scope", 1002012,
                $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }
        if (!state.Consents.IsGranted(tenantId))
        {
            return Fail(context, state, 400, "unauthorized_client", 700016,
                $"Application with identifier '{clientId}' was not found in the directory '{tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.");
        }
        var token = state.Issuer.IssueAppToken(tenantId, clientId, scope[..^DefaultSuffix.Length]);
        return new Outcome(Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = TokenIssuer.LifetimeSeconds,
            ["ext_expires_in"] = TokenIssuer.LifetimeSeconds,
            ["access_token"] = token,
        }));
    }

    private static Outcome Fail(HttpContext context, SandboxState state, int statusCode, string error, int code, string message) =>
        new(EntraError.Json(context, state.Time, statusCode, error, code, message), Error: error);
}
