using DporReports.Core;
using DporReports.Core.Identity;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace DporReports.IntegrationTests.Scale;

/// <summary>
/// The worker host is the web host's features without sign-in (AddAppTokens + AddFeatures, as its Program registers
/// them). Every job class must be constructible from those registrations alone: a dependency only the web host
/// registers would fail the job the first time it ran on a worker, in production.
/// </summary>
public sealed class WorkerRegistrationTests
{
    [Fact]
    public async Task WorkerRegistrations_EveryJobClass_IsConstructedFromThemAlone()
    {
        var root = Directory.CreateTempSubdirectory("dpor-worker-di-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = "https://localhost:5101/",
            ["AzureAd:TenantId"] = "organizations",
            ["AzureAd:ClientId"] = Guid.NewGuid().ToString(),
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(root, "worker.db")}",
            ["Hangfire:Server:Enabled"] = "false",
            ["Reports:Schedules:PublicBaseUrl"] = "https://dpor.test/",
        }).Build();
        var environment = new HostingEnvironment
        {
            EnvironmentName = Environments.Development,
            ApplicationName = "DporReports.Worker",
            ContentRootPath = root,
            ContentRootFileProvider = new NullFileProvider(),
        };
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(environment)
            .AddLogging();
        services.AddAppTokens(configuration, environment).AddFeatures(configuration);

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await using var scope = provider.CreateAsyncScope();
        var jobs = typeof(CoreModule).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Job", StringComparison.Ordinal) && t.GetMethod("RunAsync") is not null)
            .ToList();

        Assert.True(jobs.Count >= 7, $"found only {jobs.Count} job classes");
        // What Hangfire's ASP.NET Core activator does for a job class.
        Assert.All(jobs, job => Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, job)));
        Assert.NotNull(provider.GetService<IBackgroundJobClient>());
        Directory.Delete(root, recursive: true);
    }
}
