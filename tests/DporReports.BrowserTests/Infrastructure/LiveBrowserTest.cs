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
public abstract partial class LiveBrowserTest : IAsyncLifetime
{
    protected static readonly TimeSpan JobWait = TimeSpan.FromSeconds(20);

    private readonly LiveHost? _shared;
    private LiveHost _host = null!;

    /// <summary>A host of the test's own, started before and stopped after it.</summary>
    protected LiveBrowserTest(ITestOutputHelper output) => Output = output;

    /// <summary>The class fixture's host, shared by the class's tests.</summary>
    protected LiveBrowserTest(ITestOutputHelper output, LiveHost shared) : this(output) => _shared = shared;

    protected ITestOutputHelper Output { get; }

    /// <summary>Settings of the test's own host over the usual ones.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? HostSettings => null;
    protected SandboxServer Sandbox => _host.Sandbox;
    protected LiveApp App => _host.App;

    public async Task InitializeAsync()
    {
        if (_shared is not null)
        {
            _host = _shared;
            return;
        }
        _host = new LiveHost(HostSettings);
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_shared is null && _host is not null) await _host.DisposeAsync();
    }

    /// <summary>A fresh browser context (no cookies) on the app, desktop-sized unless told, accepting downloads.</summary>
    protected async Task<IBrowserContext> NewContextAsync(ViewportSize? viewport = null, string locale = "en-US")
    {
        var context = await _host.Chromium.NewContextAsync(new BrowserNewContextOptions
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
        await ArrivedAsync(page, new Regex("/oauth2/v2\\.0/authorize"));
        await page.Locator($"button[value='{persona}']").ClickAsync();
        await ArrivedAsync(page, new Regex("^" + Regex.Escape(new Uri(App.BaseUrl, returnUrl).ToString()) + "$"));
    }

    /// <summary>
    /// Waits until the page is at an address matching <paramref name="url"/> and that document has loaded. Not Playwright's
    /// WaitForURLAsync or WaitForLoadStateAsync: in its .NET client both look at the load states seen so far and only then
    /// subscribe to the next one, so a load event that arrives between the two is missed and the wait times out (CI saw it:
    /// "NetworkIdle event fired", the load never). Here both conditions are polled where they happen (the driver's assertion
    /// on the address, the document's own readyState), which leaves no such gap.
    /// </summary>
    protected static async Task ArrivedAsync(IPage page, Regex url)
    {
        await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'", null, new() { Timeout = 15_000 });
    }

    /// <summary>The home page, where signing out ends.</summary>
    [GeneratedRegex("^https?://[^/]+/$")]
    protected static partial Regex SignedOutHome();

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
