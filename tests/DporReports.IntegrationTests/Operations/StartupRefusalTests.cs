using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.Extensions.Options;

namespace DporReports.IntegrationTests.Operations;

/// <summary>
/// A misconfigured production deployment must fail at boot with the key's name, never run against the sandbox or
/// without an Entra ID app registration.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StartupRefusalTests(SandboxFixture sandbox)
{
    [Fact]
    public void Production_WithoutARealAzureAdSection_RefusesToStartAndSaysWhy()
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:ClientId"] = "",
            ["AzureAd:ClientCredentials:0:SourceType"] = null,
            ["AzureAd:ClientCredentials:0:ClientSecret"] = null,
        }, environment: "Production");

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("'AzureAd' configuration section", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_PointingAtTheSandbox_RefusesToStart()
    {
        using var app = new DporWebFactory(sandbox, environment: "Production");

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("AzureAd:Instance", error.Message, StringComparison.Ordinal);
        Assert.Contains("Development only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("dpor.example.com")]
    [InlineData("ftp://dpor.example.com/")]
    public void Production_WithoutAPublicAddressForReportMails_RefusesToStartAndNamesTheKey(string? address)
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["Reports:Schedules:PublicBaseUrl"] = address,
        }, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Reports:Schedules:PublicBaseUrl", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hangfire:Server:Workers:reportz", "1", "Hangfire:Server:Workers:reportz is not a queue")]
    [InlineData("Hangfire:Server:Workers:ingestion", "65", "Hangfire:Server:Workers:ingestion must be between 0 and 64")]
    public void JobServer_BadWorkerSettings_RefusesToStartAndNamesTheKey(string key, string value, string expected)
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void JobServer_EnabledWithNoWorkersOnAnyQueue_RefusesToStart()
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["Hangfire:Server:Enabled"] = "true",
            ["Hangfire:Server:Workers:notifications"] = "0",
            ["Hangfire:Server:Workers:default"] = "0",
            ["Hangfire:Server:Workers:ingestion"] = "0",
            ["Hangfire:Server:Workers:reports"] = "0",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("every queue has 0 workers", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OtlpEndpoint_NotAnAbsoluteHttpUri_RefusesToStartAndNamesTheKey()
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["OpenTelemetry:Otlp:Endpoint"] = "otel-collector:4317" });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("OpenTelemetry:Otlp:Endpoint must be an absolute http or https URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_WithEmbeddedSandbox_RefusesToStart()
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["Sandbox:Embedded"] = "true" }, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("never runs in Production", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_WithDemoData_RefusesToStart()
    {
        // Otherwise a usable production configuration: only the demo data switch is wrong.
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["DemoData:Enabled"] = "true",
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:ClientId"] = "8f2c1d7e-3b4a-4c5d-9e6f-a1b2c3d4e5f6",
        }, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("DemoData:Enabled is true, but the environment is Production", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("production")]
    public async Task Sandbox_InProduction_RefusesToStart(string environment)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SandboxServer.StartAsync(new SandboxOptions { Host = "127.0.0.1", HttpPort = 0, HttpsPort = 0 }, environment));

        Assert.Contains("Production", error.Message, StringComparison.Ordinal);
    }
}
