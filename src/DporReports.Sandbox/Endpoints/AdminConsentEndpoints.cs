using DporReports.Sandbox.Hosting;
using DporReports.Sandbox.Tokens;

namespace DporReports.Sandbox.Endpoints;

/// <summary>
/// <c>/{tenant}/v2.0/adminconsent</c>: a Global Administrator grants the app's application permissions to their tenant,
/// which is what later client credentials calls for that tenant need.
/// </summary>
internal static class AdminConsentEndpoints
{
    public const string PageTitle = "Admin consent — DporReports sandbox";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(15);

    public static void MapAdminConsentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{tenant}/v2.0/adminconsent", ShowPicker);
        app.MapPost("/{tenant}/v2.0/adminconsent", DecideAsync);
    }

    private static IResult ShowPicker(string tenant, HttpContext context, SandboxState state)
    {
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
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

        var requestId = state.Grants.AddConsent(new PendingConsent(
            segment, redirectUri, query["state"].FirstOrDefault(), query["scope"].FirstOrDefault(), state.Time.GetUtcNow() + PendingLifetime));
        var admins = SandboxDirectory.Personas.Where(p => CanConsent(segment, p));
        return Html.Page(PageTitle, $"""
            <h1>{Html.E(PageTitle)}</h1>
            <p class="note">DporReports asks for the application permissions Organization.Read.All and Reports.Read.All.
            Choose a Global Administrator to grant them for their organisation, or cancel.</p>
            <form method="post" action="{Html.E(context.Request.PathBase + context.Request.Path)}">
            <input type="hidden" name="request_id" value="{Html.E(requestId)}">
            {Html.PersonaGroups(admins)}
            <button type="submit" name="cancel" value="1" class="cancel">Cancel</button>
            </form>
            """);
    }

    private static async Task<IResult> DecideAsync(HttpContext context, SandboxState state)
    {
        if (!context.Request.HasFormContentType)
        {
            return Html.Error("The consent form was not posted.");
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var pending = state.Grants.TakeConsent(form["request_id"].ToString());
        if (pending is null || pending.ExpiresAt < state.Time.GetUtcNow())
        {
            return Html.Error("The consent request is unknown or has expired. Start again from the application.");
        }
        var encodedState = Loopback.Encode(pending.State);
        if (form["cancel"].ToString() == "1")
        {
            return Results.Redirect(Loopback.Append(pending.RedirectUri,
            [
                ("error", "access_denied"),
                ("error_subcode", "cancel"),
                ("error_description", "AADSTS65004%3a+User+declined+to+consent"),
                ("state", encodedState),
            ]));
        }

        var personaKey = form["persona"].ToString();
        if (!SandboxDirectory.TryGetPersona(personaKey, out var persona) || !CanConsent(pending.Tenant, persona))
        {
            return Html.Error($"Persona '{personaKey}' cannot grant admin consent on '{pending.Tenant.Raw}'. Start again.");
        }
        state.Consents.Grant(persona.TenantId);
        return Results.Redirect(Loopback.Append(pending.RedirectUri,
        [
            ("admin_consent", "True"),
            ("tenant", persona.TenantId.ToString()),
            ("state", encodedState),
            ("scope", Loopback.Encode(pending.Scope)),
        ]));
    }

    /// <summary>Only a tenant's own Global Administrators (members with an oid) consent for it; guests and technicians do not.</summary>
    private static bool CanConsent(TenantSegment segment, SandboxPersona persona) =>
        segment.Allows(persona)
        && persona.ObjectId is not null
        && persona.Acct == 0
        && persona.Idp is null
        && persona.Wids.Contains(SandboxDirectory.GlobalAdministratorRoleId)
        && SandboxDirectory.FindTenant(persona.TenantId)?.Kind is "customer" or "partner";
}
