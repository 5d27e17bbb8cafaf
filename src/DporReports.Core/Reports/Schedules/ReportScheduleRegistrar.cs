using DporReports.Core.Data;
using DporReports.Core.Jobs;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Reports.Schedules;

/// <summary>
/// At start, makes Hangfire's recurring jobs match the stored schedules: in-memory storage starts empty, and a server
/// storage may hold a job whose schedule was deleted while Hangfire was unreachable. Runs per partner, in that
/// partner's scope, so it reads schedules through the same filter as everything else.
/// </summary>
internal sealed class ReportScheduleRegistrar(IServiceProvider services, IRecurringJobManager recurring, JobStorage storage,
    ILogger<ReportScheduleRegistrar> log) : IHostedService
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
            var schedules = await unit.ServiceProvider.GetRequiredService<DporDbContext>().Set<ReportSchedule>().AsNoTracking()
                .Where(s => s.DeletedAt == null && s.Enabled).ToListAsync(cancellationToken);
            foreach (var schedule in schedules)
            {
                ReportSchedules.Register(recurring, schedule);
                wanted.Add(schedule.RecurringJobId);
            }
        }

        var stale = recurring.RemoveStale(storage, ReportSchedule.JobIdPrefix, wanted);
        if (wanted.Count + stale > 0)
            log.LogInformation("Report schedules: {Registered} recurring job(s) registered, {Removed} stale removed", wanted.Count, stale);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
