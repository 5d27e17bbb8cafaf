using System.Diagnostics;
using System.Text.RegularExpressions;
using DporReports.BrowserTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests;

/// <summary>
/// The partner-of-record flow end to end in a real browser: sign-in through the sandbox's persona picker, admin consent,
/// the inventory sync job, Partner ID check, assign to all unassigned subscriptions, the verification job, and the
/// partner's view. Only visible text and stable data-* hooks are asserted.
/// </summary>
public sealed class PartnerOfRecordFlowTests(ITestOutputHelper output) : LiveBrowserTest(output)
{
    [Fact]
    public async Task PartnerOfRecord_CustomerAdminConnectsAndAssignsAdatum_AdatumSeesContosoSubscriptions()
    {
        var clock = Stopwatch.StartNew();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        // Contoso's own Global Administrator signs in and connects the tenant.
        await SignInAsync(page, "contoso-admin", "/customer");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("read-only access to your tenant")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "01-customer-not-connected");

        await page.GetByRole(AriaRole.Button, new() { Name = "Connect this tenant" }).ClickAsync();
        await ArrivedAsync(page, new Regex("/v2\\.0/adminconsent"));
        await Assertions.Expect(page.GetByText("Organization.Read.All and Reports.Read.All")).ToBeVisibleAsync();
        await page.Locator("button[value='contoso-admin']").ClickAsync();
        await ArrivedAsync(page, new Regex("/customer\\?connect=connected$"));
        await Assertions.Expect(page.Locator("[data-connect-message]")).ToContainTextAsync("Your tenant is connected");

        // The inventory sync job (Hangfire, against the sandbox's Graph) fills the table.
        var rows = page.Locator("tr[data-subscription]");
        await ReloadUntilAsync(page, rows, "the inventory sync to list subscriptions");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Contoso Ltd");
        var listed = await rows.CountAsync();
        Assert.True(listed >= 2, $"expected several Contoso subscriptions, saw {listed}");
        await ScreenshotAsync(page, "02-customer-connected");

        // Check the Partner ID on the first Enabled subscription, then confirm it for all unassigned ones.
        var row = page.Locator("tr[data-subscription][data-status='Enabled']").First;
        var subscriptionId = await row.GetAttributeAsync("data-subscription");
        await row.GetByText("Add partner of record").ClickAsync();
        await row.Locator("input[name='PartnerId']").FillAsync("1234567");
        await row.GetByRole(AriaRole.Button, new() { Name = "Check ID" }).ClickAsync();

        row = page.Locator($"tr[data-subscription='{subscriptionId}']");
        await Assertions.Expect(row.Locator("[data-checked-partner]")).ToHaveTextAsync("Adatum Consulting");
        await Assertions.Expect(row.GetByText("Partner ID 1234567 belongs to Adatum Consulting")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "03-partner-id-checked");
        await row.GetByLabel("Add this partner to all of your subscriptions without an associated partner").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        await ArrivedAsync(page, new Regex("/customer$"));
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("Adatum Consulting is now the partner of record");
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("other subscription");
        var adatumRows = page.Locator("tr[data-subscription]").Filter(new() { Has = page.Locator("[data-partner-name]", new() { HasText = "Adatum Consulting" }) });
        var assigned = await adatumRows.CountAsync();
        Assert.True(assigned >= 2, $"expected Adatum on several subscriptions, saw {assigned}");
        await Assertions.Expect(page.Locator($"tr[data-subscription='{subscriptionId}'] [data-partner-name]")).ToHaveTextAsync("Adatum Consulting");

        // The verification job marks the assignments verified.
        await ReloadUntilAsync(page, page.Locator("[data-state='Verified']"), "a Verified badge");
        await Assertions.Expect(page.Locator("[data-state='Verified']").First).ToHaveTextAsync("Verified");
        await ScreenshotAsync(page, "04-customer-verified");
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "04-customer-verified-phone");
        await page.SetViewportSizeAsync(1280, 900);
        var verifiedProducts = await page.Locator("tr[data-subscription]")
            .Filter(new() { Has = page.Locator("[data-state='Verified']") })
            .Locator("td[data-label='Product'] strong").AllInnerTextsAsync();

        // The tenant's ledger shows the assignments and their verification.
        await page.GetByRole(AriaRole.Link, new() { Name = "History of changes" }).ClickAsync();
        await ArrivedAsync(page, new Regex("/customer/history$"));
        var events = page.Locator("tr[data-event]");
        await Assertions.Expect(events.Filter(new() { HasText = "Assigned" }).Filter(new() { HasText = "Adatum Consulting" }).First).ToBeVisibleAsync();
        await Assertions.Expect(events.Filter(new() { HasText = "Verified" }).First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "05-customer-history");

        // Adatum's admin sees Contoso and the verified subscriptions.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ArrivedAsync(page, new Regex("^" + Regex.Escape(App.BaseUrl.ToString()) + "$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your work account" })).ToBeVisibleAsync();

        await SignInAsync(page, "adatum-admin", "/partner/customers");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your customers");
        var contoso = page.Locator($"section[data-customer='{SandboxDirectory.ContosoTenantId}']");
        await Assertions.Expect(contoso.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Contoso Ltd");
        foreach (var product in verifiedProducts.Distinct())
            await Assertions.Expect(contoso.Locator("td[data-label='Product']", new() { HasText = product }).First).ToBeVisibleAsync();
        await Assertions.Expect(contoso.GetByText("1234567").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "History" })).ToBeVisibleAsync();
        // Verification queued the customer's first usage pull: its freshness shows without waiting for the daily slot.
        await ReloadUntilAsync(page, contoso.Locator("[data-freshness]", new() { HasText = "Usage as of" }), "the first usage pull");
        await ScreenshotAsync(page, "06-partner-customers");

        Output.WriteLine($"Scenario took {clock.Elapsed.TotalSeconds:0.0} s; {assigned} subscriptions assigned, {verifiedProducts.Count} verified.");
    }
}
