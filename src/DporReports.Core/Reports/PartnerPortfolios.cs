using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using DporReports.Core.Data;
using DporReports.Core.Observability;
using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Reports;

public sealed class PortfolioCacheOptions
{
    public const string SectionName = "PortfolioCache";

    /// <summary>Computed portfolios kept: one per partner, period and day; a partner's users move between a few periods.</summary>
    [Range(1, 100_000)] public int MaxEntries { get; set; } = 500;

    /// <summary>An entry nobody read for this long is dropped to free memory. Correctness never depends on it: the data version does.</summary>
    [Range(1, 24 * 60)] public int IdleMinutes { get; set; } = 30;
}

/// <summary>
/// What a computed portfolio depends on, read cheaply on every request: the partner's latest assignment event (assigned,
/// changed, removed, verified, rejected, suspended, resumed — every change of a window writes one in the same transaction),
/// and the partner's usage version (raised in the same transaction as every change to the facts of a tenant the partner
/// has or had an assignment in). Any difference means "compute again"; other partners' customers' pulls change neither.
/// </summary>
public readonly record struct PortfolioDataVersion(long LatestAssignmentEvent, long UsageVersion);

/// <summary>
/// The partner portfolio for the dashboard and the JSON API: computed once per (partner, period, day) and data version,
/// kept in memory, and recomputed as soon as the version read on the request differs — so a removal or new facts show at
/// once. Concurrent requests for an entry being computed wait for that one computation instead of starting their own.
/// </summary>
public sealed class PartnerPortfolios(DporDbContext db, PartnerScope scope, PortfolioCache cache, IServiceScopeFactory scopes)
{
    public async Task<PartnerPortfolio> GetAsync(DateOnly from, DateOnly asOf, CancellationToken ct)
    {
        var partnerId = scope.PartnerId;
        // Read before computing: the computation then sees at least this version's data, never older.
        var version = await DataVersionAsync(partnerId, ct);
        return await cache.GetAsync(new PortfolioCache.Key(partnerId, from, asOf), version, () => ComputeAsync(partnerId, from, asOf), ct);
    }

    private async Task<PortfolioDataVersion> DataVersionAsync(Guid partnerId, CancellationToken ct)
    {
        // One round trip: the partner's row, and each MAX reads one end of an index ((PartnerAfterId, Id), (PartnerBeforeId, Id)).
        var version = await db.Partners.AsNoTracking().Where(p => p.Id == partnerId).Select(p => new
        {
            AssignedTo = db.AssignmentEvents.Where(e => e.PartnerAfterId == p.Id).Max(e => (long?)e.Id) ?? 0,
            EndedFor = db.AssignmentEvents.Where(e => e.PartnerBeforeId == p.Id).Max(e => (long?)e.Id) ?? 0,
            p.UsageVersion,
        }).SingleAsync(ct);
        return new PortfolioDataVersion(Math.Max(version.AssignedTo, version.EndedFor), version.UsageVersion);
    }

    /// <summary>
    /// In a unit of work of its own, scoped to the same partner: the computation is shared by every waiting request, so it
    /// must not use (or be cancelled with) the one request that happened to start it.
    /// </summary>
    private async Task<PartnerPortfolio> ComputeAsync(Guid partnerId, DateOnly from, DateOnly asOf)
    {
        await using var unit = scopes.CreateAsyncScope();
        unit.ServiceProvider.GetRequiredService<PartnerScope>().Set(partnerId);
        var usage = unit.ServiceProvider.GetRequiredService<PartnerUsageQuery>();
        return await PartnerPortfolio.LoadAsync(usage, from, asOf, withTrend: true, CancellationToken.None);
    }
}

/// <summary>The in-memory store behind <see cref="PartnerPortfolios"/> (singleton): entries by key, each with its version.</summary>
public sealed class PortfolioCache : IDisposable
{
    private readonly MemoryCache _entries;
    private readonly TimeSpan _idle;
    private readonly Lock _gate = new();

    public PortfolioCache(IOptions<PortfolioCacheOptions> options)
    {
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MaxEntries });
        _idle = TimeSpan.FromMinutes(options.Value.IdleMinutes);
    }

    public readonly record struct Key(Guid PartnerId, DateOnly From, DateOnly AsOf);

    private sealed record Entry(PortfolioDataVersion Version, Task<PartnerPortfolio> Portfolio);

    public async Task<PartnerPortfolio> GetAsync(Key key, PortfolioDataVersion version, Func<Task<PartnerPortfolio>> compute, CancellationToken ct)
    {
        // Nearly every request finds its entry: that path takes no lock. A miss checks again under the lock, so concurrent
        // misses start one computation.
        if (!_entries.TryGetValue(key, out Entry? entry) || !Serves(entry, version))
        {
            lock (_gate)
            {
                if (!_entries.TryGetValue(key, out entry) || !Serves(entry, version))
                {
                    // Task.Run: SQLite's "async" reads run synchronously, and this lock must only cover the lookup.
                    entry = new Entry(version, Task.Run(() => MeasuredAsync(compute)));
                    _entries.Set(key, entry, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = _idle });
                }
            }
        }
        return await entry!.Portfolio.WaitAsync(ct);
    }

    /// <summary>An entry of the same version, computed or still computing; a failed computation is not kept, the next request tries again.</summary>
    private static bool Serves(Entry? entry, PortfolioDataVersion version) =>
        entry is not null && entry.Version == version && !entry.Portfolio.IsFaulted && !entry.Portfolio.IsCanceled;

    private static async Task<PartnerPortfolio> MeasuredAsync(Func<Task<PartnerPortfolio>> compute)
    {
        var started = Stopwatch.GetTimestamp();
        DporTelemetry.PortfolioComputations.Add(1);
        var portfolio = await compute();
        DporTelemetry.PortfolioComputeDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return portfolio;
    }

    public void Dispose() => _entries.Dispose();
}
