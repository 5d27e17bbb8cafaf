using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Usage;

public static class UsageModule
{
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.AddSingleton<ReportRequestBudget>();
        services.AddScoped<UsageIngestion>();
        services.AddScoped<PullTenantUsageJob>();
        services.AddScoped<FanOutUsagePullJob>();
        services.AddScoped<UsageQueries>();
        return services;
    }

    public static void Schedule(IRecurringJobManager manager) =>
        manager.AddOrUpdate(FanOutUsagePullJob.RecurringId, Job.FromExpression<FanOutUsagePullJob>(j => j.RunAsync(CancellationToken.None)),
            "5 * * * *", new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
}
