using DporReports.Core.Data;
using DporReports.Core.Jobs;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Adoption.Alerts;

/// <summary>
/// At start, makes Hangfire's weekly digest jobs match the stored alert settings (in-memory storage starts empty; a server
/// storage may hold the job of a partner that switched alerts off meanwhile). Reads per partner, in its scope.
/// </summary>
internal sealed class AlertDigestRegistrar(IServiceProvider services, IRecurringJobManager recurring, JobStorage storage,
    ILogger<AlertDigestRegistrar> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<Guid> partnerIds;
        await using (var root = services.CreateAsyncScope())
            partnerIds = await root.ServiceProvider.GetRequiredService<DporDbContext>().Partners.Select(p => p.Id).ToListAsync(cancellationToken);

        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var partnerId in partnerIds)
        {
            await using var unit = services.CreateAsyncScope();
            unit.ServiceProvider.GetRequiredService<PartnerScope>().Set(partnerId);
            var settings = await unit.ServiceProvider.GetRequiredService<DporDbContext>().Set<AlertSettings>().AsNoTracking()
                .SingleOrDefaultAsync(s => s.Enabled, cancellationToken);
            if (settings is null) continue;
            PartnerAlerts.Register(recurring, settings);
            wanted.Add(AlertSettings.JobIdOf(partnerId));
        }

        var stale = recurring.RemoveStale(storage, AlertSettings.JobIdPrefix, wanted);
        if (wanted.Count + stale > 0)
            log.LogInformation("Alert digests: {Registered} recurring job(s) registered, {Removed} stale removed", wanted.Count, stale);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
