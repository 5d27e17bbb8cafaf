using System.Net;
using DporReports.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace DporReports.Core.Graph;

public static class GraphModule
{
    public static IServiceCollection AddGraph(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Redirects are followed by hand: a report's download link must be fetched without our token.
        var graph = services.AddHttpClient<GraphClient>()
            .ConfigurePrimaryHttpMessageHandler(sp => NoRedirects(LocalEntraModule.CreateHandler(sp)));
        graph.AddResilienceHandler("graph", Resilience);
        // Inside the retry handler, so every attempt is measured, a throttled one included.
        graph.AddHttpMessageHandler(() => new GraphAttemptMetricsHandler());
        var downloads = services.AddHttpClient(GraphClient.DownloadClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => NoRedirects(LocalEntraModule.CreateHandler(sp)));
        downloads.AddResilienceHandler("graph-downloads", Resilience);
        downloads.AddHttpMessageHandler(() => new GraphAttemptMetricsHandler());
        return services;
    }

    private static HttpMessageHandler NoRedirects(HttpMessageHandler handler)
    {
        if (handler is SocketsHttpHandler sockets) sockets.AllowAutoRedirect = false;
        return handler;
    }

    private static void Resilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var graph = context.ServiceProvider.GetRequiredService<IOptions<GraphOptions>>().Value;
        var log = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<GraphClient>();
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
            OnRetry = args =>
            {
                GraphTelemetry.RecordRetry(args.Outcome.Result, args.RetryDelay, log);
                return ValueTask.CompletedTask;
            },
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(graph.AttemptTimeoutSeconds));
    }
}
