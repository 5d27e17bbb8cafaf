using System.Diagnostics;
using DporReports.Core.Observability;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Reports;

/// <summary>
/// The in-memory store (singleton) of what is computed per partner and kept until its data version changes: the portfolios
/// (<see cref="PartnerPortfolios"/>) and the adoption signals (<see cref="Adoption.AdoptionQuery"/>). Entries by key, each with its version.
/// </summary>
public sealed class PartnerDataCache : IDisposable
{
    private readonly MemoryCache _entries;
    private readonly TimeSpan _idle;
    private readonly Lock _gate = new();

    public PartnerDataCache(IOptions<PortfolioCacheOptions> options)
    {
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MaxEntries });
        _idle = TimeSpan.FromMinutes(options.Value.IdleMinutes);
    }

    public readonly record struct Key(Guid PartnerId, DateOnly From, DateOnly AsOf);

    private sealed record Entry<T>(PortfolioDataVersion Version, Task<T> State);

    /// <summary>
    /// The entry of <paramref name="key"/> at <paramref name="version"/>; on a miss <paramref name="compute"/> builds it, given
    /// the key's previous entry when that one was computed successfully (to update it instead of starting over), and says
    /// how it did (tags the computation's telemetry).
    /// </summary>
    public Task<PortfolioState> GetAsync(Key key, PortfolioDataVersion version, Func<PortfolioState?, Task<(PortfolioState State, string Kind)>> compute,
        CancellationToken ct) =>
        GetAsync<PortfolioState>(key, version, compute, ct);

    /// <summary>
    /// The same for any state kept per partner and data version (the adoption signals keep theirs here too): one store, one
    /// size limit, one idle time.
    /// </summary>
    public async Task<T> GetAsync<T>(object key, PortfolioDataVersion version, Func<T?, Task<(T State, string Kind)>> compute, CancellationToken ct)
        where T : class
    {
        // Nearly every request finds its entry: that path takes no lock. A miss checks again under the lock, so concurrent
        // misses start one computation.
        if (!_entries.TryGetValue(key, out Entry<T>? entry) || !Serves(entry, version))
        {
            lock (_gate)
            {
                if (!_entries.TryGetValue(key, out entry) || !Serves(entry, version))
                {
                    var previous = entry?.State is { IsCompletedSuccessfully: true } done ? done.Result : null;
                    // Task.Run: SQLite's "async" reads run synchronously, and this lock must only cover the lookup.
                    entry = new Entry<T>(version, Task.Run(() => MeasuredAsync(() => compute(previous))));
                    _entries.Set(key, entry, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = _idle });
                }
            }
        }
        return await entry!.State.WaitAsync(ct);
    }

    /// <summary>An entry of the same version, computed or still computing; a failed computation is not kept, the next request tries again.</summary>
    private static bool Serves<T>(Entry<T>? entry, PortfolioDataVersion version) =>
        entry is not null && entry.Version == version && !entry.State.IsFaulted && !entry.State.IsCanceled;

    private static async Task<T> MeasuredAsync<T>(Func<Task<(T State, string Kind)>> compute)
    {
        var started = Stopwatch.GetTimestamp();
        var (state, kind) = await compute();
        // Tagged once done: whether a portfolio was read from a snapshot is decided inside the computation.
        var tag = new KeyValuePair<string, object?>(DporTelemetry.Tags.PortfolioComputation, kind);
        DporTelemetry.PortfolioComputations.Add(1, tag);
        DporTelemetry.PortfolioComputeDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        return state;
    }

    public void Dispose() => _entries.Dispose();
}
