using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Identity;

/// <summary>
/// The parts of the "AzureAd" section (Microsoft.Identity.Web's own) that the product checks at start-up: outside
/// Development it must point at Microsoft's Entra ID, multi-tenant, with a real app registration and a credential.
/// </summary>
public sealed class EntraIdOptions
{
    public const string SectionName = "AzureAd";

    public string? Instance { get; set; }
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public List<Dictionary<string, string?>> ClientCredentials { get; set; } = [];

    /// <summary>Entra ID instances of Microsoft's clouds (public, US Government, China).</summary>
    public static readonly string[] MicrosoftInstances =
        ["https://login.microsoftonline.com/", "https://login.microsoftonline.us/", "https://login.chinacloudapi.cn/"];
}

internal sealed class EntraIdOptionsValidator(IHostEnvironment environment) : IValidateOptions<EntraIdOptions>
{
    public ValidateOptionsResult Validate(string? name, EntraIdOptions options)
    {
        var errors = new List<string>();
        if (!Guid.TryParse(options.ClientId, out _))
            errors.Add("AzureAd:ClientId must be the application (client) id of the DporReports app registration (a GUID).");
        if (!string.Equals(options.TenantId, "organizations", StringComparison.OrdinalIgnoreCase))
            errors.Add("AzureAd:TenantId must be 'organizations': DporReports is a multi-tenant application.");
        if (string.IsNullOrWhiteSpace(options.Instance) || !Uri.TryCreate(options.Instance, UriKind.Absolute, out var instance))
            errors.Add("AzureAd:Instance must be an absolute URL such as https://login.microsoftonline.com/.");
        else if (!environment.IsDevelopment() && !EntraIdOptions.MicrosoftInstances.Contains(instance.AbsoluteUri, StringComparer.OrdinalIgnoreCase))
            errors.Add($"AzureAd:Instance is '{options.Instance}', but outside Development it must be Microsoft's Entra ID "
                + $"({string.Join(", ", EntraIdOptions.MicrosoftInstances)}); the local sandbox is for Development only.");
        if (!environment.IsDevelopment() && options.ClientCredentials.Count == 0)
            errors.Add("AzureAd:ClientCredentials must hold a certificate or secret reference (from Key Vault or the environment, never a file).");

        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"The '{EntraIdOptions.SectionName}' configuration section is not a usable Entra ID app registration "
                + $"for environment '{environment.EnvironmentName}': " + string.Join(" ", errors)
                + " See deploy/entra-app-registration.md.");
    }
}
