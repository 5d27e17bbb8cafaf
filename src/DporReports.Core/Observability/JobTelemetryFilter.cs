using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.Extensions.Logging;

// Hangfire.BackgroundJob is banned for its static client API (enqueue through an injected IBackgroundJobClient); the same
// type is also the model of the job being performed, which is all this file reads.
#pragma warning disable RS0030

namespace DporReports.Core.Observability;

/// <summary>
/// Wraps every Hangfire job run in a log scope (JobId, JobType and the job's id arguments: TenantId, PartnerId, ScheduleId…),
/// a span with the same ids, and a <c>dpor.job.duration</c> measurement tagged by job type and outcome. Jobs take ids only
/// (style.md), so the ids in the scope are exactly what an operator searches the logs for.
/// </summary>
/// <remarks>
/// Hangfire calls <see cref="OnPerforming"/>, the job and <see cref="OnPerformed"/> synchronously on its worker thread, and
/// calls <see cref="OnPerformed"/> whenever <see cref="OnPerforming"/> returned — even when a later filter or the job
/// throws — so the scope and span opened here are always closed on the thread that opened them and never leak into the
/// worker's next job.
/// </remarks>
internal sealed class JobTelemetryFilter(ILoggerFactory loggers) : IServerFilter
{
    private const string ItemKey = "dpor.telemetry";
    private readonly ILogger _log = loggers.CreateLogger("DporReports.Jobs");

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        var ids = IdArguments(job);
        var scope = new JobLogScope(context.BackgroundJob.Id, job.Type.Name, ids);
        var activity = DporTelemetry.Source.StartActivity($"job {job.Type.Name}", ActivityKind.Consumer);
        if (activity is not null)
        {
            activity.SetTag(DporTelemetry.Tags.JobId, context.BackgroundJob.Id);
            activity.SetTag(DporTelemetry.Tags.JobType, job.Type.Name);
            activity.SetTag(DporTelemetry.Tags.JobRetryCount, context.GetJobParameter<int>("RetryCount"));
            foreach (var (name, value) in ids) activity.SetTag(AttributeName(name), value);
        }
        context.Items[ItemKey] = new Run(_log.BeginScope(scope), activity, Stopwatch.GetTimestamp());
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(ItemKey, out var item) || item is not Run run) return;
        context.Items.Remove(ItemKey);
        var failure = context.Exception is JobPerformanceException { InnerException: { } inner } ? inner : context.Exception;
        var outcome = context.Canceled || failure is OperationCanceledException ? DporTelemetry.Outcomes.Canceled
            : failure is not null && !context.ExceptionHandled ? DporTelemetry.Outcomes.Failed
            : DporTelemetry.Outcomes.Succeeded;
        var tags = new TagList
        {
            { DporTelemetry.Tags.JobType, context.BackgroundJob.Job.Type.Name },
            { DporTelemetry.Tags.Outcome, outcome },
        };
        if (outcome == DporTelemetry.Outcomes.Failed) tags.Add(DporTelemetry.Tags.ErrorType, failure!.GetType().FullName);
        DporTelemetry.JobDuration.Record(Stopwatch.GetElapsedTime(run.Started).TotalSeconds, tags);

        if (run.Activity is { } activity)
        {
            activity.SetTag(DporTelemetry.Tags.Outcome, outcome);
            if (outcome == DporTelemetry.Outcomes.Failed) activity.RecordFailure(failure!);
            activity.Dispose();
        }
        run.Scope?.Dispose();
    }

    /// <summary>Arguments whose parameter name ends in "Id" (tenantId, partnerId, scheduleId, generatedReportId…), by name.</summary>
    internal static List<(string Name, object Value)> IdArguments(Job job)
    {
        var parameters = job.Method.GetParameters();
        var ids = new List<(string, object)>();
        for (var i = 0; i < parameters.Length && i < job.Args.Count; i++)
        {
            if (parameters[i].Name is { Length: > 2 } name && name.EndsWith("Id", StringComparison.Ordinal) && job.Args[i] is { } value)
                ids.Add((char.ToUpperInvariant(name[0]) + name[1..], value));
        }
        return ids;
    }

    /// <summary>TenantId → dpor.tenant.id, GeneratedReportId → dpor.generated_report.id: the span attributes the other spans use.</summary>
    internal static string AttributeName(string scopeName)
    {
        var stem = scopeName[..^2];
        var snake = new StringBuilder("dpor.");
        for (var i = 0; i < stem.Length; i++)
        {
            if (char.IsUpper(stem[i]) && i > 0) snake.Append('_');
            snake.Append(char.ToLowerInvariant(stem[i]));
        }
        return snake.Append(".id").ToString();
    }

    private sealed record Run(IDisposable? Scope, Activity? Activity, long Started);

    /// <summary>
    /// Key/value pairs for structured formatters (the JSON console writes each as a property) and a readable line for the
    /// simple one ("Job 42 PullTenantUsageJob TenantId=…").
    /// </summary>
    private sealed class JobLogScope(string jobId, string jobType, List<(string Name, object Value)> ids) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _items =
        [
            new("JobId", jobId),
            new("JobType", jobType),
            .. ids.Select(id => new KeyValuePair<string, object?>(id.Name, id.Value)),
        ];

        public int Count => _items.Count;

        public KeyValuePair<string, object?> this[int index] => _items[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() =>
            string.Join(' ', [$"Job {jobId} {jobType}", .. ids.Select(id => string.Create(CultureInfo.InvariantCulture, $"{id.Name}={id.Value}"))]);
    }
}
