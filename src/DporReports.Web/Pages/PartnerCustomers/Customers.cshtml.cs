using DporReports.Core.Assignments;
using DporReports.Core.Usage;
using DporReports.Web.Access;
using DporReports.Web.Shell;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DporReports.Web.Pages.PartnerCustomers;

/// <summary>
/// The customers and subscriptions the signed-in partner is the verified, current partner of record of. The partner comes
/// from the token's tenant: the PartnerMember policy's handler sets the partner scope, which filters every query here.
/// </summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
public sealed class CustomersModel(PartnerOfRecordQueries queries, UsageQueries usage, IAuthorizationService authorization) : PageModel
{
    private const int HistoryTake = 200;

    public IReadOnlyList<PartnerCustomer> Customers { get; private set; } = [];

    /// <summary>How fresh each customer's usage is (refresh date of the latest successful pull, last error since).</summary>
    public IReadOnlyDictionary<Guid, TenantFreshness> Freshness { get; private set; } = new Dictionary<Guid, TenantFreshness>();

    /// <summary>Null unless the user passes the PartnerAdmin policy.</summary>
    public IReadOnlyList<LedgerEntry>? History { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Customers = await queries.CustomersOfPartnerAsync(ct);
        Freshness = await usage.FreshnessAsync([.. Customers.Select(c => c.TenantId)], ct);
        if ((await authorization.AuthorizeAsync(User, HttpContext, AccessPolicies.PartnerAdmin)).Succeeded)
            History = await queries.LedgerOfPartnerAsync(HistoryTake, ct);
    }

    /// <summary>The live region's status: busy while a customer's usage has not been pulled yet (a new assignment).</summary>
    public LiveStatus Live => Status(Customers, Freshness);

    public async Task<JsonResult> OnGetStatusAsync(CancellationToken ct)
    {
        var customers = await queries.CustomersOfPartnerAsync(ct);
        return Status(customers, await usage.FreshnessAsync([.. customers.Select(c => c.TenantId)], ct)).ToJson();
    }

    private static LiveStatus Status(IReadOnlyList<PartnerCustomer> customers, IReadOnlyDictionary<Guid, TenantFreshness> freshness) =>
        LiveStatus.Of(customers.Any(c => freshness.GetValueOrDefault(c.TenantId)?.UsageAsOf is null),
            customers.SelectMany(c => c.Subscriptions.Select(s => $"{c.TenantId}:{s.SubscriptionId}"))
                .Concat(freshness.Select(f => $"{f.Key}:{f.Value.UsageAsOf}")));
}
