using DporReports.Sandbox;
using Microsoft.Playwright;

namespace DporReports.BrowserTests.Infrastructure;

/// <summary>
/// The sandbox, the live host on it and headless Chromium: what a browser test needs running. A test class that has
/// several tests takes it as a class fixture (<c>IClassFixture&lt;LiveHost&gt;</c>), so they share one host, its demo
/// history and one browser; each test still opens its own browser contexts.
/// </summary>
public sealed class LiveHost : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    /// <summary>The host as the tests mostly want it (what a class fixture gets: xunit allows it one public constructor).</summary>
    public LiveHost()
    {
    }

    /// <summary>A test's own host with some settings of its own.</summary>
    internal LiveHost(IReadOnlyDictionary<string, string?>? settings) => _settings = settings;

    public SandboxServer Sandbox { get; private set; } = null!;
    public LiveApp App { get; private set; } = null!;
    public IBrowser Chromium { get; private set; } = null!;
    private IPlaywright _playwright = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { Host = "127.0.0.1", HttpPort = 0, HttpsPort = 0 }, "Development");
        App = new LiveApp(Sandbox, _settings);
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
