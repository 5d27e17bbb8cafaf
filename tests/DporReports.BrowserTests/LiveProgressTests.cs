using System.Diagnostics;
using System.Text.RegularExpressions;
using DporReports.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests;

/// <summary>
/// Long actions report their progress on the page without the person reloading: the tenant's inventory after consent, the
/// verification after naming a partner, and a workbook from "Create workbook" to its download link. Each step counts the
/// page's navigations: after the action's own post/redirect there must be none.
/// </summary>
public sealed class LiveProgressTests(ITestOutputHelper output) : LiveBrowserTest(output)
{
    private static readonly LocatorAssertionsToBeVisibleOptions JobTime = new() { Timeout = 45_000 };

    [Fact]
    public async Task ConnectAssignAndWorkbook_ProgressArrives_WithoutAReload()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        // Consent, then the inventory job lists the subscriptions on the page the consent landed on.
        await SignInAsync(page, "contoso-admin", "/customer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect this tenant" }).ClickAsync();
        await page.Locator("button[value='contoso-admin']").ClickAsync();
        await ArrivedAsync(page, new Regex("/customer\\?connect=connected$"));
        navigations = 0;
        var clock = Stopwatch.StartNew();
        await Assertions.Expect(page.Locator("tr[data-subscription][data-status='Enabled']").First).ToBeVisibleAsync(JobTime);
        Output.WriteLine($"inventory listed {clock.ElapsedMilliseconds} ms after consent, without reload");
        Assert.Equal(0, navigations);

        // Name Adatum on all subscriptions; the verification job's outcome replaces "Pending verification".
        var row = page.Locator("tr[data-subscription][data-status='Enabled']").First;
        await row.GetByText("Add partner of record").ClickAsync();
        await row.Locator("input[name='PartnerId']").FillAsync("1234567");
        await row.GetByRole(AriaRole.Button, new() { Name = "Check ID" }).ClickAsync();
        row = page.Locator("tr[data-subscription]", new() { Has = page.Locator("[data-checked-partner]") });
        await row.GetByLabel("Add this partner to all of your subscriptions without an associated partner").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await ArrivedAsync(page, new Regex("/customer$"));
        navigations = 0;
        clock.Restart();
        await Assertions.Expect(page.Locator("[data-state='Verified']").First).ToBeVisibleAsync(JobTime);
        Output.WriteLine($"verification shown {clock.ElapsedMilliseconds} ms after confirming, without reload");
        Assert.Equal(0, navigations);
        await ScreenshotAsync(page, "live-01-customer-verified");

        // Adatum builds a workbook: queued, building, then the download link.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignInAsync(page, "adatum-admin", "/partner/reports");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workbook" }).ClickAsync();
        await ArrivedAsync(page, new Regex("/partner/reports$"));
        navigations = 0;
        clock.Restart();
        var requested = await page.Locator("tr[data-file]").First.GetAttributeAsync("data-file");
        await Assertions.Expect(page.Locator($"tr[data-file='{requested}'] a[download]")).ToBeVisibleAsync(JobTime);
        Output.WriteLine($"download link shown {clock.ElapsedMilliseconds} ms after Create workbook, without reload");
        Assert.Equal(0, navigations);
        await Assertions.Expect(page.Locator("[data-reload-hint]")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "live-02-workbook-ready");
    }
}
