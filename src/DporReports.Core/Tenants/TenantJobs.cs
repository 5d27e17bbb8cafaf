using Hangfire;
using Hangfire.Common;

namespace DporReports.Core.Tenants;

/// <summary>The per-tenant recurring jobs, under stable ids, staggered across the day by a stable hash of the tenant id.</summary>
public sealed class TenantJobs(IRecurringJobManager recurring, IBackgroundJobClient jobs)
{
    public const string InventoryJobPrefix = "inventory:";

    public static string InventoryJobId(Guid tenantId) => $"{InventoryJobPrefix}{tenantId}";

    public void Schedule(Guid tenantId)
    {
        recurring.AddOrUpdate(InventoryJobId(tenantId), Job.FromExpression<SyncTenantInventoryJob>(j => j.RunAsync(tenantId, CancellationToken.None)),
            DailyCron(tenantId), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    public void SyncNow(Guid tenantId) =>
        jobs.Enqueue<SyncTenantInventoryJob>(j => j.RunAsync(tenantId, CancellationToken.None));

    public void Unschedule(Guid tenantId) => recurring.RemoveIfExists(InventoryJobId(tenantId));

    /// <summary>A minute of the day that depends only on the tenant id, so thousands of tenants spread out evenly.</summary>
    public static string DailyCron(Guid tenantId)
    {
        var bytes = tenantId.ToByteArray();
        var minuteOfDay = (int)(BitConverter.ToUInt32(bytes, 0) % (24 * 60));
        return $"{minuteOfDay % 60} {minuteOfDay / 60} * * *";
    }
}
