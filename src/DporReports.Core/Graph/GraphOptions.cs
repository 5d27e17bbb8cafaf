using System.ComponentModel.DataAnnotations;

namespace DporReports.Core.Graph;

public sealed class GraphOptions
{
    public const string SectionName = "Graph";

    /// <summary>Microsoft Graph v1.0 root; the local sandbox serves the same paths under its own URL in Development.</summary>
    [Required, Url] public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0/";

    /// <summary>App-only tokens ask for every application permission granted to us in the customer tenant.</summary>
    [Required] public string Scope { get; set; } = "https://graph.microsoft.com/.default";

    [Range(1, 600)] public int AttemptTimeoutSeconds { get; set; } = 30;

    [Range(0, 10)] public int MaxRetries { get; set; } = 4;

    /// <summary>Back-off base when Graph throttles without Retry-After (Graph asks for exponential back-off then).</summary>
    [Range(10, 60_000)] public int RetryBaseDelayMilliseconds { get; set; } = 1000;
}
