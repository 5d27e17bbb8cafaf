using DporReports.Core.Identity;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace DporReports.UnitTests.Identity;

public sealed class EntraIdOptionsValidatorTests
{
    private static EntraIdOptions Real() => new()
    {
        Instance = "https://login.microsoftonline.com/",
        TenantId = "organizations",
        ClientId = Guid.NewGuid().ToString(),
        ClientCredentials = [new() { ["SourceType"] = "KeyVault" }],
    };

    [Fact]
    public void Validate_ProductionWithMicrosoftRegistration_Succeeds() =>
        Assert.True(Validate("Production", Real()).Succeeded);

    [Fact]
    public void Validate_ProductionPointingAtTheSandbox_FailsNamingTheKey()
    {
        var options = Real();
        options.Instance = "https://localhost:5101/";

        var result = Validate("Production", options);

        Assert.True(result.Failed);
        Assert.Contains("AzureAd:Instance", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Development only", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProductionWithoutSection_FailsSayingWhatIsMissing()
    {
        var result = Validate("Production", new EntraIdOptions());

        Assert.True(result.Failed);
        Assert.Contains("'AzureAd' configuration section", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientCredentials", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SingleTenantConfiguration_Fails()
    {
        var options = Real();
        options.TenantId = Guid.NewGuid().ToString();

        Assert.Contains("organizations", Validate("Production", options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DevelopmentWithLoopbackSandbox_Succeeds()
    {
        var options = Real();
        options.Instance = "https://localhost:5101/";
        options.ClientCredentials = [];

        Assert.True(Validate("Development", options).Succeeded);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string environment, EntraIdOptions options) =>
        new EntraIdOptionsValidator(new Environment(environment)).Validate(null, options);

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
