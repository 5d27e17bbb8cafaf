using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Adoption.Alerts;

public static class AlertsModule
{
    /// <summary>Alert settings, the weekly digest job and its start-up registrar (after the migrator; it reads the settings).</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddScoped<PartnerAlerts>();
        services.AddScoped<SendAlertDigestJob>();
        services.AddHostedService<AlertDigestRegistrar>();
        return services;
    }
}
