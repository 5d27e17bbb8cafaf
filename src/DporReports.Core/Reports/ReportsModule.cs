using DporReports.Core.Reports.Catalog;
using DporReports.Core.Reports.Schedules;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Reports;

public static class ReportsModule
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddScoped<PartnerUsageQuery>();
        services.AddOptions<PortfolioCacheOptions>().BindConfiguration(PortfolioCacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PartnerDataCache>();
        services.AddSingleton<PortfolioSnapshotWrites>();
        services.AddScoped<PartnerPortfolios>();
        services.AddScoped<WarmPortfolioSnapshotsJob>();
        services.AddReportCatalog();
        services.AddOptions<ReportFilesOptions>().BindConfiguration(ReportFilesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IReportFileStore, LocalFolderReportFileStore>();
        services.AddScoped<ReportBuilder>();
        services.AddScoped<ReportProducer>();
        services.AddScoped<GenerateReportJob>();
        services.AddScoped<ReportRequests>();
        services.AddOptions<ReportScheduleOptions>().BindConfiguration(ReportScheduleOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.PublicBaseUrl is { IsAbsoluteUri: true, Scheme: "https" or "http" },
                $"{ReportScheduleOptions.SectionName}:PublicBaseUrl must be the absolute http(s) address partners open DporReports at, e.g. https://dpor.example.com/.")
            .ValidateOnStart();
        services.AddScoped<ReportSchedules>();
        services.AddScoped<RunReportScheduleJob>();
        services.AddScoped<OperatorRecipientDomains>();
        // After the database migrator (registered by AddData): it reads the schedules.
        services.AddHostedService<ReportScheduleRegistrar>();
        return services;
    }

    /// <summary>In the web host (which serves the portfolios; a worker does not): today's portfolios loaded from their snapshots at start.</summary>
    public static IServiceCollection AddPortfolioStartupWarming(this IServiceCollection services) =>
        services.AddHostedService<PortfolioStartupWarming>();

    /// <summary>The module's service-wide recurring job (per-schedule ones: <see cref="ReportScheduleRegistrar"/>).</summary>
    public static void Schedule(IRecurringJobManager manager) =>
        manager.AddOrUpdate(WarmPortfolioSnapshotsJob.RecurringId, Job.FromExpression<WarmPortfolioSnapshotsJob>(j => j.RunAsync(CancellationToken.None)),
            WarmPortfolioSnapshotsJob.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
}
