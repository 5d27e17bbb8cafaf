using DporReports.Sandbox.Hosting;

namespace DporReports.Sandbox.Endpoints;

/// <summary>OpenID Connect metadata, signing keys and MSAL's instance discovery.</summary>
internal static class DiscoveryEndpoints
{
    private static readonly string[] AuthMethods = ["client_secret_post", "client_secret_basic"];
    private static readonly string[] ResponseTypes = ["code", "id_token", "code id_token"];
    private static readonly string[] ResponseModes = ["query", "fragment", "form_post"];
    private static readonly string[] SubjectTypes = ["pairwise"];
    private static readonly string[] SigningAlgorithms = ["RS256"];
    private static readonly string[] CodeChallengeMethods = ["plain", "S256"];
    private static readonly string[] Scopes = ["openid", "profile", "email", "offline_access"];
    private static readonly string[] Claims =
    [
        "sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "c_hash", "name", "preferred_username",
        "tid", "oid", "wids", "roles", "idp", "acct", "ver", "cloud_instance_name",
    ];

    public static void MapDiscoveryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", Metadata);
        app.MapGet("/{tenant}/discovery/v2.0/keys", (string tenant, HttpContext context, SandboxState state) =>
            TenantSegment.TryParse(tenant, out _) ? Results.Json(state.Issuer.Jwks()) : UnknownTenant(context, state, tenant));
        app.MapGet("/common/discovery/instance", InstanceDiscovery);
    }

    private static IResult Metadata(string tenant, HttpContext context, SandboxState state)
    {
        if (!TenantSegment.TryParse(tenant, out var segment))
        {
            return UnknownTenant(context, state, tenant);
        }
        var https = state.Urls.Https;
        var http = state.Urls.Http;
        return Results.Json(new Dictionary<string, object>
        {
            // Entra publishes the literal "{tenantid}" template for the multi-tenant endpoints.
            ["issuer"] = state.Urls.Issuer(segment.TenantId?.ToString() ?? "{tenantid}"),
            ["authorization_endpoint"] = $"{http}{tenant}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{https}{tenant}/oauth2/v2.0/token",
            ["jwks_uri"] = $"{https}{tenant}/discovery/v2.0/keys",
            ["end_session_endpoint"] = $"{http}{tenant}/oauth2/v2.0/logout",
            ["token_endpoint_auth_methods_supported"] = AuthMethods,
            ["response_types_supported"] = ResponseTypes,
            ["response_modes_supported"] = ResponseModes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
            ["code_challenge_methods_supported"] = CodeChallengeMethods,
            ["scopes_supported"] = Scopes,
            ["claims_supported"] = Claims,
            ["request_uri_parameter_supported"] = false,
            ["frontchannel_logout_supported"] = true,
            ["http_logout_supported"] = true,
            ["tenant_region_scope"] = "EU",
            ["cloud_instance_name"] = "microsoftonline.com",
            ["cloud_graph_host_name"] = "graph.windows.net",
            ["msgraph_host"] = "graph.microsoft.com",
        });
    }

    /// <summary>
    /// MSAL's instance discovery. Aliases are hosts without the port (MSAL keys its cache by <c>Uri.Host</c>); the
    /// request's own host is listed too in case the caller reached us under another loopback name.
    /// </summary>
    private static IResult InstanceDiscovery(HttpContext context, SandboxState state)
    {
        var host = state.Urls.HttpsHost;
        var aliases = new[] { host, context.Request.Host.Host }.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return Results.Json(new Dictionary<string, object>
        {
            ["tenant_discovery_endpoint"] = $"{state.Urls.Https}common/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[]
            {
                new Dictionary<string, object> { ["preferred_network"] = host, ["preferred_cache"] = host, ["aliases"] = aliases },
            },
        });
    }

    private static IResult UnknownTenant(HttpContext context, SandboxState state, string tenant) =>
        EntraError.Json(context, state.Time, StatusCodes.Status400BadRequest, "invalid_tenant", 90002,
            $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
}
