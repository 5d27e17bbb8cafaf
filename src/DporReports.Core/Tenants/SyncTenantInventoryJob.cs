using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Graph;
using DporReports.Core.Jobs;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Tenants;

/// <summary>
/// Pulls a connected tenant's subscription inventory from Graph and upserts it: new subscriptions are added, changed ones
/// updated, vanished ones marked (never deleted). Each run is recorded. Consent revoked (401/403) marks the tenant and
/// stops its jobs; other failures escape so Hangfire retries. Then the tenant's assignments are re-verified.
/// </summary>
[Queue(JobQueues.Ingestion)]
[AutomaticRetry(Attempts = 5)]
public sealed class SyncTenantInventoryJob(DporDbContext db, GraphClient graph, AssignmentVerifier verifier, TenantJobs jobs,
    TimeProvider clock, ILogger<SyncTenantInventoryJob> log)
{
    [DisableConcurrentExecution("inventory:{0}", 600)]
    public async Task RunAsync(Guid tenantId, CancellationToken ct)
    {
        var tenant = await db.CustomerTenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is not { IsConnected: true }) return;

        var run = InventorySyncRun.Start(tenantId, clock.GetUtcNow());
        db.InventorySyncRuns.Add(run);
        await db.SaveChangesAsync(ct);
        try
        {
            var organization = await graph.GetOrganizationAsync(tenantId, ct);
            var remote = await graph.ListSubscriptionsAsync(tenantId, ct);
            var skus = await graph.ListSubscribedSkusAsync(tenantId, ct);
            var (added, changed, disappeared) = await UpsertAsync(tenantId, remote, skus, ct);
            var now = clock.GetUtcNow();
            var name = tenant.DisplayName;
            tenant.Rename(organization?.DisplayName ?? "");
            tenant.InventorySynced(now);
            run.Succeed(remote.Count, added, changed, disappeared, now);
            await db.SaveChangesAsync(ct);
            if (added + changed + disappeared > 0 || tenant.DisplayName != name) await RecordPartnersOutOfDateAsync(tenantId, ct);
            log.LogInformation("Inventory of tenant {TenantId}: {Read} subscriptions, {Added} added, {Changed} changed, {Disappeared} gone",
                tenantId, remote.Count, added, changed, disappeared);
        }
        catch (GraphConsentRevokedException e)
        {
            await RecordFailureAsync(run, SyncOutcome.ConsentRevoked, e.Message, ct);
            var fresh = await db.CustomerTenants.SingleAsync(t => t.Id == tenantId, ct);
            fresh.RevokeConsent(e.Reason, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            jobs.Unschedule(tenantId);
            log.LogWarning("Consent revoked in tenant {TenantId}: {Reason}; its jobs stop", tenantId, e.Reason);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await RecordFailureAsync(run, SyncOutcome.Failed, e.Message, ct);
            throw;
        }
        await verifier.VerifyTenantAsync(tenantId, ct);
    }

    /// <summary>
    /// Names, seats and renewal dates are shown in the partners' kept portfolios: their usage version rises and the tenant is
    /// recorded as changed, as a pull does. After the inventory is saved, in a transaction of its own: should the process
    /// stop between the two, the next pull of the tenant (daily) or the next day's portfolio brings the figures up to date.
    /// </summary>
    private Task RecordPartnersOutOfDateAsync(Guid tenantId, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await TenantUsageChange.RecordAsync(db, tenantId, token);
            await transaction.CommitAsync(token);
        }, ct);

    private async Task<(int Added, int Changed, int Disappeared)> UpsertAsync(Guid tenantId, List<GraphSubscription> remote,
        List<GraphSubscribedSku> skus, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var known = await db.Subscriptions.Where(s => s.TenantId == tenantId).ToDictionaryAsync(s => s.Id, ct);
        var consumed = skus.ToDictionary(s => s.SkuId, s => s.ConsumedUnits);
        var skuPlans = skus.ToDictionary(s => s.SkuId, s => s.ServicePlans ?? []);
        int added = 0, changed = 0, disappeared = 0;
        foreach (var item in remote.DistinctBy(r => r.Id))
        {
            var isNew = !known.Remove(item.Id, out var subscription);
            if (isNew)
            {
                subscription = Subscription.Discover(item.Id, tenantId, now);
                db.Subscriptions.Add(subscription);
            }

            // Refresh always runs, so a newer catalog (a table refresh) reaches stored subscriptions too.
            var changedNow = subscription!.Refresh(item.CommerceSubscriptionId, item.SkuId, item.SkuPartNumber, ParseStatus(item.Status),
                item.TotalLicenses, item.IsTrial, item.CreatedDateTime, PlansOf(item, skuPlans.GetValueOrDefault(item.SkuId) ?? []),
                consumed.GetValueOrDefault(item.SkuId), ProductCatalog.Microsoft, item.NextLifecycleDateTime);
            if (isNew) added++;
            else if (changedNow) changed++;
        }
        foreach (var gone in known.Values.Where(s => s.DisappearedAt is null))
        {
            gone.Disappear(now);
            disappeared++;
        }
        return (added, changed, disappeared);
    }

    /// <summary>
    /// The plans a subscription delivers, most specific source first: the tenant's subscribedSku (what this tenant's copy
    /// of the SKU holds) less the plans switched off in this subscription; else the subscription's own serviceStatus; else
    /// Microsoft's table for the SKU.
    /// </summary>
    private static List<ServicePlan> PlansOf(GraphSubscription item, List<GraphServicePlan> skuPlans)
    {
        var own = (item.ServiceStatus ?? []).Select(ToPlan).ToList();
        if (skuPlans.Count > 0)
        {
            var disabledHere = own.Where(p => IsDisabled(p.ProvisioningStatus)).Select(p => p.ServicePlanId).ToHashSet();
            return [.. skuPlans.Select(ToPlan).Select(p => disabledHere.Contains(p.ServicePlanId) ? p with { ProvisioningStatus = "Disabled" } : p)];
        }

        return own.Count > 0
            ? own
            : [.. (ProductCatalog.Microsoft.Find(item.SkuId, item.SkuPartNumber)?.Plans ?? []).Select(p => new ServicePlan(p.Id, p.Name, "Success"))];
    }

    private static ServicePlan ToPlan(GraphServicePlan p) => new(p.ServicePlanId, p.ServicePlanName ?? "", p.ProvisioningStatus ?? "");

    private static bool IsDisabled(string status) => string.Equals(status, "Disabled", StringComparison.OrdinalIgnoreCase);

    // Graph may add statuses; an unknown one is treated as not active rather than failing the whole sync.
    private static SubscriptionStatus ParseStatus(string status) =>
        Enum.TryParse<SubscriptionStatus>(status, ignoreCase: true, out var parsed) ? parsed : SubscriptionStatus.Suspended;

    private Task RecordFailureAsync(InventorySyncRun run, SyncOutcome outcome, string error, CancellationToken ct) =>
        db.SaveAloneAsync(run, r => r.Fail(outcome, error, clock.GetUtcNow()), ct);
}
