using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Partners;

public static class PartnersModule
{
    public static IServiceCollection AddPartners(this IServiceCollection services)
    {
        services.AddOptions<PartnerLookupOptions>().BindConfiguration(PartnerLookupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PartnerLookupBudget>();
        services.AddScoped<PartnerRegistry>();
        return services;
    }
}
