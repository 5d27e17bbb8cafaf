using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DporReports.Core.Jobs;

/// <summary>Hangfire queues, named once. A worker host picks which it serves.</summary>
public static class JobQueues
{
    public const string Default = "default";
    public const string Ingestion = "ingestion";
    public const string Reports = "reports";
    public const string Notifications = "notifications";
    public static readonly string[] All = [Notifications, Default, Ingestion, Reports];
}

public sealed class JobsOptions
{
    public const string SectionName = "Hangfire";

    /// <summary>InMemory for the embedded default; server storages come with the server databases.</summary>
    [Required, AllowedValues("InMemory")] public string Storage { get; set; } = "InMemory";

    public bool ServerEnabled { get; set; } = true;

    [Range(1, 64)] public int WorkerCount { get; set; } = 4;
}

public static class JobsModule
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();

        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage());
        if (options.ServerEnabled)
        {
            services.AddHangfireServer(server =>
            {
                server.Queues = JobQueues.All;
                server.WorkerCount = options.WorkerCount;
            });
        }
        services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("hangfire-storage", tags: ["ready"]);
        return services;
    }
}

/// <summary>The service-wide recurring jobs, registered in one place under stable ids (per-tenant ones: TenantJobs).</summary>
public static class RecurringJobs
{
    public static IServiceProvider ScheduleRecurringJobs(this IServiceProvider services)
    {
        var manager = services.GetRequiredService<IRecurringJobManager>();
        Notifications.NotificationJobs.Schedule(manager);
        Usage.UsageModule.Schedule(manager);
        return services;
    }
}

internal sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var stats = storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy($"{stats.Servers} server(s), {stats.Enqueued} enqueued, {stats.Failed} failed."));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage is unreachable.", e));
        }
    }
}
