using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using DporReports.Sandbox.Hosting;
using DporReports.Sandbox.Tokens;

namespace DporReports.Sandbox.Endpoints;

/// <summary>The browser-facing sign-in: a persona picker instead of a password prompt.</summary>
internal static class AuthorizeEndpoints
{
    public const string PageTitle = "Sign in — DporReports sandbox";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    public static void MapAuthorizeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{tenant}/oauth2/v2.0/authorize", ShowPicker);
        app.MapPost("/{tenant}/oauth2/v2.0/authorize", PickPersonaAsync);
    }

    private static IResult ShowPicker(string tenant, HttpContext context, SandboxState state)
    {
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        var responseType = query["response_type"].ToString();
        if (!TenantSegment.TryParse(tenant, out var segment) || segment.TenantId is { } id && SandboxDirectory.FindTenant(id) is null)
        {
            return Html.Error($"AADSTS90002: Tenant '{tenant}' not found.");
        }
        if (!string.Equals(clientId, state.Options.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return Html.Error($"AADSTS700016: Application with identifier '{clientId}' was not found in the directory.");
        }
        if (!Loopback.IsRedirectUri(redirectUri))
        {
            return Html.Error($"AADSTS50011: The redirect URI '{redirectUri}' is not a loopback URL; the sandbox only redirects to this machine.");
        }
        var types = responseType.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (types.Length == 0 || types.Any(t => t is not ("code" or "id_token")))
        {
            return Html.Error($"AADSTS700054: response_type '{responseType}' is not supported; use 'code', 'id_token' or 'code id_token'.");
        }
        var responseMode = query["response_mode"].FirstOrDefault() ?? (types.Contains("id_token") ? "fragment" : "query");
        if (responseMode is not ("query" or "fragment" or "form_post"))
        {
            return Html.Error($"AADSTS900144: response_mode '{responseMode}' is not supported.");
        }

        var requestId = state.Grants.AddAuthorization(new PendingAuthorization(
            segment, clientId, redirectUri, responseType, responseMode,
            query["state"].FirstOrDefault(), query["nonce"].FirstOrDefault(), query["scope"].FirstOrDefault(),
            query["code_challenge"].FirstOrDefault(), query["code_challenge_method"].FirstOrDefault(),
            state.Time.GetUtcNow() + PendingLifetime));

        var personas = SandboxDirectory.Personas.Where(segment.Allows);
        return Html.Page(PageTitle, $"""
            <h1>{Html.E(PageTitle)}</h1>
            <p class="note">This is the local Entra ID stand-in. Choose who to sign in as; no password is needed.</p>
            <form method="post" action="{Html.E(context.Request.PathBase + context.Request.Path)}">
            <input type="hidden" name="request_id" value="{Html.E(requestId)}">
            {Html.PersonaGroups(personas)}
            </form>
            """);
    }

    private static async Task<IResult> PickPersonaAsync(HttpContext context, SandboxState state)
    {
        if (!context.Request.HasFormContentType)
        {
            return Html.Error("The sign-in form was not posted.");
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var pending = state.Grants.TakeAuthorization(form["request_id"].ToString());
        if (pending is null || pending.ExpiresAt < state.Time.GetUtcNow())
        {
            return Html.Error("AADSTS50058: The sign-in request is unknown or has expired. Start the sign-in again from the application.");
        }
        var personaKey = form["persona"].ToString();
        if (!SandboxDirectory.TryGetPersona(personaKey, out var persona) || !pending.Tenant.Allows(persona))
        {
            return Html.Error($"Persona '{personaKey}' cannot sign in on '{pending.Tenant.Raw}'. Start the sign-in again.");
        }

        var types = pending.ResponseType.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? code = null;
        if (types.Contains("code"))
        {
            code = state.Grants.AddCode(new AuthorizationCode(
                persona.Key, pending.ClientId, pending.RedirectUri, pending.Nonce, pending.Scope,
                pending.CodeChallenge, pending.CodeChallengeMethod, state.Time.GetUtcNow() + CodeLifetime));
        }
        var idToken = types.Contains("id_token")
            ? state.Issuer.IssueIdToken(persona, pending.ClientId, pending.Nonce, code is null ? null : CodeHash(code))
            : null;
        (string Name, string? Value)[] response = [("code", code), ("id_token", idToken), ("state", pending.State)];

        if (pending.ResponseMode == "form_post")
        {
            var inputs = string.Concat(response.Where(p => p.Value is not null)
                .Select(p => $"""<input type="hidden" name="{p.Name}" value="{Html.E(p.Value)}">"""));
            return Html.Page("Signing in — DporReports sandbox", $"""
                <h1>Signing you in…</h1>
                <form method="post" action="{Html.E(pending.RedirectUri)}">
                {inputs}
                <noscript><p class="note">Scripts are off: press Continue to return to the application.</p></noscript>
                <button type="submit">Continue</button>
                </form>
                <script>document.forms[0].submit();</script>
                """);
        }
        var target = Loopback.Append(pending.RedirectUri, response.Select(p => (p.Name, Loopback.Encode(p.Value))),
            fragment: pending.ResponseMode == "fragment");
        return Results.Redirect(target);
    }

    /// <summary>OIDC c_hash: base64url of the left half of SHA-256 of the code (for "code id_token").</summary>
    private static string CodeHash(string code) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(code)).AsSpan(0, 16));
}
