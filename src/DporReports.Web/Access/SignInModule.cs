using System.Text.Json;
using DporReports.Core.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Identity.Web;

namespace DporReports.Web.Access;

public static class SignInModule
{
    public const string ApiPolicy = "Api";

    /// <summary>
    /// Microsoft.Identity.Web, multi-tenant: OpenID Connect + cookie for pages, JWT bearer for /api. In Development
    /// against the local sandbox the pipeline is the same; only the instance URL and the pinned certificate differ.
    /// </summary>
    public static WebApplicationBuilder AddSignIn(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var azureAd = builder.Configuration.GetSection(EntraIdOptions.SectionName);
        services.AddEntraIdChecks();
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddAuthentication(OpenIdConnectDefaults.AuthenticationScheme)
            .AddMicrosoftIdentityWebApp(azureAd, OpenIdConnectDefaults.AuthenticationScheme, CookieAuthenticationDefaults.AuthenticationScheme)
            .EnableTokenAcquisitionToCallDownstreamApi();
        services.AddTokenCache(builder.Configuration);
        services.AddAuthentication().AddMicrosoftIdentityWebApi(azureAd, JwtBearerDefaults.AuthenticationScheme);

        // Keep Entra's short claim names (tid, oid, wids, roles, idp, acct) exactly as issued.
        services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = EntraClaims.Name;
            o.TokenValidationParameters.RoleClaimType = EntraClaims.AppRoles;
            // A callback that cannot complete is a page that says so (400), never an unhandled 500.
            var remoteFailure = o.Events.OnRemoteFailure;
            o.Events.OnRemoteFailure = async context =>
            {
                await remoteFailure(context);
                if (context.Result is null) await Pages.Account.SignInFailedModel.Handle(context);
            };
            // The target travelled in the protected state, but is checked again where it is used.
            var ticketReceived = o.Events.OnTicketReceived;
            o.Events.OnTicketReceived = async context =>
            {
                await ticketReceived(context);
                context.ReturnUri = ReturnUrls.LocalOrRoot(context.ReturnUri);
            };
        });
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = EntraClaims.Name;
            o.TokenValidationParameters.RoleClaimType = EntraClaims.AppRoles;
        });
        services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
        {
            o.AccessDeniedPath = "/access-denied";
            o.Cookie.Name = "dpor.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.AddLocalEntraForDevelopment(builder.Configuration, builder.Environment);

        var apiScope = builder.Configuration[$"{AccessOptions.SectionName}:{nameof(AccessOptions.ApiScope)}"] ?? new AccessOptions().ApiScope;
        services.AddAuthorization(options =>
        {
            AccessPolicies.Add(options);
            // The scope through SignedInUser, compared ordinally like every role check (Identity.Web's RequireScope is not
            // this product's rule to keep).
            options.AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(EntraClaims.TenantId)
                .RequireAssertion(context => SignedInUser.From(context.User)?.Scopes.Contains(apiScope) == true));
        });
        services.AddScoped<IAuthorizationHandler, AccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiRefusalWriter>();
        // One X-Frame-Options for every response (DENY, with frame-ancestors 'none'), set by SecurityHeaders.
        services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true);
        return builder;
    }
}

/// <summary>
/// Refusals on /api say why (problem details with the failed requirement's reason); pages keep the cookie
/// handler's redirects to sign-in and access denied.
/// </summary>
internal sealed class ApiRefusalWriter : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Forbidden && context.Request.Path.StartsWithSegments("/api"))
        {
            var reasons = result.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToList() ?? [];
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new ProblemDetails
            {
                Status = 403,
                Title = "Not allowed",
                Detail = reasons.Count > 0 ? string.Join(" ", reasons) : "Your sign-in does not allow this operation.",
                Extensions = { ["code"] = "forbidden" },
            }, JsonSerializerOptions.Web, contentType: "application/problem+json");
            return;
        }
        await _default.HandleAsync(next, context, policy, result);
    }
}
