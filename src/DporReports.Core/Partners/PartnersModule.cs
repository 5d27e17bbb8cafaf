using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Partners;

public static class PartnersModule
{
    public static IServiceCollection AddPartners(this IServiceCollection services)
    {
        services.AddScoped<PartnerRegistry>();
        return services;
    }
}
