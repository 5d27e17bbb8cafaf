using System.Net;
using System.Text.RegularExpressions;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DporReports.IntegrationTests.Security;

/// <summary>Sign-in, its callback and sign-out against the real OpenID Connect flow through the sandbox.</summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class SignInHardeningTests(SandboxFixture sandbox, SignInHardeningTests.Host host) : IClassFixture<SignInHardeningTests.Host>
{
    private readonly DporWebFactory _app = host.App;

    /// <summary>One host for these tests: each signs in its own browser.</summary>
    public sealed class Host(SandboxFixture sandbox) : IDisposable
    {
        public DporWebFactory App { get; } = new(sandbox);

        public void Dispose() => App.Dispose();
    }

    /// <summary>
    /// The attack: an open redirect after sign-in. A crafted sign-in link whose returnUrl the browser reads as another host
    /// (a TAB, CR, LF or vertical tab that browsers drop, a backslash they read as a slash, "//", an absolute or javascript:
    /// URL, percent-encoded forms) would hand the freshly signed-in person to the attacker's site; a control character
    /// even made the callback answer 500. Through the real sign-in, every one lands on "/".
    /// </summary>
    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("/\v/evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/\u00e9vil")]
    public async Task SignIn_HostileReturnUrl_LandsOnTheHomePage(string returnUrl)
    {
        using var browser = await _app.SignInAsync("contoso-admin", returnUrl, expectedLanding: "/");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/customer")).StatusCode);
    }

    /// <summary>
    /// The attack: anonymous requests to the sign-in callback with a forged state, an error from the identity provider, or
    /// a replay from another browser (no correlation cookie) used to be 500s — noise an attacker can produce at will, and a
    /// dead end for a person whose sign-in failed. Each is a 400 page that says so and offers to try again.
    /// </summary>
    [Fact]
    public async Task Callback_ForgedState_IsA400PageOfferingToTryAgain()
    {
        using var browser = Browser();

        using var response = await browser.PostAsync("/signin-oidc", Form(("state", "forged"), ("code", "x")));

        await AssertFailedPageAsync(response, "invalid");
    }

    [Theory]
    [InlineData("access_denied")]
    [InlineData("interaction_required")]
    public async Task Callback_ErrorFromEntra_IsA400PageOfferingToTryAgain(string error)
    {
        using var browser = Browser();
        var state = await StateAsync(browser);

        using var response = await browser.PostAsync("/signin-oidc",
            Form(("state", state), ("error", error), ("error_description", "AADSTS65004: User declined to consent.")));

        await AssertFailedPageAsync(response, "refused");
        Assert.DoesNotContain("AADSTS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_FromAnotherBrowser_IsA400PageOfferingToTryAgain()
    {
        using var first = Browser();
        var state = await StateAsync(first);
        using var other = Browser();

        using var response = await other.PostAsync("/signin-oidc", Form(("state", state), ("code", "x")));

        await AssertFailedPageAsync(response, "expired");
    }

    [Fact]
    public async Task Callback_GetWithoutAnything_IsA400Page()
    {
        using var browser = Browser();

        await AssertFailedPageAsync(await browser.GetAsync("/signin-oidc"), "invalid");
    }

    /// <summary>
    /// The attack: cross-site sign-out. A hidden form on any site posting to /account/signout signed the person out (and on
    /// to Entra ID's logout). Sign-out needs the page's antiforgery token; without it nothing happens.
    /// </summary>
    [Fact]
    public async Task SignOut_WithoutTheAntiforgeryToken_IsRefusedAndTheSessionStays()
    {
        using var browser = await _app.SignInAsync("contoso-admin");

        using var forged = await browser.PostAsync("/account/signout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.False(forged.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("dpor.session=;", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/customer")).StatusCode);
    }

    [Fact]
    public async Task SignOut_WithThePagesToken_SignsOut()
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        var token = await browser.AntiforgeryTokenAsync("/");

        using var signedOut = await browser.PostAsync("/account/signout", Form(("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/customer")).StatusCode); // to sign-in again
    }

    /// <summary>
    /// The attack: a token whose role or scope differs only in case ("operator", "ACCESS_AS_USER") passing the Operator
    /// policy or the API's scope check. Entra issues exactly the values the app registration defines, so anything else
    /// was not issued for them: refused.
    /// </summary>
    [Fact]
    public async Task Api_RoleOrScopeInAnotherCase_IsRefused()
    {
        var lowerRole = await sandbox.TokenWithClaimsAsync(new Dictionary<string, object?>
        {
            ["tid"] = SandboxDirectory.ServiceTenantId.ToString(), ["oid"] = Guid.NewGuid().ToString(), ["name"] = "Not An Operator",
            ["roles"] = new[] { "operator" },
        });
        var upperScope = await sandbox.TokenAsync("operator", scopes: "ACCESS_AS_USER");
        var exact = await sandbox.TokenAsync("operator");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(lowerRole, "/api/ops/partners"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(upperScope, "/api/ops/partners"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exact, "/api/ops/partners"));
    }

    private async Task<HttpStatusCode> StatusAsync(string token, string path)
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        client.DefaultRequestHeaders.Authorization = SandboxFixture.Bearer(token);
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
    });

    /// <summary>A real challenge's state (and its correlation cookie in <paramref name="browser"/>).</summary>
    private static async Task<string> StateAsync(HttpClient browser)
    {
        using var challenge = await browser.GetAsync("/account/signin");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        return Uri.UnescapeDataString(State().Match(challenge.Headers.Location!.Query).Groups["state"].Value);
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static async Task AssertFailedPageAsync(HttpResponseMessage response, string reason)
    {
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {page[..Math.Min(page.Length, 400)]}");
        Assert.Contains($"data-signin-failed=\"{reason}\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/signin\"", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("[?&]state=(?<state>[^&]+)")]
    private static partial Regex State();
}
