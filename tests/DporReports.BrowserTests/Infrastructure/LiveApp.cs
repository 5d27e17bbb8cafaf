using System.Net;
using DporReports.Core.Identity;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.BrowserTests.Infrastructure;

/// <summary>
/// The real web host (Program) on a real loopback port, so a real browser can reach it: Kestrel instead of the in-memory
/// TestServer, the sandbox as Entra ID and Graph (in this process, as in the embedded default), a fresh SQLite file, demo
/// data (Adatum approved with Partner ID 1234567, and its history with Fabrikam and Northwind), and the Hangfire server on,
/// so inventory sync, verification and workbooks run as they do in production.
/// </summary>
public sealed class LiveApp(SandboxServer sandbox, IReadOnlyDictionary<string, string?>? overrides = null) : WebApplicationFactory<Program>
{
    private readonly string _workPath = Path.Combine(Path.GetTempPath(), $"dpor-browser-{Guid.NewGuid():N}");

    /// <summary>http://127.0.0.1:{port}/ — loopback by IP, like the sandbox, so cookies and redirects stay on one host.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public void Start()
    {
        Directory.CreateDirectory(_workPath);
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Embedded"] = "false",
            ["DemoData:Enabled"] = "true",
            ["AzureAd:Instance"] = sandbox.HttpsBaseUrl.ToString(),
            ["AzureAd:ClientId"] = sandbox.Options.ClientId,
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = sandbox.Options.ClientSecret,
            ["Access:ServiceTenantId"] = SandboxDirectory.ServiceTenantId.ToString(),
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_workPath, "dpor.db")}",
            ["Graph:BaseUrl"] = $"{sandbox.HttpsBaseUrl}graph/v1.0/",
            ["Graph:RetryBaseDelayMilliseconds"] = "50",
            ["Hangfire:Server:Enabled"] = "true",
            // Notification e-mails (a pickup folder) and workbooks stay in the test's folder, out of the source tree.
            ["Mail:PickupFolder"] = Path.Combine(_workPath, "mail"),
            ["ReportFiles:Folder"] = Path.Combine(_workPath, "reports"),
            // A loaded machine can take seconds over the host's first portfolio: pages wait for their figures unless a
            // test asks for the page that says they are being prepared.
            ["PortfolioCache:PageWaitSeconds"] = "600",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(new LocalEntraTrust(sandbox.Certificate));
            // An instance, so the host uses it for the demo history but leaves stopping it to the test.
            services.AddSingleton(sandbox);
        });
    }

    /// <summary>The demo history the host seeds in the background after start; what it added.</summary>
    public Task<DemoHistoryRun?> DemoHistory => Services.GetRequiredService<DemoData>().History;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            if (Directory.Exists(_workPath)) Directory.Delete(_workPath, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; a temp folder left behind is harmless.
        }
    }
}
