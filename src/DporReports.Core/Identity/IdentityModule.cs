using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using Microsoft.Identity.Web;

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

    /// <summary>
    /// App-only tokens (Graph, per customer tenant) for a host without sign-in — the worker: Identity.Web's token
    /// acquisition from the same "AzureAd" section, token cache and Development trust as the web host, so both get the
    /// same tokens the same way. The web host gets the same through its sign-in registration instead.
    /// </summary>
    public static IServiceCollection AddAppTokens(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddEntraIdChecks();
        services.AddTokenAcquisition(isTokenAcquisitionSingleton: true);
        services.AddHttpClient();
        services.Configure<MicrosoftIdentityApplicationOptions>(configuration.GetSection(EntraIdOptions.SectionName));
        services.AddTokenCache(configuration);
        services.AddLocalEntraForDevelopment(configuration, environment);
        return services;
    }
}
