using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Tenants;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DporReports.Web.Pages.Customer;

/// <summary>The tenant's partner-of-record ledger, newest first, for any member of the tenant.</summary>
public sealed class HistoryModel(TenantConnections tenants, PartnerOfRecordQueries queries) : PageModel
{
    private const int Take = 500;

    /// <summary>Null until the first inventory sync has read the organisation's name.</summary>
    public string? TenantName { get; private set; }
    public IReadOnlyList<LedgerEntry> Entries { get; private set; } = [];
    public bool Truncated => Entries.Count == Take;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var user = SignedInUser.From(User) ?? throw new InvalidOperationException("The Customer policy admits only signed-in users.");
        if (await tenants.FindAsync(user.TenantId, ct) is { } tenant && !Guid.TryParse(tenant.DisplayName, out _))
            TenantName = tenant.DisplayName;
        Entries = await queries.LedgerOfTenantAsync(user.TenantId, Take, ct);
    }
}
