using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// The real web host (Program) on a fresh database of the run's provider (<see cref="TestDatabase"/>: a SQLite file
/// unless the run is on PostgreSQL or SQL Server), wired to the shared sandbox: Development environment, the sandbox as
/// Entra ID instance, its certificate pinned. No authentication shortcut of any kind.
/// </summary>
public class DporWebFactory(SandboxFixture sandbox, IDictionary<string, string?>? settings = null, string environment = "Development")
    : WebApplicationFactory<Program>
{
    private readonly string _filesPath = Path.Combine(Path.GetTempPath(), $"dpor-test-files-{Guid.NewGuid():N}");
    private TestDatabase? _database;

    public SandboxFixture Sandbox => sandbox;

    /// <summary>This host's database (created when the host is built).</summary>
    public TestDatabase Database => _database ??= TestDatabase.Create(Directory.CreateDirectory(_filesPath).FullName);

    /// <summary>A clock for the host (e.g. FakeTimeProvider) when a test needs windows in the past; the system clock otherwise.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Extra services for this host (a log capture, a database interceptor), registered after the application's.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // Explicit, so hosts started from the benchmark (another entry assembly) find the web project too.
        builder.UseSolutionRelativeContentRoot("src/DporReports.Web", "DporReports.sln");
        var defaults = new Dictionary<string, string?>
        {
            ["Sandbox:Embedded"] = "false",
            ["DemoData:Enabled"] = "false",
            ["AzureAd:Instance"] = sandbox.Server.HttpsBaseUrl.ToString(),
            ["AzureAd:ClientId"] = sandbox.Server.Options.ClientId,
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = sandbox.Server.Options.ClientSecret,
            ["Access:ServiceTenantId"] = SandboxDirectory.ServiceTenantId.ToString(),
            ["Database:Provider"] = Database.Provider,
            ["Database:ConnectionString"] = Database.ConnectionString,
            ["Graph:BaseUrl"] = $"{sandbox.Server.HttpsBaseUrl}graph/v1.0/",
            ["Graph:RetryBaseDelayMilliseconds"] = "50",
            // A loaded machine can take seconds over a host's first portfolio: pages wait for their figures unless a test
            // asks for the page that says they are being prepared.
            ["PortfolioCache:PageWaitSeconds"] = "600",
            // Jobs run when a test runs them (deterministic); tests that need the real server turn it on.
            ["Hangfire:Server:Enabled"] = "false",
            // Written files stay out of the source tree.
            ["Mail:PickupFolder"] = Path.Combine(_filesPath, "mail"),
            ["ReportFiles:Folder"] = Path.Combine(_filesPath, "reports"),
            // Production has no development settings file; a deployment sets its public address.
            ["Reports:Schedules:PublicBaseUrl"] = "https://dpor.test/",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) defaults[key] = value;
        foreach (var (key, value) in defaults) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(sandbox.Trust);
            if (Clock is not null) services.AddSingleton(Clock);
            TestServices?.Invoke(services);
        });
    }

    /// <summary>A client for the API with a persona's bearer token.</summary>
    public async Task<HttpClient> ApiClientAsync(string persona)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = SandboxFixture.Bearer(await sandbox.TokenAsync(persona));
        return client;
    }

    /// <summary>A new unit of work on the test's database, for arranging data and asserting on what was stored.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public static DporDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<DporDbContext>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database?.Dispose();
        if (Directory.Exists(_filesPath)) Directory.Delete(_filesPath, recursive: true);
    }

    internal LocalEntraTrust Trust => sandbox.Trust;
}
