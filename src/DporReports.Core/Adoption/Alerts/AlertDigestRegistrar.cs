using DporReports.Core.Data;
using DporReports.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Adoption.Alerts;

/// <summary>At start, makes Hangfire's weekly digest jobs match the stored alert settings (one job per partner with alerts on).</summary>
internal sealed class AlertDigestRegistrar(IServiceScopeFactory scopes, IRecurringJobManager recurring, JobStorage storage,
    ILogger<AlertDigestRegistrar> log) : PartnerRecurringJobsRegistrar(scopes, recurring, storage, log)
{
    protected override string JobIdPrefix => AlertSettings.JobIdPrefix;

    protected override async Task<IReadOnlyList<string>> RegisterPartnerAsync(DporDbContext db, IRecurringJobManager jobs, CancellationToken ct)
    {
        var settings = await db.Set<AlertSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.Enabled, ct);
        if (settings is null) return [];
        PartnerAlerts.Register(jobs, settings);
        return [AlertSettings.JobIdOf(settings.PartnerId)];
    }
}
