using DporReports.Core.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace DporReports.UnitTests.Observability;

/// <summary>The options as AddObservability binds and validates them: a mistyped collector address fails with its key.</summary>
public sealed class ObservabilityOptionsTests
{
    private static ObservabilityOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddObservability(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
    }

    [Fact]
    public void Validate_NothingConfigured_SucceedsAndExportsNothing()
    {
        var options = Resolve([]);

        Assert.Null(options.Otlp.Endpoint);
        Assert.Null(ObservabilityOptions.EndpointFrom(new ConfigurationBuilder().Build()));
        Assert.Equal(OtlpExportProtocol.Grpc, options.Otlp.Protocol);
    }

    [Theory]
    [InlineData("http://otel-collector:4317")]
    [InlineData("https://collector.example.com:4318/")]
    public void Validate_AbsoluteHttpOrHttpsEndpoint_Succeeds(string endpoint)
    {
        var options = Resolve(new() { ["OpenTelemetry:Otlp:Endpoint"] = endpoint, ["OpenTelemetry:Otlp:Protocol"] = "HttpProtobuf" });

        Assert.Equal(endpoint, options.Otlp.Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Otlp.Protocol);
    }

    [Theory]
    [InlineData("otel-collector:4317")]
    [InlineData("/v1/traces")]
    [InlineData("ftp://otel-collector/")]
    [InlineData("http//otel-collector:4317")]
    public void Validate_EndpointNotAnAbsoluteHttpUri_FailsNamingTheKey(string endpoint)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["OpenTelemetry:Otlp:Endpoint"] = endpoint }));

        Assert.Contains("OpenTelemetry:Otlp:Endpoint must be an absolute http or https URI", error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StandardVariableNotAUri_FailsNamingTheVariable()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "collector:4317" }));

        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http or https URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EndpointFrom_KeyAndVariableBothSet_TheKeyWins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenTelemetry:Otlp:Endpoint"] = "http://from-settings:4317",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://from-variable:4317",
        }).Build();

        Assert.Equal("http://from-settings:4317", ObservabilityOptions.EndpointFrom(configuration));
    }

    [Fact]
    public void Validate_BlankServiceName_FailsNamingTheKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["OpenTelemetry:ServiceName"] = " " }));

        Assert.Contains("OpenTelemetry:ServiceName", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TenantId", "dpor.tenant.id")]
    [InlineData("PartnerId", "dpor.partner.id")]
    [InlineData("GeneratedReportId", "dpor.generated_report.id")]
    public void AttributeName_JobIdArgument_IsTheSpanAttributeTheOtherSpansUse(string scopeName, string attribute) =>
        Assert.Equal(attribute, JobTelemetryFilter.AttributeName(scopeName));
}
