using System.Diagnostics.Metrics;
using DporReports.Core.Observability;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// Counts portfolio computations (the cache's misses) while alive, through the product's own metrics: all of them, the
/// updates of a kept portfolio among them, and the customers those updates read again. Integration tests run one at a
/// time (xunit.runner.json), so every computation counted is the test's own.
/// </summary>
public sealed class PortfolioComputations : IDisposable
{
    private readonly MeterListener _listener = new();
    private int _count;
    private int _updates;
    private int _tenantsRecomputed;
    private int _fromSnapshots;

    public PortfolioComputations()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DporTelemetry.Name && instrument.Name is "dpor.portfolio.computations" or "dpor.portfolio.tenants.recomputed")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "dpor.portfolio.tenants.recomputed")
            {
                Interlocked.Add(ref _tenantsRecomputed, (int)value);
                return;
            }
            // The adoption signals keep their entries in the same store; these counts are the portfolio's.
            foreach (var tag in tags)
                if (tag.Key == DporTelemetry.Tags.PortfolioComputation && tag.Value is string kind && kind.StartsWith("signals", StringComparison.Ordinal)) return;
            Interlocked.Add(ref _count, (int)value);
            foreach (var tag in tags)
            {
                if (tag.Key == DporTelemetry.Tags.PortfolioComputation && tag.Value is "update") Interlocked.Add(ref _updates, (int)value);
                if (tag.Key == DporTelemetry.Tags.PortfolioComputation && tag.Value is "snapshot") Interlocked.Add(ref _fromSnapshots, (int)value);
            }
        });
        _listener.Start();
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Computations that updated a kept portfolio (only the changed customers read) rather than reading every customer.</summary>
    public int Updates => Volatile.Read(ref _updates);

    /// <summary>Computations that started from a snapshot in the database (then read only the customers changed since it).</summary>
    public int FromSnapshots => Volatile.Read(ref _fromSnapshots);

    /// <summary>Customers read again by those updates.</summary>
    public int TenantsRecomputed => Volatile.Read(ref _tenantsRecomputed);

    public void Dispose() => _listener.Dispose();
}
