using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Adoption;

public static class AdoptionModule
{
    public static IServiceCollection AddAdoption(this IServiceCollection services)
    {
        services.AddScoped<AdoptionQuery>();
        return services;
    }
}
