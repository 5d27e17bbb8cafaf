using DporReports.Core.Assignments;
using DporReports.Core.Usage;
using DporReports.Web.Access;

namespace DporReports.Web.Partners;

public sealed record PartnerCustomerView(Guid TenantId, string TenantName, IReadOnlyList<PartnerSubscription> Subscriptions,
    TenantFreshness Freshness);

/// <summary>What a partner sees of its customers: only verified, current assignments, through the partner scope.</summary>
public static class PartnerCustomersApi
{
    public static RouteGroupBuilder MapPartnerCustomersApi(this RouteGroupBuilder api)
    {
        var partner = api.MapGroup("/partner").WithTags("Partner: customers");
        partner.MapGet("/customers", async (PartnerOfRecordQueries queries, UsageQueries usage, CancellationToken ct) =>
            {
                var customers = await queries.CustomersOfPartnerAsync(ct);
                var freshness = await usage.FreshnessAsync([.. customers.Select(c => c.TenantId)], ct);
                return TypedResults.Ok(customers.Select(c => new PartnerCustomerView(c.TenantId, c.TenantName, c.Subscriptions, freshness[c.TenantId])));
            })
            .RequireAuthorization(AccessPolicies.PartnerMember)
            .WithSummary("Customers and subscriptions you are the verified, current partner of record of.");
        partner.MapGet("/assignments/history", async (PartnerOfRecordQueries queries, int? take, CancellationToken ct) =>
                TypedResults.Ok(await queries.LedgerOfPartnerAsync(take ?? 200, ct)))
            .RequireAuthorization(AccessPolicies.PartnerAdmin)
            .WithSummary("The ledger events of your own assignments, newest first.");
        return api;
    }
}
