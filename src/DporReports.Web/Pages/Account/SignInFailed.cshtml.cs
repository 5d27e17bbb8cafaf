using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace DporReports.Web.Pages.Account;

/// <summary>
/// What a person sees when the sign-in callback cannot complete (an answer from Entra ID with an error, a forged or replayed
/// state, a browser that lost the correlation cookie): a page that says so and offers to try again, with status 400. The
/// OpenID Connect handler hands the request here (<see cref="Handle"/>); the route is the handler's callback path, so a
/// callback never reaches this page unless it failed. Entra ID's own error text is logged, never shown.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class SignInFailedModel(ILogger<SignInFailedModel> log) : PageModel
{
    private const string ReasonItem = "dpor.signin-failure";

    // A fixed map: the page never echoes what the callback carried.
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["expired"] = "The sign-in took too long or started in another browser window, so it could not be completed. Start it again from here.",
        ["refused"] = "Microsoft's sign-in did not sign you in (it was cancelled or refused). You can try again, or ask your administrator whether your account may use DporReports.",
        ["invalid"] = "The answer from the sign-in page could not be checked, so you were not signed in. Start the sign-in again from here.",
    };

    public string Reason { get; private set; } = "invalid";
    public string Message => Messages[Reason];

    /// <summary>The OpenID Connect handler's remote failure: logged, then passed on to this page instead of a 500.</summary>
    public static Task Handle(RemoteFailureContext context)
    {
        var reason = context.Failure switch
        {
            OpenIdConnectProtocolException => "refused",
            { Message: var message } when message.Contains("Correlation failed", StringComparison.Ordinal) => "expired",
            _ => "invalid",
        };
        context.HttpContext.Items[ReasonItem] = reason;
        context.HttpContext.RequestServices.GetRequiredService<ILogger<SignInFailedModel>>()
            .LogWarning(context.Failure, "Sign-in callback failed ({Reason})", reason);
        context.SkipHandler();
        return Task.CompletedTask;
    }

    public void OnGet() => Fail();

    public void OnPost() => Fail();

    private void Fail()
    {
        if (HttpContext.Items[ReasonItem] is string reason && Messages.ContainsKey(reason)) Reason = reason;
        else log.LogWarning("The sign-in callback page was reached without a failure from the handler");
        Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
