using System.Net;
using System.Web;
using DporReports.Core.Tenants;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Tenants;

/// <summary>
/// "Connect this tenant" through the real v2 admin consent flow against the sandbox. The attacks: a forged or replayed
/// consent answer (state), a consent that was refused, and a consent granted in another tenant than the signed-in
/// user's — each must leave the tenant unconnected, with a message.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ConsentFlowTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Connect_GlobalAdministratorConsents_ConnectsAndQueuesTheInventorySync()
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        var callback = await ConsentAsync(browser, "contoso-admin");

        using var landed = await browser.GetAsync(callback.PathAndQuery);

        Assert.Equal("/customer?connect=connected", landed.Headers.Location?.OriginalString);
        Assert.Equal(ConsentStatus.Connected, await StatusAsync());
        var page = await browser.GetStringAsync("/customer?connect=connected");
        Assert.Contains("data-connect-message", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_ReplayedAnswer_IsRefused()
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        var callback = await ConsentAsync(browser, "contoso-admin");
        (await browser.GetAsync(callback.PathAndQuery)).Dispose();

        using var replay = await browser.GetAsync(callback.PathAndQuery);

        Assert.Equal("/customer?connect=consent_state_invalid", replay.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Callback_ForgedState_IsRefusedAndNothingIsConnected()
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        await StartAsync(browser);

        using var forged = await browser.GetAsync($"/customer/connect/callback?admin_consent=True&tenant={Contoso}&state={new string('A', 64)}");

        Assert.Equal("/customer?connect=consent_state_invalid", forged.Headers.Location?.OriginalString);
        Assert.Null(await StatusAsync());
    }

    [Fact]
    public async Task Callback_WithoutTheBrowsersStateCookie_IsRefused()
    {
        using var victim = await _app.SignInAsync("contoso-admin");
        var callback = await ConsentAsync(victim, "contoso-admin");
        using var attacker = await _app.SignInAsync("contoso-admin"); // same tenant, another browser: no state cookie

        using var answer = await attacker.GetAsync(callback.PathAndQuery);

        Assert.Equal("/customer?connect=consent_state_invalid", answer.Headers.Location?.OriginalString);
        Assert.Null(await StatusAsync());
    }

    [Theory]
    [InlineData("admin_consent=False", "consent_declined")]
    [InlineData("error=access_denied&error_description=declined", "consent_declined")]
    public async Task Callback_ConsentNotGranted_IsRefused(string answer, string code)
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        var state = await StartAsync(browser);

        using var response = await browser.GetAsync($"/customer/connect/callback?{answer}&tenant={Contoso}&state={state}");

        Assert.Equal($"/customer?connect={code}", response.Headers.Location?.OriginalString);
        Assert.Null(await StatusAsync());
    }

    [Fact]
    public async Task Callback_ConsentGrantedInAnotherTenant_IsRefused()
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        var state = await StartAsync(browser);

        using var response = await browser.GetAsync(
            $"/customer/connect/callback?admin_consent=True&tenant={SandboxDirectory.FabrikamTenantId}&state={state}");

        Assert.Equal("/customer?connect=consent_other_tenant", response.Headers.Location?.OriginalString);
        Assert.Null(await StatusAsync());
        await using var scope = _app.Scope();
        Assert.False(await DporWebFactory.Db(scope).CustomerTenants.AnyAsync(t => t.Id == SandboxDirectory.FabrikamTenantId));
    }

    [Theory]
    [InlineData("contoso-reader")]
    [InlineData("contoso-gdap-adatum")]
    public async Task Connect_NotTheOwnGlobalAdministrator_IsRefusedBeforeLeavingTheSite(string persona)
    {
        using var browser = await _app.SignInAsync(persona);

        using var response = await PostConnectAsync(browser);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/customer", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(await StatusAsync());
    }

    /// <summary>Starts the flow and drives the sandbox consent page as the given admin; returns the callback URL it redirects to.</summary>
    private static async Task<Uri> ConsentAsync(HttpClient browser, string adminPersona)
    {
        using var start = await PostConnectAsync(browser);
        var consentUrl = start.Headers.Location!;
        using var idp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var picker = await idp.GetStringAsync(consentUrl);
        var fields = BrowserSignIn.HiddenFields(picker);
        fields["persona"] = adminPersona;
        using var chosen = await idp.PostAsync(new Uri(consentUrl.GetLeftPart(UriPartial.Path)), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        return chosen.Headers.Location!;
    }

    private static async Task<string> StartAsync(HttpClient browser)
    {
        using var start = await PostConnectAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        return HttpUtility.ParseQueryString(start.Headers.Location!.Query)["state"]!;
    }

    private static async Task<HttpResponseMessage> PostConnectAsync(HttpClient browser)
    {
        var token = await browser.AntiforgeryTokenAsync("/customer");
        return await browser.PostAsync("/customer?handler=Connect",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    private async Task<ConsentStatus?> StatusAsync()
    {
        await using var scope = _app.Scope();
        return (await DporWebFactory.Db(scope).CustomerTenants.SingleOrDefaultAsync(t => t.Id == Contoso))?.ConsentStatus;
    }
}
