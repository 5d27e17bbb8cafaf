using DporReports.Core.Reports.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Reports;

public static class ReportsModule
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddScoped<PartnerUsageQuery>();
        services.AddOptions<PortfolioCacheOptions>().BindConfiguration(PortfolioCacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PortfolioCache>();
        services.AddScoped<PartnerPortfolios>();
        services.AddReportCatalog();
        services.AddOptions<ReportFilesOptions>().BindConfiguration(ReportFilesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IReportFileStore, LocalFolderReportFileStore>();
        services.AddScoped<ReportBuilder>();
        services.AddScoped<GenerateReportJob>();
        services.AddScoped<ReportRequests>();
        return services;
    }
}
