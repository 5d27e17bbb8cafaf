using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Identity;

public static class IdentityModule
{
    /// <summary>Start-up checks of the Entra ID configuration, shared by every host.</summary>
    public static IServiceCollection AddEntraIdChecks(this IServiceCollection services)
    {
        services.AddOptions<EntraIdOptions>().BindConfiguration(EntraIdOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EntraIdOptions>, EntraIdOptionsValidator>();
        return services;
    }
}
