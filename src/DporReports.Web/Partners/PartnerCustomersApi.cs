using DporReports.Core.Assignments;
using DporReports.Core.Shared;
using DporReports.Core.Usage;
using DporReports.Web.Access;
using DporReports.Web.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Partners;

public sealed record PartnerCustomerView(Guid TenantId, string TenantName, IReadOnlyList<PartnerSubscription> Subscriptions,
    TenantFreshness Freshness);

/// <summary>What a partner sees of its customers: only verified, current assignments, through the partner scope.</summary>
public static class PartnerCustomersApi
{
    public static RouteGroupBuilder MapPartnerCustomersApi(this RouteGroupBuilder api)
    {
        var partner = api.MapGroup("/partner").WithTags(ApiTags.PartnerCustomers);
        partner.MapGet("/customers", async (PartnerOfRecordQueries queries, UsageQueries usage, CancellationToken ct) =>
            {
                var customers = await queries.CustomersOfPartnerAsync(ct);
                var freshness = await usage.FreshnessAsync([.. customers.Select(c => c.TenantId)], ct);
                return TypedResults.Ok(customers.Select(c => new PartnerCustomerView(c.TenantId, c.TenantName, c.Subscriptions, freshness[c.TenantId])));
            })
            .RequireAuthorization(AccessPolicies.PartnerMember)
            .WithName("ListCustomers").WithSummary("Customers and subscriptions you are the verified, current partner of record of.");
        partner.MapGet("/assignments/history", HistoryAsync)
            .RequireAuthorization(AccessPolicies.PartnerAdmin)
            .WithName("GetAssignmentHistory").WithSummary("The ledger events of your own assignments, newest first (take: 1 to 1000, default 200).")
            .Problems(400);
        return api;
    }

    private static async Task<Results<Ok<List<LedgerEntry>>, ProblemHttpResult>> HistoryAsync(PartnerOfRecordQueries queries, int? take,
        CancellationToken ct) =>
        Paging.Take(take) is { Problem: { } invalid }
            ? invalid.ToHttp()
            : TypedResults.Ok(await queries.LedgerOfPartnerAsync(take ?? Paging.DefaultTake, ct));
}
