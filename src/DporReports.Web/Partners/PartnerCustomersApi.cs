using DporReports.Core.Assignments;
using DporReports.Web.Access;

namespace DporReports.Web.Partners;

/// <summary>What a partner sees of its customers: only verified, current assignments, through the partner scope.</summary>
public static class PartnerCustomersApi
{
    public static RouteGroupBuilder MapPartnerCustomersApi(this RouteGroupBuilder api)
    {
        var partner = api.MapGroup("/partner").WithTags("Partner: customers");
        partner.MapGet("/customers", async (PartnerOfRecordQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.CustomersOfPartnerAsync(ct)))
            .RequireAuthorization(AccessPolicies.PartnerMember)
            .WithSummary("Customers and subscriptions you are the verified, current partner of record of.");
        partner.MapGet("/assignments/history", async (PartnerOfRecordQueries queries, int? take, CancellationToken ct) =>
                TypedResults.Ok(await queries.LedgerOfPartnerAsync(take ?? 200, ct)))
            .RequireAuthorization(AccessPolicies.PartnerAdmin)
            .WithSummary("The ledger events of your own assignments, newest first.");
        return api;
    }
}
