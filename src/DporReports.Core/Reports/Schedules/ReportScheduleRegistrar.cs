using DporReports.Core.Data;
using DporReports.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Reports.Schedules;

/// <summary>At start, makes Hangfire's recurring jobs match the stored schedules (one job per enabled, undeleted schedule).</summary>
internal sealed class ReportScheduleRegistrar(IServiceScopeFactory scopes, IRecurringJobManager recurring, JobStorage storage,
    ILogger<ReportScheduleRegistrar> log) : PartnerRecurringJobsRegistrar(scopes, recurring, storage, log)
{
    protected override string JobIdPrefix => ReportSchedule.JobIdPrefix;

    protected override async Task<IReadOnlyList<string>> RegisterPartnerAsync(DporDbContext db, IRecurringJobManager jobs, CancellationToken ct)
    {
        var schedules = await db.Set<ReportSchedule>().AsNoTracking().Where(s => s.DeletedAt == null && s.Enabled).ToListAsync(ct);
        foreach (var schedule in schedules) ReportSchedules.Register(jobs, schedule);
        return [.. schedules.Select(s => s.RecurringJobId)];
    }
}
