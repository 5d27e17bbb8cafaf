using DporReports.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace DporReports.Web.Access;

public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        app.MapGet("/account/signin", (string? returnUrl) =>
            TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
            .ExcludeFromDescription();
        app.MapPost("/account/signout", () =>
            TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
            .ExcludeFromDescription();
        app.MapGet("/api/me", (HttpContext http) => SignedInUser.From(http.User) is { } user
                ? Results.Ok(new { user.TenantId, user.ObjectId, user.DisplayName, user.UserPrincipalName, user.IsGuest, user.DirectoryRoles, user.AppRoles })
                : Results.Unauthorized())
            .RequireAuthorization(SignInModule.ApiPolicy)
            .WithSummary("Who the bearer token says you are.");
        return app;
    }

    // Only local paths: an open redirect after sign-in would hand the session's first page to an attacker's site.
    private static string LocalOnly(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
        && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/";
}
