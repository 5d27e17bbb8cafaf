using DporReports.Core.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Infrastructure;

public static class HangfireJobs
{
    /// <summary>
    /// Deletes every queued and scheduled job and removes every recurring one from the host's (shared) storage: what an
    /// arrangement left behind (first syncs and pulls, daily jobs), so that only the jobs a test or benchmark enqueues run.
    /// </summary>
    public static void ClearAll(this DporWebFactory host)
    {
        var storage = host.Services.GetRequiredService<JobStorage>();
        var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();
        var recurring = host.Services.GetRequiredService<IRecurringJobManager>();
        var monitoring = storage.GetMonitoringApi();
        using (var connection = storage.GetConnection())
            foreach (var job in connection.GetRecurringJobs()) recurring.RemoveIfExists(job.Id);
        foreach (var queue in JobQueues.All)
            foreach (var job in monitoring.EnqueuedJobs(queue, 0, 100_000)) jobs.Delete(job.Key);
        foreach (var job in monitoring.ScheduledJobs(0, 100_000)) jobs.Delete(job.Key);
    }
}
