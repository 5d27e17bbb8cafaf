using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace DporReports.Core.Reports.Catalog;

public static class ReportsCatalogModule
{
    /// <summary>
    /// The report catalog as a singleton, loaded from the embedded definitions when the host starts: a broken definition
    /// stops start-up with every problem listed (the ValidateOnStart idea), instead of failing a partner's first report.
    /// </summary>
    public static IServiceCollection AddReportCatalog(this IServiceCollection services)
    {
        // Idempotent; TryAdd also lets a test host register its own catalog first.
        services.TryAddSingleton(_ => ReportCatalog.Load());
        if (!services.Any(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(ReportCatalogStartupCheck)))
            services.AddHostedService<ReportCatalogStartupCheck>();
        return services;
    }
}

/// <summary>
/// Exists to make the host resolve the catalog at start: hosted services are all constructed before any starts, so a
/// <see cref="ReportCatalogException"/> from loading aborts start-up before the app serves anything.
/// </summary>
internal sealed class ReportCatalogStartupCheck(ReportCatalog catalog) : IHostedService
{
    public ReportCatalog Catalog { get; } = catalog;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
