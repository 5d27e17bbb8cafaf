using System.Net;
using DporReports.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace DporReports.Core.Graph;

public static class GraphModule
{
    public static IServiceCollection AddGraph(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<GraphClient>()
            .ConfigurePrimaryHttpMessageHandler(LocalEntraModule.CreateHandler)
            .AddResilienceHandler("graph", (pipeline, context) =>
            {
                var graph = context.ServiceProvider.GetRequiredService<IOptions<GraphOptions>>().Value;
                // No circuit breaker: it would be shared by every tenant, and one throttled tenant must not stop the others.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, graph.MaxRetries),
                    Delay = TimeSpan.FromMilliseconds(graph.RetryBaseDelayMilliseconds),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    MaxDelay = TimeSpan.FromMinutes(2),
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests
                        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
                        or HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout
                        || args.Outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(graph.AttemptTimeoutSeconds));
            });
        return services;
    }
}
