using System.Text.Json;
using DporReports.Sandbox.Hosting;

namespace DporReports.Sandbox.Endpoints;

/// <summary>Body of <c>POST /_sandbox/tokens</c>.</summary>
/// <param name="Persona">Persona key; null for a token made of <paramref name="Claims"/> only.</param>
/// <param name="Audience">The <c>aud</c> claim; null gives the API's v2 audience, the client id.</param>
/// <param name="Claims">Extra or overriding claims; a null value removes the claim.</param>
/// <param name="Scopes">The <c>scp</c> claim; null gives "access_as_user", an empty string leaves <c>scp</c> out.</param>
/// <param name="LifetimeSeconds">Null gives 3600; negative gives an already expired token.</param>
internal sealed record MintRequest(
    string? Persona, string? Audience, string? Scopes, Dictionary<string, JsonElement>? Claims, int? LifetimeSeconds);

/// <summary>
/// The <c>/_sandbox/</c> API for tests and the bench (HTTPS listener only): mint tokens, read the directory and the
/// token log, and grant or revoke admin consent without a browser.
/// </summary>
internal static class TestApiEndpoints
{
    public static void MapTestApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/_sandbox");
        // The test API is backchannel only; the plain-HTTP listener is for browsers.
        api.AddEndpointFilter((context, next) =>
            context.HttpContext.Request.IsHttps ? next(context) : ValueTask.FromResult<object?>(Results.NotFound()));

        api.MapPost("/tokens", MintAsync);
        api.MapGet("/personas", () => Results.Json(SandboxDirectory.Personas));
        api.MapGet("/tenants", () => Results.Json(SandboxDirectory.Tenants));
        api.MapGet("/token-requests", (SandboxState state) => Results.Json(state.TokenLog.Entries));
        api.MapDelete("/token-requests", (SandboxState state) =>
        {
            state.TokenLog.Clear();
            return Results.NoContent();
        });
        api.MapGet("/tenants/{tid:guid}/consent", (Guid tid, SandboxState state) =>
            KnownTenant(state, tid) ?? Results.Json(new { granted = state.Consents.IsGranted(tid) }));
        api.MapPost("/tenants/{tid:guid}/consent", (Guid tid, SandboxState state) =>
        {
            if (KnownTenant(state, tid) is { } notFound)
            {
                return notFound;
            }
            state.Consents.Grant(tid);
            return Results.Json(new { granted = true });
        });
        api.MapDelete("/tenants/{tid:guid}/consent", (Guid tid, SandboxState state) =>
        {
            if (KnownTenant(state, tid) is { } notFound)
            {
                return notFound;
            }
            state.Consents.Revoke(tid);
            return Results.Json(new { granted = false });
        });
    }

    private static async Task<IResult> MintAsync(HttpContext context, SandboxState state)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Results.BadRequest(new { error = "Send the request as application/json." });
        }
        MintRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<MintRequest>(context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Results.BadRequest(new { error = $"The body is not valid JSON: {ex.Message}" });
        }
        if (request is null || request.Persona is null && request.Claims is null)
        {
            return Results.BadRequest(new { error = "Give a persona, claims, or both." });
        }
        SandboxPersona? persona = null;
        if (request.Persona is not null && !SandboxDirectory.TryGetPersona(request.Persona, out persona))
        {
            return Results.BadRequest(new
            {
                error = $"Unknown persona '{request.Persona}'. Known personas: {string.Join(", ", SandboxDirectory.Personas.Select(p => p.Key))}.",
            });
        }

        var overrides = request.Claims?.ToDictionary(c => c.Key, c => ToClaimValue(c.Value));
        var (accessToken, idToken) = state.Issuer.Mint(
            persona,
            request.Audience ?? state.Issuer.ApiAudience,
            request.Scopes ?? "access_as_user",
            overrides,
            request.LifetimeSeconds ?? 3600);
        return Results.Json(new { accessToken, idToken });
    }

    private static IResult? KnownTenant(SandboxState state, Guid tid) =>
        !state.Graph.Knows(tid) ? Results.NotFound(new { error = $"Tenant '{tid}' is not in the sandbox directory." }) : null;

    /// <summary>JSON values as the plain CLR values the token handler writes back as JSON (arrays stay arrays).</summary>
    private static object? ToClaimValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole : value.GetDouble(),
        JsonValueKind.Array => value.EnumerateArray().Select(ToClaimValue).ToArray(),
        _ => value.EnumerateObject().ToDictionary(p => p.Name, p => ToClaimValue(p.Value)),
    };
}
