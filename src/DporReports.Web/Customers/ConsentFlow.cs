using System.Security.Cryptography;
using DporReports.Core.Identity;
using DporReports.Core.Shared;
using DporReports.Core.Tenants;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace DporReports.Web.Customers;

/// <summary>
/// "Connect this tenant": the Entra ID v2 admin consent flow. The state travels in a protected, short-lived, single-use
/// cookie bound to the signed-in tenant; the callback refuses a forged or replayed state, a refusal of consent, and a
/// consent granted in another tenant than the signed-in user's.
/// </summary>
public sealed class ConsentFlow(IOptionsMonitor<OpenIdConnectOptions> oidc, IOptions<EntraIdOptions> entra, IDataProtectionProvider protection,
    TenantConnections connections, TimeProvider clock)
{
    public const string CallbackPath = "/customer/connect/callback";
    private const string CookieName = "dpor.consent";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly IDataProtector _protector = protection.CreateProtector("DporReports.AdminConsentState.v1");

    /// <summary>The admin consent URL to send the browser to, after checking the user may connect the tenant.</summary>
    public async Task<Outcome<string>> StartAsync(HttpContext http, SignedInUser user)
    {
        var decision = GlobalAdministratorRule.Evaluate(user, user.TenantId);
        if (!decision.Allowed) return Problem.Forbidden("not_own_global_administrator", decision.Reason);

        var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var expires = clock.GetUtcNow().Add(Lifetime);
        http.Response.Cookies.Append(CookieName, _protector.Protect($"{state}|{user.TenantId}|{expires.ToUnixTimeSeconds()}"), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax, // the consent page sends the browser back with a top-level GET
            Path = CallbackPath,
            MaxAge = Lifetime,
        });

        // The browser-facing authority comes from the sign-in metadata: login.microsoftonline.com in production,
        // the sandbox's plain-HTTP pages locally.
        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var metadata = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
        var authority = new Uri(metadata.AuthorizationEndpoint).GetLeftPart(UriPartial.Authority);
        var redirect = $"{http.Request.Scheme}://{http.Request.Host}{CallbackPath}";
        return $"{authority}/{user.TenantId}/v2.0/adminconsent?client_id={Uri.EscapeDataString(entra.Value.ClientId ?? "")}"
            + $"&scope={Uri.EscapeDataString("https://graph.microsoft.com/.default")}&redirect_uri={Uri.EscapeDataString(redirect)}"
            + $"&state={state}";
    }

    /// <summary>Checks the answer and connects the tenant; the code says what went wrong for the page to explain.</summary>
    public async Task<Outcome<CustomerTenant>> CompleteAsync(HttpContext http, SignedInUser user, string? adminConsent, string? tenant,
        string? state, string? error, CancellationToken ct)
    {
        var cookie = http.Request.Cookies[CookieName];
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = CallbackPath });
        if (!string.IsNullOrEmpty(error))
            return Problem.Conflict("consent_declined", "Consent was not granted, so the tenant is not connected. You can try again at any time.");
        if (cookie is null || !TryRead(cookie, out var expected, out var expectedTenant, out var expires)
            || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(state ?? "")))
            return Problem.Forbidden("consent_state_invalid", "This consent answer does not match a request from this browser (or was already used). Start again with Connect this tenant.");
        if (clock.GetUtcNow() > expires)
            return Problem.Forbidden("consent_state_expired", "The consent request expired. Start again with Connect this tenant.");
        if (!string.Equals(adminConsent, "True", StringComparison.OrdinalIgnoreCase))
            return Problem.Conflict("consent_declined", "Consent was not granted, so the tenant is not connected.");
        if (!Guid.TryParse(tenant, out var consentedTenant) || consentedTenant != user.TenantId || consentedTenant != expectedTenant)
            return Problem.Forbidden("consent_other_tenant", "Consent was granted in another tenant than the one you are signed in to. Sign in to that tenant to connect it.");
        return await connections.ConnectAsync(user, consentedTenant, ct);
    }

    private bool TryRead(string cookie, out string state, out Guid tenant, out DateTimeOffset expires)
    {
        (state, tenant, expires) = ("", Guid.Empty, DateTimeOffset.MinValue);
        try
        {
            var parts = _protector.Unprotect(cookie).Split('|');
            if (parts.Length != 3 || !Guid.TryParse(parts[1], out tenant) || !long.TryParse(parts[2], out var unix)) return false;
            (state, expires) = (parts[0], DateTimeOffset.FromUnixTimeSeconds(unix));
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

public static class ConsentEndpoints
{
    public static IServiceCollection AddCustomerPages(this IServiceCollection services) => services.AddScoped<ConsentFlow>();

    public static WebApplication MapConsentEndpoints(this WebApplication app)
    {
        app.MapGet(ConsentFlow.CallbackPath, async (HttpContext http, ConsentFlow flow, string? admin_consent, string? tenant, string? state,
                string? error, CancellationToken ct) =>
            {
                var user = SignedInUser.Require(http.User);
                var outcome = await flow.CompleteAsync(http, user, admin_consent, tenant, state, error, ct);
                return Results.Redirect(outcome.Succeeded ? "/customer?connect=connected" : $"/customer?connect={outcome.Problem!.Code}");
            })
            .RequireAuthorization(Access.AccessPolicies.Customer)
            .ExcludeFromDescription();
        return app;
    }
}
