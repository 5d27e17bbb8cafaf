using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DporReports.Core.Observability;

/// <summary>
/// The service's own traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>, and every instrument in one place so names and tags stay consistent. Metric tags are deliberately
/// low-cardinality (endpoint kind, status code, job type, report id, workload): tenant, partner and job ids go on spans and
/// log scopes only — a metric tag per tenant would multiply every time series by the number of customers.
/// </summary>
public static class DporTelemetry
{
    public const string Name = "DporReports";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    // Durations in seconds, as the OpenTelemetry conventions (and ASP.NET Core's and HttpClient's own metrics) have them;
    // the SDK's default buckets are meant for milliseconds and would put every job in the first one.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    /// <summary>One HTTP attempt to Graph or to a report download link (retries are attempts of their own).</summary>
    public static readonly Counter<long> GraphRequests = Meter.CreateCounter<long>("dpor.graph.requests", "{request}",
        "HTTP attempts to Microsoft Graph and its report download links, by endpoint kind and status code.");

    public static readonly Histogram<double> GraphRequestDuration = Meter.CreateHistogram("dpor.graph.request.duration", "s",
        "Time to Graph's response headers, per attempt.", advice: Seconds);

    /// <summary>A wait before retrying because Graph answered 429 or 503 (design.md §3: Graph is a shared, throttled resource).</summary>
    public static readonly Counter<long> GraphThrottlingWaits = Meter.CreateCounter<long>("dpor.graph.throttling.waits", "{wait}",
        "Retries after Graph throttled (429) or was unavailable (503).");

    public static readonly Histogram<double> GraphThrottlingWaitDuration = Meter.CreateHistogram("dpor.graph.throttling.wait.duration", "s",
        "How long each throttling wait was: Graph's Retry-After when it sent one, else our exponential back-off.", advice: Seconds);

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram("dpor.job.duration", "s",
        "Hangfire job runs, by job type and outcome.", advice: Seconds);

    /// <summary>Usage fact rows written (what the dashboards read), not CSV rows read (<c>dpor.usage.rows.read</c>).</summary>
    public static readonly Counter<long> UsageRowsIngested = Meter.CreateCounter<long>("dpor.usage.rows.ingested", "{row}",
        "Usage fact rows written, by usage report and workload.");

    public static readonly Histogram<double> ReportBuildDuration = Meter.CreateHistogram("dpor.report.build.duration", "s",
        "Workbook builds (query, write, store), by catalog report id and outcome.", advice: Seconds);

    public static readonly Histogram<long> ReportRows = Meter.CreateHistogram<long>("dpor.report.rows", "{row}",
        "Data rows per built workbook, by catalog report id.");

    // Older instruments, in milliseconds; names and units kept as dashboards and the benchmarks read them.
    public static readonly Histogram<double> UsageFactsWriteDuration = Meter.CreateHistogram<double>("dpor.usage.facts.write.duration", "ms",
        "Time spent writing one report's facts (one transaction).");

    public static readonly Counter<long> UsageRowsRead = Meter.CreateCounter<long>("dpor.usage.rows.read", "rows", "CSV rows read from usage reports.");

    public static readonly Counter<long> PortfolioComputations = Meter.CreateCounter<long>("dpor.portfolio.computations", "computations",
        "Portfolio computations (cache misses: first request or changed data version).");

    public static readonly Counter<long> PortfolioTenantsRecomputed = Meter.CreateCounter<long>("dpor.portfolio.tenants.recomputed", "{tenant}",
        "Customers whose part of a kept portfolio was read again because their facts or windows changed (issue 13: a pull costs one tenant).");

    public static readonly Histogram<double> PortfolioComputeDuration = Meter.CreateHistogram<double>("dpor.portfolio.compute.duration", "ms",
        "Time to compute one partner portfolio.");

    public static readonly Counter<long> PortfolioSnapshots = Meter.CreateCounter<long>("dpor.portfolio.snapshots", "{snapshot}",
        "Portfolio snapshots written, read (a host started from one) or found unreadable (computed again), by outcome.");

    /// <summary>Attribute (tag) names shared by spans, metrics and tests.</summary>
    public static class Tags
    {
        public const string TenantId = "dpor.tenant.id";
        public const string PartnerId = "dpor.partner.id";

        /// <summary>How a portfolio was computed: <c>full</c> (every customer read), <c>update</c> (only the changed ones) or <c>snapshot</c> (from its snapshot, then the changed ones).</summary>
        public const string PortfolioComputation = "dpor.portfolio.computation";
        public const string GraphEndpoint = "dpor.graph.endpoint";
        public const string StatusCode = "http.response.status_code";
        public const string ErrorType = "error.type";
        public const string RetryAfter = "dpor.graph.retry_after";
        public const string JobId = "dpor.job.id";
        public const string JobType = "dpor.job.type";
        public const string JobRetryCount = "dpor.job.retry_count";
        public const string Outcome = "dpor.outcome";
        public const string UsageReport = "dpor.usage.report";
        public const string Workload = "dpor.usage.workload";
        public const string ReportId = "dpor.report.id";
        public const string GeneratedReportId = "dpor.generated_report.id";
        public const string Rows = "dpor.rows";
    }

    /// <summary>Values of <see cref="Tags.Outcome"/>.</summary>
    public static class Outcomes
    {
        public const string Succeeded = "succeeded";
        public const string Failed = "failed";
        public const string Canceled = "canceled";
    }

    /// <summary>Marks a span failed with the exception (as an event) and its type, the way the OpenTelemetry conventions do.</summary>
    public static void RecordFailure(this Activity? activity, Exception exception)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag(Tags.ErrorType, exception.GetType().FullName);
        activity.AddException(exception);
    }
}
