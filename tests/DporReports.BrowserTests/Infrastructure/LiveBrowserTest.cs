using System.Diagnostics;
using System.Text.RegularExpressions;
using DporReports.Sandbox;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests.Infrastructure;

/// <summary>
/// What every browser test starts and does the same way: its own sandbox, the live host on it and headless Chromium;
/// sign-in through the persona picker; waiting for background jobs by reloading as a user would; full-page screenshots.
/// </summary>
public abstract class LiveBrowserTest(ITestOutputHelper output) : IAsyncLifetime
{
    protected static readonly TimeSpan JobWait = TimeSpan.FromSeconds(20);

    protected ITestOutputHelper Output { get; } = output;
    protected SandboxServer Sandbox { get; private set; } = null!;
    protected LiveApp App { get; private set; } = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { Host = "127.0.0.1", HttpPort = 0, HttpsPort = 0 }, "Development");
        App = new LiveApp(Sandbox);
        App.Start();
        _playwright = await Playwright.CreateAsync();
        _chromium = await Browser.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (Sandbox is not null) await Sandbox.DisposeAsync();
    }

    /// <summary>A fresh browser context (no cookies) on the app, desktop-sized unless told, accepting downloads.</summary>
    protected async Task<IBrowserContext> NewContextAsync(ViewportSize? viewport = null, string locale = "en-US")
    {
        var context = await _chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            // The browser's language, sent as Accept-Language: what the app's request culture follows.
            Locale = locale,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        Output.WriteLine($"App {App.BaseUrl}, sandbox {Sandbox.HttpBaseUrl}; screenshots in {Browser.ScreenshotFolder}");
        return context;
    }

    /// <summary>The real OpenID Connect round trip: the app's challenge, the sandbox's persona picker, form_post back.</summary>
    protected async Task SignInAsync(IPage page, string persona, string returnUrl)
    {
        await page.GotoAsync($"/account/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.WaitForURLAsync(new Regex("/oauth2/v2\\.0/authorize"));
        await page.Locator($"button[value='{persona}']").ClickAsync();
        await page.WaitForURLAsync(new Regex("^" + Regex.Escape(new Uri(App.BaseUrl, returnUrl).ToString()) + "$"));
    }

    /// <summary>Jobs run in the background: reload (as a user would) until the element shows up, within <see cref="JobWait"/>.</summary>
    protected static async Task ReloadUntilAsync(IPage page, ILocator target, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (await target.CountAsync() == 0)
        {
            Assert.True(deadline.Elapsed < JobWait, $"Waited {JobWait.TotalSeconds:0} s for {what}; the page says: {await page.InnerTextAsync("main")}");
            await Task.Delay(500);
            await page.ReloadAsync();
        }
    }

    protected async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Browser.ScreenshotFolder);
        var path = Path.Combine(Browser.ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Output.WriteLine($"screenshot: {path}");
    }
}
