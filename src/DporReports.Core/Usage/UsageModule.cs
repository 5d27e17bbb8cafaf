using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Usage;

public static class UsageModule
{
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.AddOptions<UsageRetentionOptions>().BindConfiguration(UsageRetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReportRequestBudget>();
        services.AddScoped<UsageIngestion>();
        services.AddScoped<PullTenantUsageJob>();
        services.AddScoped<FanOutUsagePullJob>();
        services.AddScoped<PruneUsageHistoryJob>();
        services.AddScoped<UsageQueries>();
        return services;
    }

    public static void Schedule(IRecurringJobManager manager)
    {
        manager.AddOrUpdate(FanOutUsagePullJob.RecurringId, Job.FromExpression<FanOutUsagePullJob>(j => j.RunAsync(CancellationToken.None)),
            FanOutUsagePullJob.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        manager.AddOrUpdate(PruneUsageHistoryJob.RecurringId, Job.FromExpression<PruneUsageHistoryJob>(j => j.RunAsync(CancellationToken.None)),
            PruneUsageHistoryJob.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }
}
