using Microsoft.Extensions.Logging;

namespace DporReports.Core.Reports;

/// <summary>
/// The portfolio snapshot writes running in the background, off the path of the requests waiting for an update (a
/// 10,000-customer snapshot is about 10 MB of gzip JSON to serialize and write). At most one per partner and period at a
/// time: a second one asked for meanwhile is skipped, the next update that finds its snapshot due asks again.
/// </summary>
public sealed class PortfolioSnapshotWrites(ILogger<PortfolioSnapshotWrites> log)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PartnerDataCache.Key, Task> _running = [];
    // The writes run one after another, each after the last one started: loading hundreds of periods at start may find all
    // their snapshots due, and hundreds of 10 MB serializations at once would take the memory and cores the requests need.
    private Task _last = Task.CompletedTask;

    /// <summary>Starts <paramref name="write"/> unless one of the same partner and period is running or waiting; false when skipped.</summary>
    internal bool TryStart(PartnerDataCache.Key key, Func<Task> write)
    {
        lock (_gate)
        {
            if (_running.ContainsKey(key)) return false;
            _running[key] = _last = WriteAfterAsync(_last, key, write);
            return true;
        }
    }

    /// <summary>Completes when the write of the partner and period running now (if any) is done: what tests wait for instead of sleeping.</summary>
    internal Task WrittenAsync(PartnerDataCache.Key key)
    {
        lock (_gate) return _running.GetValueOrDefault(key) ?? Task.CompletedTask;
    }

    private async Task WriteAfterAsync(Task before, PartnerDataCache.Key key, Func<Task> write)
    {
        // Always on the thread pool, never on the caller's thread: that is the request path this class keeps the write off.
        await before.ConfigureAwait(ConfigureAwaitOptions.ForceYielding | ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await write();
        }
        catch (Exception e)
        {
            // The snapshot only saves a later start some work: a failure never reaches a request.
            log.LogWarning(e, "Portfolio snapshot of partner {PartnerId} for {From}..{AsOf} not written", key.PartnerId, key.From, key.AsOf);
        }
        finally
        {
            // No other write of the key was started while this one was in the map, so the key is still this one's.
            lock (_gate) _running.Remove(key);
        }
    }
}
