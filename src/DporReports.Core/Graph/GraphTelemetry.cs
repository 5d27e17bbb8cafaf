using System.Diagnostics;
using System.Net;
using DporReports.Core.Observability;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Graph;

/// <summary>
/// What Graph calls record: the endpoint kind travels on the request (set by <see cref="GraphClient"/>), so the per-attempt
/// handler and the retry callback tag with it without parsing URLs, and never with the tenant (see <see cref="DporTelemetry"/>).
/// </summary>
internal static class GraphTelemetry
{
    public static readonly HttpRequestOptionsKey<string> Endpoint = new("dpor.graph.endpoint");

    /// <summary>The kind of every request of the download client: pre-authenticated report file links.</summary>
    public const string ReportDownload = "report-download";

    public static string EndpointOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Endpoint, out var endpoint) ? endpoint : "other";

    /// <summary>
    /// Called by the resilience pipeline before it waits to retry: a 429 or 503 is Graph asking us to slow down, and how long
    /// we wait (its Retry-After, or our back-off) is what an operator needs to see when pulls run late.
    /// </summary>
    public static void RecordRetry(HttpResponseMessage? response, TimeSpan delay, ILogger log)
    {
        if (response?.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return;
        var endpoint = EndpointOf(response.RequestMessage);
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter is not null;
        var tags = new TagList
        {
            { DporTelemetry.Tags.GraphEndpoint, endpoint },
            { DporTelemetry.Tags.StatusCode, status },
            { DporTelemetry.Tags.RetryAfter, retryAfter },
        };
        DporTelemetry.GraphThrottlingWaits.Add(1, tags);
        DporTelemetry.GraphThrottlingWaitDuration.Record(delay.TotalSeconds, tags);
        Activity.Current?.AddEvent(new ActivityEvent("dpor.graph.throttled", tags: new ActivityTagsCollection(tags)));
        log.LogInformation("Graph answered {StatusCode} on {GraphEndpoint}; retrying in {WaitSeconds:0.###} s ({WaitSource})", status, endpoint,
            delay.TotalSeconds, retryAfter ? "Retry-After" : "back-off");
    }
}

/// <summary>
/// Counts and times every attempt to Graph (it sits inside the retry handler, so a throttled call that succeeds on its third
/// try records two 429s and one 200): the status codes Graph really answered, not only the final outcome.
/// </summary>
internal sealed class GraphAttemptMetricsHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var kind = GraphTelemetry.EndpointOf(request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            Record(kind, new KeyValuePair<string, object?>(DporTelemetry.Tags.StatusCode, (int)response.StatusCode), started);
            return response;
        }
        catch (Exception e)
        {
            Record(kind, new KeyValuePair<string, object?>(DporTelemetry.Tags.ErrorType, e.GetType().FullName), started);
            throw;
        }
    }

    private static void Record(string endpoint, KeyValuePair<string, object?> result, long started)
    {
        var tags = new TagList { { DporTelemetry.Tags.GraphEndpoint, endpoint }, result };
        DporTelemetry.GraphRequests.Add(1, tags);
        DporTelemetry.GraphRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }
}
