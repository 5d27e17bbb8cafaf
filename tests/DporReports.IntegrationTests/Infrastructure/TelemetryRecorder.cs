using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using DporReports.Core.Observability;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// Records the product's own measurements and spans (<see cref="DporTelemetry"/>) while alive, through the same
/// System.Diagnostics listeners an OpenTelemetry SDK uses. Meters are process-wide, so each measurement also keeps the
/// attributes of the spans around it when it was recorded (<see cref="Measurement.Context"/>): tests select theirs by
/// tenant or job id there, ids that metrics deliberately do not carry.
/// </summary>
public sealed class TelemetryRecorder : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _spans;
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public TelemetryRecorder()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DporTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meters.Start();
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DporTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_spans);
    }

    /// <summary>One measurement: its value and tags, and the attributes of the enclosing spans (innermost first wins).</summary>
    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags,
        IReadOnlyDictionary<string, object?> Context)
    {
        public object? Tag(string name) => Tags.GetValueOrDefault(name);

        public bool IsFor(string attribute, object value) => Equals(Context.GetValueOrDefault(attribute)?.ToString(), value.ToString());
    }

    public IReadOnlyList<Measurement> Measurements(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>The measurements of <paramref name="instrument"/> recorded inside a span of <paramref name="tenantId"/>.</summary>
    public IReadOnlyList<Measurement> ForTenant(string instrument, Guid tenantId) =>
        [.. Measurements(instrument).Where(m => m.IsFor(DporTelemetry.Tags.TenantId, tenantId))];

    /// <summary>Spans of the product that ended while recording.</summary>
    public IReadOnlyList<Activity> Spans => [.. _stopped];

    /// <summary>Waits (bounded) until a measurement matching <paramref name="match"/> has been recorded, e.g. by a Hangfire worker.</summary>
    public async Task<Measurement> WaitForAsync(string instrument, Func<Measurement, bool> match, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (Measurements(instrument).FirstOrDefault(match) is { } found) return found;
            Assert.True(waited.Elapsed < timeout, $"no {instrument} measurement matched within {timeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits (bounded) until a span matching <paramref name="match"/> has ended. A job's measurement is recorded inside its
    /// span (so it carries the span's ids), a moment before the worker thread ends that span.
    /// </summary>
    public async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (Spans.FirstOrDefault(match) is { } found) return found;
            Assert.True(waited.Elapsed < timeout, $"no span matched within {timeout.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var context = new Dictionary<string, object?>();
        for (var span = Activity.Current; span is not null; span = span.Parent)
            foreach (var (key, tagValue) in span.TagObjects)
                context.TryAdd(key, tagValue);
        _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value), context));
    }

    public void Dispose()
    {
        _meters.Dispose();
        _spans.Dispose();
    }
}
