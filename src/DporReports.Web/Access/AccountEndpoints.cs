using DporReports.Core.Identity;
using DporReports.Web.Operations;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace DporReports.Web.Access;

public sealed record MeView(Guid TenantId, Guid? ObjectId, string DisplayName, string? UserPrincipalName, bool IsGuest,
    IReadOnlySet<string> DirectoryRoles, IReadOnlySet<string> AppRoles);

public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        app.MapGet("/account/signin", (string? returnUrl) =>
            TypedResults.Challenge(new AuthenticationProperties { RedirectUri = ReturnUrls.LocalOrRoot(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
            .ExcludeFromDescription();
        app.MapPost("/account/signout", SignOutAsync).ExcludeFromDescription();
        app.MapGet("/api/me", (HttpContext http) =>
            {
                var user = SignedInUser.Require(http.User);
                return TypedResults.Ok(new MeView(user.TenantId, user.ObjectId, user.DisplayName, user.UserPrincipalName, user.IsGuest,
                    user.DirectoryRoles, user.AppRoles));
            })
            .RequireAuthorization(SignInModule.ApiPolicy)
            .WithApiConventions()
            .WithTags(ApiTags.Account)
            .WithName("GetMe")
            .WithSummary("Who the bearer token says you are.");
        return app;
    }

    /// <summary>
    /// Sign-out is a state change: without the page's antiforgery token, another site could sign a person out (and, through
    /// Entra ID's logout, out of Microsoft) with a hidden form. Pages post the token from the layout's form.
    /// </summary>
    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request could not be read",
                detail: "Sign out with the Sign out button of a DporReports page: this request carried no valid form token.",
                extensions: new Dictionary<string, object?> { ["code"] = "antiforgery_token_invalid" });
        return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
    }
}
