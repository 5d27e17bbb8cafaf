using DporReports.Core.Jobs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Reports;

/// <summary>
/// Daily, before midnight UTC: for every period a partner's portfolio was asked for today (its snapshot was used today),
/// computes the same period moved one day on and writes its snapshot, so the first request of the new day — the
/// day is part of every portfolio's key — starts from it instead of reading every customer's facts (a minute at 10,000
/// customers). Whatever changes between now and then is caught by the snapshot's data version, as after a restart.
/// Also, for every partner that has had a verified customer, the default dashboard's two periods (the last 28 days and the
/// 28 before), asked for today or not: a partner's very first view, or the first after a quiet day, would otherwise read
/// every customer's facts (10 to 17 s at 10,000 customers). Its cost is one computation per partner and day, on a worker.
/// </summary>
[Queue(JobQueues.Default)]
public sealed class WarmPortfolioSnapshotsJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<WarmPortfolioSnapshotsJob> log)
{
    public const string RecurringId = "portfolio:warm-snapshots";

    /// <summary>23:10 UTC: late enough that today's periods were asked for, early enough for a large portfolio to be done.</summary>
    public const string Cron = "10 23 * * *";

    [DisableConcurrentExecution("portfolio:warm-snapshots", 3600)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var dashboard = PartnerDashboard.DefaultPeriod(today);
        var warmed = await PortfolioSnapshot.ForEachPeriodInUseAsync(scopes, today, async (portfolios, periods) =>
        {
            foreach (var (from, asOf) in periods) await portfolios.WarmAsync(from.AddDays(1), asOf.AddDays(1), today.AddDays(1), ct);
            return true;
        }, ct, alsoWithCustomers: [dashboard, PartnerDashboard.PreviousPeriod(dashboard.From, dashboard.To)]);
        log.LogInformation("Portfolio snapshots for {Day}: {Warmed} periods written", today.AddDays(1), warmed);
        return warmed;
    }
}
