using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace DporReports.Core.Observability;

public sealed class ObservabilityOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>The standard variable every OpenTelemetry SDK reads; honoured when <c>OpenTelemetry:Otlp:Endpoint</c> is unset.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>service.name</c> of what this host exports; unset: the host's application name (DporReports.Web, DporReports.Worker).</summary>
    public string? ServiceName { get; set; }

    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>Where to export, from either key; null (nothing exported, no network) when neither is set.</summary>
    public static string? EndpointFrom(IConfiguration configuration) =>
        configuration[$"{SectionName}:Otlp:Endpoint"] is { Length: > 0 } endpoint ? endpoint
        : configuration[EndpointVariable] is { Length: > 0 } variable ? variable
        : null;

    /// <summary>The endpoint as an absolute http(s) URI, or null when it is missing or is not one.</summary>
    public static Uri? ParseEndpoint(string? endpoint) =>
        Uri.TryCreate(endpoint?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}

public sealed class OtlpOptions
{
    /// <summary>
    /// The collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c> (HTTP/protobuf, the
    /// signal paths /v1/traces, /v1/metrics and /v1/logs are appended). Empty: nothing is exported.
    /// </summary>
    public string? Endpoint { get; set; }

    public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;
}

/// <summary>A mistyped collector address fails the start with the key's name, instead of silently exporting nothing.</summary>
internal sealed class ObservabilityOptionsValidator(IConfiguration configuration) : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        var key = !string.IsNullOrWhiteSpace(options.Otlp.Endpoint) ? $"{ObservabilityOptions.SectionName}:Otlp:Endpoint" : ObservabilityOptions.EndpointVariable;
        var endpoint = !string.IsNullOrWhiteSpace(options.Otlp.Endpoint) ? options.Otlp.Endpoint : configuration[ObservabilityOptions.EndpointVariable];
        if (!string.IsNullOrWhiteSpace(endpoint) && ObservabilityOptions.ParseEndpoint(endpoint) is null)
            return ValidateOptionsResult.Fail($"{key} must be an absolute http or https URI, e.g. 'http://otel-collector:4317'; it is '{endpoint}'.");
        if (!Enum.IsDefined(options.Otlp.Protocol))
            return ValidateOptionsResult.Fail($"{ObservabilityOptions.SectionName}:Otlp:Protocol must be one of {string.Join(", ", Enum.GetNames<OtlpExportProtocol>())}.");
        if (options.ServiceName is { } service && string.IsNullOrWhiteSpace(service))
            return ValidateOptionsResult.Fail($"{ObservabilityOptions.SectionName}:ServiceName must not be blank; remove it to use the host's name.");
        return ValidateOptionsResult.Success;
    }
}
