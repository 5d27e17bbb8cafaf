using System.Diagnostics;
using DporReports.BrowserTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests;

/// <summary>
/// Every page on the demo data, at a 390 px phone and a 1366 px laptop, in English and in Spanish (the browser's language):
/// nothing wider than the screen outside a table's own scroller, the portfolio's totals readable on the phone, the page in
/// the browser's language. Screenshots of each page go to the artifacts folder; page times are written to the output.
/// </summary>
public sealed class PhonesAndLanguagesTests(ITestOutputHelper output) : LiveBrowserTest(output)
{
    private static readonly Dictionary<string, string[]> PagesByPersona = new()
    {
        ["adatum-admin"] =
        [
            "/", "/partner/usage", $"/partner/usage/customers/{SandboxDirectory.FabrikamTenantId}", "/partner/customers", "/partner/reports",
            "/partner/reports/schedules", "/partner/registration",
        ],
        ["northwind-admin"] = ["/customer", "/customer/history"],
        ["operator"] = ["/ops/partners", "/ops/ingestion"],
    };

    /// <summary>One host for the four combinations: the demo history is seeded once.</summary>
    [Fact]
    public async Task EveryPage_FitsTheScreen_InTheBrowsersLanguage()
    {
        Assert.NotNull(await App.DemoHistory.WaitAsync(TimeSpan.FromSeconds(120)));
        foreach (var (width, height, locale) in new[] { (390, 844, "es-MX"), (390, 844, "en-US"), (1366, 900, "es-MX"), (1366, 900, "en-US") })
            await WalkAsync(width, height, locale);
    }

    private async Task WalkAsync(int width, int height, string locale)
    {
        var language = locale[..2];
        foreach (var (persona, paths) in PagesByPersona)
        {
            await using var context = await NewContextAsync(new ViewportSize { Width = width, Height = height }, locale);
            var page = await context.NewPageAsync();
            await SignInAsync(page, persona, paths[0]);
            foreach (var path in paths)
            {
                var clock = Stopwatch.StartNew();
                var response = await page.GotoAsync(path);
                Output.WriteLine($"{locale} {width}px {persona} {path}: {(int)response!.Status} in {clock.ElapsedMilliseconds} ms");
                Assert.True(response.Ok, $"{path} answered {response.Status}");
                Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));

                await ScreenshotAsync(page, $"page-{language}-{width}-{Name(path)}");
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                Assert.True(overflow <= 0, $"{path} at {width}px is {overflow}px wider than the screen: {await WidestAsync(page)}");
                if (path == "/partner/usage")
                {
                    var total = page.Locator("[data-total='usage']");
                    var box = await total.BoundingBoxAsync();
                    Assert.True(box!.Width >= 48, $"the overall usage total is {box.Width}px wide at {width}px");
                    await page.Locator("[data-totals]").ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, $"totals-{language}-{width}.png") });
                }
            }
        }
    }

    /// <summary>The elements that reach past the screen's right edge outside a table's scroller, to say what to fix.</summary>
    private static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
          .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px): ${(e.textContent || '').trim().slice(0, 60)}`)
          .join('; ')
        """);

    private static string Name(string path) => path == "/" ? "home"
        : path.Trim('/').Replace('/', '-').Replace(SandboxDirectory.FabrikamTenantId.ToString(), "fabrikam", StringComparison.Ordinal);
}
