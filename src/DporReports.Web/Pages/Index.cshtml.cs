using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Web.Access;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace DporReports.Web.Pages;

/// <summary>Who you are and what you can do here: customer, partner member or operator.</summary>
public sealed class IndexModel(IOptions<AccessOptions> access, PartnerRegistry registry) : PageModel
{
    public SignedInUser? SignedIn { get; private set; }
    public bool IsOperator { get; private set; }
    public bool IsCustomer { get; private set; }
    public AdministratorDecision? Administrator { get; private set; }
    public bool HasPartnerRole { get; private set; }
    public Core.Partners.Partner? Partner { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        SignedIn = SignedInUser.From(User);
        if (SignedIn is null) return;
        var serviceTenant = access.Value.ServiceTenantId;
        IsOperator = SignedIn.TenantId == serviceTenant && SignedIn.HasAppRole(AppRoleNames.Operator);
        IsCustomer = SignedIn.TenantId != serviceTenant;
        if (IsCustomer) Administrator = GlobalAdministratorRule.Evaluate(SignedIn, SignedIn.TenantId);
        HasPartnerRole = IsCustomer && (SignedIn.HasAppRole(AppRoleNames.PartnerAdmin) || SignedIn.HasAppRole(AppRoleNames.PartnerReader));
        if (HasPartnerRole) Partner = await registry.FindByTenantAsync(SignedIn.TenantId, ct);
    }
}
