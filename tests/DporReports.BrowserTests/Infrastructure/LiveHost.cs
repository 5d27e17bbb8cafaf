using DporReports.Sandbox;
using Microsoft.Playwright;

namespace DporReports.BrowserTests.Infrastructure;

/// <summary>
/// The sandbox, the live host on it and headless Chromium: what a browser test needs running. A test class that has
/// several tests takes it as a class fixture (<c>IClassFixture&lt;LiveHost&gt;</c>), so they share one host, its demo
/// history and one browser; each test still opens its own browser contexts.
/// </summary>
public sealed class LiveHost(IReadOnlyDictionary<string, string?>? settings) : IAsyncLifetime
{
    /// <summary>The host as the tests mostly want it (what a class fixture gets).</summary>
    public LiveHost() : this(null)
    {
    }

    public SandboxServer Sandbox { get; private set; } = null!;
    public LiveApp App { get; private set; } = null!;
    public IBrowser Chromium { get; private set; } = null!;
    private IPlaywright _playwright = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { Host = "127.0.0.1", HttpPort = 0, HttpsPort = 0 }, "Development");
        App = new LiveApp(Sandbox, settings);
        App.Start();
        _playwright = await Playwright.CreateAsync();
        Chromium = await Browser.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (Sandbox is not null) await Sandbox.DisposeAsync();
    }
}
