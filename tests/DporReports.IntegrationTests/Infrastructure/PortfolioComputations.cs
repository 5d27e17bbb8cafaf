using System.Diagnostics.Metrics;
using DporReports.Core.Observability;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// Counts portfolio computations (the cache's misses) while alive, through the product's own metric. Integration tests run
/// one at a time (xunit.runner.json), so every computation counted is the test's own.
/// </summary>
public sealed class PortfolioComputations : IDisposable
{
    private readonly MeterListener _listener = new();
    private int _count;

    public PortfolioComputations()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DporTelemetry.Name && instrument.Name == "dpor.portfolio.computations")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, (int)value));
        _listener.Start();
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
