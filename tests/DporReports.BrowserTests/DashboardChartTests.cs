using System.Text.RegularExpressions;
using DporReports.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests;

/// <summary>
/// The portfolio's trend charts read by keyboard and by pointer on the demo data: Tab reaches a chart's newest point, the
/// arrow keys move between days, and pointing at a day shows the same figures, which the numbers table under the chart holds.
/// </summary>
public sealed partial class DashboardChartTests(ITestOutputHelper output) : LiveBrowserTest(output)
{
    [Fact]
    public async Task TrendChart_PointFocusedByKeyboardOrHovered_ShowsItsValue()
    {
        Assert.NotNull(await App.DemoHistory.WaitAsync(TimeSpan.FromSeconds(300)));
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, "adatum-admin", "/partner/usage");
        var chart = page.Locator("section[aria-labelledby='trends'] figure", new() { Has = page.Locator("svg.chart") }).First;
        var points = chart.Locator("svg.chart .point");
        var count = await points.CountAsync();
        Assert.True(count >= 3, $"the first chart has {count} points");
        var tip = chart.Locator("[data-chart-tip]");

        // Keyboard: from the text just above the charts, Tab lands on the first chart's newest point; ArrowLeft moves a day back.
        // (A click there would focus <main>, the skip link's target, and start the tab order at its top.)
        await page.Locator("section[aria-labelledby='trends'] .chart-hint").EvaluateAsync("p => { p.tabIndex = -1; p.focus(); }");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(points.Nth(count - 1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        var focused = points.Nth(count - 2);
        await Assertions.Expect(focused).ToBeFocusedAsync();
        var name = (await focused.GetAttributeAsync("aria-label"))!;
        await Assertions.Expect(tip).ToBeVisibleAsync();
        await Assertions.Expect(tip).ToHaveTextAsync(name);
        await ExpectInNumbersTableAsync(chart, name);
        await ScreenshotAsync(page, "dashboard-chart-keyboard");

        // Pointer: hovering another day shows that day's figures.
        var hovered = points.Nth(count / 2);
        await hovered.HoverAsync();
        var hoveredName = (await hovered.GetAttributeAsync("aria-label"))!;
        await Assertions.Expect(tip).ToHaveTextAsync(hoveredName);
        await ExpectInNumbersTableAsync(chart, hoveredName);
        Output.WriteLine($"keyboard: {name}; hover: {hoveredName}");
    }

    /// <summary>The point's name ("Exchange, 2026-11-30: 1,234; 7-day average 1,200.5") matches its day's row of the numbers table.</summary>
    private static async Task ExpectInNumbersTableAsync(ILocator chart, string name)
    {
        var parts = PointName().Match(name);
        Assert.True(parts.Success, $"unexpected point name: {name}");
        var row = chart.Locator("tbody tr", new() { Has = chart.Page.Locator("td", new() { HasTextRegex = new Regex($"^{Regex.Escape(parts.Groups["date"].Value)}$") }) });
        await Assertions.Expect(row.Locator("td")).ToHaveTextAsync([parts.Groups["date"].Value, parts.Groups["value"].Value, parts.Groups["average"].Value]);
    }

    [GeneratedRegex("^[^,]+, (?<date>[0-9-]+): (?<value>[0-9,.]+); 7-day average (?<average>[0-9,.]+)$")]
    private static partial Regex PointName();
}
