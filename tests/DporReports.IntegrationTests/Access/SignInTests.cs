using System.Net;
using DporReports.IntegrationTests.Infrastructure;

namespace DporReports.IntegrationTests.Access;

/// <summary>The real OpenID Connect sign-in against the sandbox, end to end, and the home page each kind of user gets.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SignInTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Home_Anonymous_OffersSignIn()
    {
        using var client = _app.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("href=\"/account/signin\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_CustomerGlobalAdministrator_HomeSaysTheyCanNamePartners()
    {
        using var browser = await _app.SignInAsync("contoso-admin");

        var html = await browser.GetStringAsync("/");

        Assert.Contains("data-role=\"customer\"", html, StringComparison.Ordinal);
        Assert.Contains("Global Administrator</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-role=\"operator\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_GdapTechnician_HomeIsViewOnlyAndSaysWhy()
    {
        using var browser = await _app.SignInAsync("contoso-gdap-adatum");

        var html = await browser.GetStringAsync("/");

        Assert.Contains("View only", html, StringComparison.Ordinal);
        Assert.Contains("GDAP", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_PartnerAdminOfUnregisteredOrganisation_IsOfferedRegistration()
    {
        using var browser = await _app.SignInAsync("proseware-admin");

        var html = await browser.GetStringAsync("/");

        Assert.Contains("data-role=\"partner\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/partner/registration\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_Operator_HomeLinksTheApprovalQueueAndJobs()
    {
        using var browser = await _app.SignInAsync("operator");

        var html = await browser.GetStringAsync("/");

        Assert.Contains("data-role=\"operator\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/ops/partners\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-role=\"customer\"", html, StringComparison.Ordinal);
    }

    /// <summary>An open redirect after sign-in would hand a fresh session's first page to an attacker's site.</summary>
    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task SignIn_ReturnUrlOnAnotherSite_LandsOnHome(string returnUrl)
    {
        using var browser = await _app.SignInAsync("contoso-user", returnUrl, expectedLanding: "/");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task OpsPages_PartnerSignedIn_AreDenied()
    {
        using var browser = await _app.SignInAsync("adatum-admin");

        using var response = await browser.GetAsync("/ops/partners");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
