using DporReports.Core.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Adoption;

/// <summary>
/// TEMP (alerts branch only): a minimal stand-in for the lead's loader with the agreed signature, so the alert digest can be
/// built and tested before the real one lands on main. Reads only through the partner's verified windows
/// (<see cref="PartnerUsageQuery"/>); gives the day's figures and the MAU a month earlier, nothing else. Drop at merge.
/// </summary>
public sealed class AdoptionQuery(PartnerUsageQuery usage)
{
    public async Task<List<SubscriptionSignals>> PartnerSignalsAsync(DateOnly asOf, CancellationToken ct)
    {
        var windows = await usage.WindowsAsync(ct);
        var customers = await usage.CustomersAsync(windows, asOf, null, ct);
        var before = (await usage.CustomersAsync(windows, asOf.AddMonths(-1), null, ct)).SelectMany(c => c.Subscriptions)
            .ToDictionary(s => s.SubscriptionId);
        return [.. customers.SelectMany(c => c.Subscriptions.Select(s =>
        {
            var next = s.Details?.NextLifecycleAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : (DateOnly?)null;
            return new SubscriptionSignals(c.TenantId, c.TenantName, s.SubscriptionId, s.ProductName, s.Details?.Reference ?? s.SubscriptionId.ToString(),
                s.Details?.IsTrial ?? false, s.Seats, s.AsOf, next, AdoptionSignals.DaysTo(next, asOf),
                [.. s.Workloads.Select(w => new WorkloadSignals(w.Workload, w.Seats, w.LicensedUsers, w.ActiveUsers, null, null,
                    before.GetValueOrDefault(s.SubscriptionId)?.Workloads.FirstOrDefault(b => b.Workload == w.Workload)?.ActiveUsers,
                    null, null, null, null))]);
        }))];
    }
}

public static class AdoptionModule
{
    public static IServiceCollection AddAdoption(this IServiceCollection services) => services.AddScoped<AdoptionQuery>();
}
