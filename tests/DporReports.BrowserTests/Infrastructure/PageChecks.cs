using System.Globalization;
using System.Resources;
using DporReports.Core.Languages;
using Microsoft.Playwright;

namespace DporReports.BrowserTests.Infrastructure;

/// <summary>What the walk-through and accessibility tests measure on every page: overflow, load time, focus.</summary>
public static class PageChecks
{
    /// <summary>How far the page reaches past the screen's right edge (0 or less: it fits).</summary>
    public static Task<int> OverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");

    /// <summary>The elements that reach past the screen's right edge outside a table's scroller, to say what to fix.</summary>
    public static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
          .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px): ${(e.textContent || '').trim().slice(0, 60)}`)
          .join('; ')
        """);

    /// <summary>The browser's own timing of the page's latest document load: server answer and load event, in ms.</summary>
    public static async Task<(int Response, int Load)> LoadTimeAsync(IPage page)
    {
        var timing = await page.EvaluateAsync<double[]>("""
            () => { const n = performance.getEntriesByType('navigation')[0]; return [n.responseEnd - n.startTime, n.loadEventEnd - n.startTime]; }
            """);
        return ((int)timing[0], (int)timing[1]);
    }

    /// <summary>
    /// Presses Tab until the target has the focus (as a keyboard user reaches it), at most <paramref name="maxTabs"/> times;
    /// fails if it never does or if the focused target shows no focus indicator. Returns how many presses it took.
    /// </summary>
    public static async Task<int> TabToAsync(IPage page, ILocator target, int maxTabs = 60)
    {
        var element = await target.ElementHandleAsync();
        for (var presses = 1; presses <= maxTabs; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await element.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                var outline = await element.EvaluateAsync<string>("e => { const s = getComputedStyle(e); return s.outlineStyle + ' ' + s.outlineWidth; }");
                Assert.False(outline.StartsWith("none", StringComparison.Ordinal) || outline.EndsWith(" 0px", StringComparison.Ordinal),
                    $"{target} has the focus but no visible focus outline ({outline})");
                return presses;
            }
        }
        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 120) ?? ''");
        Assert.Fail($"{maxTabs} presses of Tab never reached {target}; the focus is on {focused}");
        return maxTabs;
    }
}

/// <summary>The product's own words in a language: the Spanish of an English key from Texts.es.resx, as the pages say it.</summary>
public static class Words
{
    private static readonly ResourceManager Spanish = new(typeof(Texts).FullName!, typeof(Texts).Assembly);

    public static string In(string language, string english) =>
        language == "es"
            ? Spanish.GetResourceSet(CultureInfo.GetCultureInfo("es"), createIfNotExists: true, tryParents: false)?.GetString(english)
                ?? throw new InvalidOperationException($"Texts.es.resx has no entry for \"{english}\".")
            : english;
}
