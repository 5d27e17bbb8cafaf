using System.Text.RegularExpressions;
using DporReports.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests;

/// <summary>
/// A period nobody asked for before reads every customer's facts (minutes at a large partner): the portfolio page answers
/// at once that its figures are being prepared, and shows them when they are ready, without the person reloading. This
/// host's pages do not wait at all, so the first view of any period is such a page.
/// </summary>
public sealed class PreparingDashboardTests(ITestOutputHelper output) : LiveBrowserTest(output)
{
    protected override IReadOnlyDictionary<string, string?> HostSettings => new Dictionary<string, string?> { ["PortfolioCache:PageWaitSeconds"] = "0" };

    [Fact]
    public async Task FirstViewOfAPeriod_SaysItIsBeingPrepared_ThenShowsTheFiguresWithoutAReload()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        await SignInAsync(page, "adatum-admin", "/partner/usage?period=3m");
        navigations = 0;
        var preparing = await page.Locator("[data-preparing]").CountAsync();
        if (preparing > 0) await ScreenshotAsync(page, "usage-preparing");
        await Assertions.Expect(page.Locator("[data-key-figures]")).ToBeVisibleAsync(new() { Timeout = 45_000 });

        Assert.Equal(1, preparing);
        Assert.Equal(0, navigations);
        await Assertions.Expect(page.Locator("[data-preparing]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-live-busy]")).ToHaveCountAsync(0);
        // The charts that came with the update have their tooltips, as on a page loaded with them.
        var charts = await page.Locator("svg[data-chart]:has(.point)").CountAsync();
        await Assertions.Expect(page.Locator("[data-chart-tip]")).ToHaveCountAsync(charts);
        await ScreenshotAsync(page, "usage-prepared");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/partner/usage\\?period=3m$"));
    }
}
