using DporReports.Core.Data;
using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Adoption;

/// <summary>
/// Loads the adoption signals (reports/README.md "Adoption signals") of the signed-in partner's subscriptions, through its
/// verified windows as every partner read does, or of a customer's own tenant with every day visible. Both go through the
/// same readers of <see cref="PartnerUsageQuery"/> and the same arithmetic, so a customer sees what its partner sees.
/// </summary>
public sealed class AdoptionQuery(PartnerUsageQuery usage, DporDbContext db)
{
    /// <summary>The signals of every subscription the partner is the verified partner of record of on <paramref name="asOf"/>.</summary>
    public Task<List<SubscriptionSignals>> PartnerSignalsAsync(DateOnly asOf, CancellationToken ct) => PartnerSignalsAsync(asOf, onlyTenant: null, ct);

    /// <summary>The same for one customer (its page), or every customer when <paramref name="onlyTenant"/> is null.</summary>
    public async Task<List<SubscriptionSignals>> PartnerSignalsAsync(DateOnly asOf, Guid? onlyTenant, CancellationToken ct)
    {
        var windows = usage.Checked(await usage.WindowsAsync(ct));
        return await SignalsAsync([.. windows.Where(w => onlyTenant is null || w.TenantId == onlyTenant)], asOf, ct);
    }

    /// <summary>
    /// The signals of every current subscription of the customer's own tenant. <paramref name="tenantId"/> must be the signed-in
    /// user's own tenant (the caller takes it from the token, never from a request).
    /// </summary>
    public async Task<List<SubscriptionSignals>> TenantSignalsAsync(Guid tenantId, DateOnly asOf, CancellationToken ct)
    {
        var ids = await db.Subscriptions.AsNoTracking().Where(s => s.TenantId == tenantId && s.DisappearedAt == null)
            .Select(s => s.Id).ToListAsync(ct);
        return await SignalsAsync([.. ids.Select(id => PartnerUsageQuery.WholeHistory(tenantId, id))], asOf, ct);
    }

    private async Task<List<SubscriptionSignals>> SignalsAsync(IReadOnlyList<AssignmentWindow> windows, DateOnly asOf, CancellationToken ct)
    {
        var customers = await usage.CustomersOfAsync(windows, asOf, onlyTenant: null, ct);
        var subscriptions = customers.SelectMany(c => c.Subscriptions.Select(s => (Customer: c, Subscription: s))).ToList();
        var byId = windows.ToLookup(w => w.SubscriptionId);
        var days = subscriptions.Where(s => s.Subscription.AsOf is not null).ToDictionary(s => s.Subscription.SubscriptionId, s => s.Subscription.AsOf!.Value);

        // A week and a month before each subscription's own usage day, so the comparison spans exactly that, whatever its lag.
        var weekEarlier = await usage.ActiveUsersNearAsync(byId, days.ToDictionary(d => d.Key, d => d.Value.AddDays(-AdoptionSignals.WeekDays)),
            AdoptionSignals.WeekDays - 1, ct);
        var monthEarlier = await usage.ActiveUsersNearAsync(byId, days.ToDictionary(d => d.Key, d => d.Value.AddMonths(-1)),
            AdoptionSignals.WeekDays - 1, ct);
        var daily = days.Count == 0
            ? Enumerable.Empty<(Workload Workload, DateOnly Date, int Users)>().ToLookup(_ => Guid.Empty)
            : await usage.SubscriptionDaysAsync(byId, days.Keys, days.Values.Min().AddDays(-(2 * AdoptionSignals.MonthDays) + 1), days.Values.Max(), ct);

        return [.. subscriptions.Select(pair =>
        {
            var (customer, s) = pair;
            var workloads = s.Workloads.Select(w =>
            {
                var key = (s.SubscriptionId, w.Workload);
                var series = daily[s.SubscriptionId].Where(d => d.Workload == w.Workload).Select(d => (d.Date, (long)d.Users)).ToList();
                var day = s.AsOf!.Value;
                decimal? Mean(int fromBack, int toBack) => AdoptionSignals.MeanOver(series, day.AddDays(-fromBack), day.AddDays(-toBack));
                return new WorkloadSignals(w.Workload, w.Seats, w.LicensedUsers, w.ActiveUsers, w.ActiveUsers90Days,
                    weekEarlier.TryGetValue(key, out var week) ? week : null, monthEarlier.TryGetValue(key, out var month) ? month : null,
                    Mean(AdoptionSignals.WeekDays - 1, 0), Mean((2 * AdoptionSignals.WeekDays) - 1, AdoptionSignals.WeekDays),
                    Mean(AdoptionSignals.MonthDays - 1, 0), Mean((2 * AdoptionSignals.MonthDays) - 1, AdoptionSignals.MonthDays));
            }).ToList();
            var renewal = s.Details?.NextLifecycleAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : (DateOnly?)null;
            return new SubscriptionSignals(customer.TenantId, customer.TenantName, s.SubscriptionId, s.ProductName, s.Details?.Reference ?? "",
                s.Details?.IsTrial ?? false, s.Seats, s.AsOf, renewal, AdoptionSignals.DaysTo(renewal, asOf), workloads);
        })];
    }
}
