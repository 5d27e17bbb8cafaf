using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Reports;

/// <summary>
/// In a web host, as it starts and in the background: every portfolio period in use today (its snapshot's
/// <see cref="PortfolioSnapshot.UsedOn"/> is today) is loaded into the cache from its snapshot and brought up to date, so
/// the first request after a start or a deployment finds it in memory (a 10,000-customer snapshot takes about a second to
/// read; a request that comes sooner waits for the same load, never starts its own). Up to half the cache's entries.
/// </summary>
internal sealed class PortfolioStartupWarming(IServiceScopeFactory scopes, IOptions<PortfolioCacheOptions> options, TimeProvider clock,
    ILogger<PortfolioStartupWarming> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmAtStart) return;
        // After start-up (migrations included): the host answers while this runs.
        await Task.Yield();
        try
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            // More than the cache holds would only push out what was loaded first.
            var room = Math.Max(1, options.Value.MaxEntries / 2);
            var loaded = 0;
            await PortfolioSnapshot.ForEachPeriodInUseAsync(scopes, today, async (portfolios, periods) =>
            {
                foreach (var dashboard in Dashboards(periods))
                {
                    var taken = dashboard.Take(room).ToList();
                    await portfolios.GetAsync(taken, stoppingToken);
                    (loaded, room) = (loaded + taken.Count, room - taken.Count);
                    if (room <= 0) return false;
                }
                return true;
            }, stoppingToken);
            log.LogInformation("Loaded {Periods} portfolio periods in use today from their snapshots", loaded);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Only a head start: each portfolio is still computed by its first request.
            log.LogWarning(e, "Loading today's portfolios from their snapshots at start failed");
        }
    }

    /// <summary>
    /// The periods (in the order given) grouped as the dashboard shows them: a period with the one before it when that one is
    /// in use too. A group is loaded side by side, one snapshot per core, so the first page after a start waits for one
    /// snapshot's load, not for its period's and then the previous one's (a 10,000-customer snapshot takes about half a second).
    /// </summary>
    internal static List<List<(DateOnly From, DateOnly AsOf)>> Dashboards(IReadOnlyList<(DateOnly From, DateOnly AsOf)> periods)
    {
        var left = periods.ToHashSet();
        var groups = new List<List<(DateOnly From, DateOnly AsOf)>>();
        foreach (var period in periods)
        {
            if (!left.Remove(period)) continue;
            var previous = PartnerDashboard.PreviousPeriod(period.From, period.AsOf);
            groups.Add(left.Remove(previous) ? [period, previous] : [period]);
        }
        return groups;
    }
}
