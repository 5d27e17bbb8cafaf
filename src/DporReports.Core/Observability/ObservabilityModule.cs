using Hangfire.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DporReports.Core.Observability;

public static class ObservabilityModule
{
    /// <summary>
    /// Traces and metrics of the service (<see cref="DporTelemetry"/>), ASP.NET Core, HttpClient and the runtime, plus the
    /// job filter's log scopes. Nothing leaves the process unless an OTLP endpoint is configured
    /// (<c>OpenTelemetry:Otlp:Endpoint</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); then traces, metrics and logs (with their
    /// scopes) go there. Services only, so the web host and a headless worker host call the same method.
    /// </summary>
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>();

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddDetector(sp => new ServiceNameDetector(
                sp.GetRequiredService<IOptions<ObservabilityOptions>>().Value.ServiceName ?? sp.GetRequiredService<IHostEnvironment>().ApplicationName)))
            .WithTracing(tracing => tracing
                .AddSource(DporTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(DporTelemetry.Name, "System.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());

        // Decided here, not at start: the exporter is part of the providers being built. A value that is not a URI registers
        // no exporter, and start-up validation then refuses it with the key's name.
        if (ObservabilityOptions.ParseEndpoint(ObservabilityOptions.EndpointFrom(configuration)) is { } endpoint)
        {
            var protocol = configuration.GetSection($"{ObservabilityOptions.SectionName}:Otlp").Get<OtlpOptions>()?.Protocol ?? new OtlpOptions().Protocol;
            telemetry.WithLogging(_ => { }, logging => logging.IncludeScopes = true).UseOtlpExporter(protocol, endpoint);
        }

        // Hangfire's server takes its filters from this service when it is registered (AddHangfire only adds the global
        // providers if none is): the defaults — attributes like [AutomaticRetry] and global filters — plus ours. Registered
        // with AddSingleton so it wins whether this runs before or after AddJobs.
        services.AddSingleton<JobTelemetryFilter>();
        services.AddSingleton<IJobFilterProvider>(sp =>
            new JobFilterProviderCollection(JobFilterProviders.Providers, new JobFilterCollection { sp.GetRequiredService<JobTelemetryFilter>() }));
        return services;
    }

    private sealed class ServiceNameDetector(string serviceName) : IResourceDetector
    {
        public Resource Detect() => ResourceBuilder.CreateEmpty().AddService(serviceName).Build();
    }
}
