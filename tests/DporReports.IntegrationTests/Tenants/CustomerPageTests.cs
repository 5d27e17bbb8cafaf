using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Web.Sandbox;

namespace DporReports.IntegrationTests.Tenants;

/// <summary>The server-rendered customer page: "Check ID" shows the partner before anything is saved; others read only.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CustomerPageTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?>
    {
        ["DemoData:Enabled"] = "true",
        ["PartnerLookups:PerUserPerMinute"] = "2",
    });

    public Task InitializeAsync() => _app.ConnectedTenantAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task CheckId_ApprovedPartner_ShowsItsNameAndSavesNothing()
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        using var api = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await api.ActiveSubscriptionIdsAsync())[0];

        var page = await CheckAsync(browser, subscription, DemoData.AdatumMpnId);

        Assert.Matches("data-checked-partner>Adatum Consulting<", page);
        Assert.Null((await api.SubscriptionAsync(subscription)).PartnerName());
        Assert.Empty(await api.HistoryAsync());
    }

    /// <summary>The page's "Check ID" shares the API's per-user lookup budget: no second door for enumerating Partner IDs.</summary>
    [Fact]
    public async Task CheckId_BeyondTheLookupBudget_IsRefused()
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        using var api = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await api.ActiveSubscriptionIdsAsync())[0];
        await CheckAsync(browser, subscription, "9000001");
        await CheckAsync(browser, subscription, "9000002");

        var third = await CheckAsync(browser, subscription, DemoData.AdatumMpnId);

        Assert.Contains("looked up many Partner IDs", third, StringComparison.Ordinal);
        Assert.DoesNotContain("data-checked-partner", third, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_MemberWhoIsNotTheOwnGlobalAdministrator_SeesTheTableWithoutForms()
    {
        using var browser = await _app.SignInAsync("contoso-reader");

        var page = await browser.GetStringAsync("/customer");

        Assert.Contains("data-read-only", page, StringComparison.Ordinal);
        Assert.Contains("data-subscription=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Check", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Assign", page, StringComparison.Ordinal);
    }

    private static async Task<string> CheckAsync(HttpClient browser, Guid subscription, string partnerId)
    {
        var token = await browser.AntiforgeryTokenAsync("/customer");
        using var response = await browser.PostAsync("/customer?handler=Check", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["subscriptionId"] = subscription.ToString(),
            ["PartnerId"] = partnerId,
        }));
        return await response.Content.ReadAsStringAsync();
    }
}
