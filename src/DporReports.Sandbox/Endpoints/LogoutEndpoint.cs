namespace DporReports.Sandbox.Endpoints;

/// <summary>Front-channel sign-out. The sandbox keeps no browser session, so this only sends the user back.</summary>
internal static class LogoutEndpoint
{
    public static void MapLogoutEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet("/{tenant}/oauth2/v2.0/logout", (HttpContext context) =>
        {
            var redirectUri = context.Request.Query["post_logout_redirect_uri"].FirstOrDefault();
            if (Loopback.IsRedirectUri(redirectUri))
            {
                var state = context.Request.Query["state"].FirstOrDefault();
                return Results.Redirect(Loopback.Append(redirectUri, [("state", Loopback.Encode(state))]));
            }
            return Html.Page("Signed out — DporReports sandbox",
                """<h1>You have signed out</h1><p class="note">You can close this window.</p>""");
        });
}
