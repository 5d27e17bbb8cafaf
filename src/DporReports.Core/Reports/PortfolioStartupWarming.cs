using DporReports.Core.Data;
using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
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
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DporDbContext>();
            var partners = await db.Partners.AsNoTracking().Select(p => p.Id).ToListAsync(stoppingToken);
            var loaded = 0;
            foreach (var partnerId in partners)
            {
                await using var unit = scopes.CreateAsyncScope();
                unit.ServiceProvider.GetRequiredService<PartnerScope>().Set(partnerId);
                var periods = await unit.ServiceProvider.GetRequiredService<DporDbContext>().Set<PortfolioSnapshot>().AsNoTracking()
                    .Where(s => s.UsedOn == today).Select(s => new { s.From, s.AsOf }).ToListAsync(stoppingToken);
                foreach (var period in periods)
                {
                    if (loaded++ >= options.Value.MaxEntries / 2) return;
                    await unit.ServiceProvider.GetRequiredService<PartnerPortfolios>().GetAsync(period.From, period.AsOf, stoppingToken);
                }
            }
            log.LogInformation("Loaded {Periods} portfolio periods in use today from their snapshots", loaded);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Only a head start: each portfolio is still computed by its first request.
            log.LogWarning(e, "Loading today's portfolios from their snapshots at start failed");
        }
    }
}
