using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Core.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace DporReports.Web.Access;

/// <summary>
/// The explicit allow decision after token validation. Identity.Web's issuer validation proves that a token came from
/// *some* Entra tenant; these policies decide what that user is here: a customer, a partner member, or an operator.
/// </summary>
public static class AccessPolicies
{
    /// <summary>Any Entra tenant other than the service's own: new customer tenants are welcome.</summary>
    public const string Customer = nameof(Customer);

    /// <summary>Partner.Admin of any tenant: may register an organisation or update its own registration.</summary>
    public const string PartnerApplicant = nameof(PartnerApplicant);

    /// <summary>Partner.Admin or Partner.Reader of any tenant: sees its organisation's registration, if any, whatever its status.</summary>
    public const string PartnerViewer = nameof(PartnerViewer);

    /// <summary>Partner.Admin or Partner.Reader of an approved organisation: the partner features.</summary>
    public const string PartnerMember = nameof(PartnerMember);

    /// <summary>Partner.Admin of an approved organisation.</summary>
    public const string PartnerAdmin = nameof(PartnerAdmin);

    /// <summary>Operator app role in the service's own tenant.</summary>
    public const string Operator = nameof(Operator);

    /// <summary>Who a policy admits, as the API contract states it.</summary>
    public static string Describe(string policy) => policy switch
    {
        Customer => "members of any customer tenant (changes: the tenant's own Global Administrator only)",
        PartnerApplicant => "Partner.Admin of any tenant",
        PartnerViewer => "Partner.Admin or Partner.Reader of any tenant",
        PartnerMember => "Partner.Admin or Partner.Reader of an approved partner organisation",
        PartnerAdmin => "Partner.Admin of an approved partner organisation",
        Operator => "the Operator app role in the service's own tenant",
        _ => policy,
    };

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Customer, p => p.RequireAuthenticatedUser().AddRequirements(new CustomerRequirement()));
        options.AddPolicy(Operator, p => p.RequireAuthenticatedUser().AddRequirements(new OperatorRequirement()));
        options.AddPolicy(PartnerApplicant, p => p.RequireAuthenticatedUser()
            .AddRequirements(new PartnerRequirement(AdminOnly: true, RegisteredOnly: false, ApprovedOnly: false)));
        options.AddPolicy(PartnerViewer, p => p.RequireAuthenticatedUser()
            .AddRequirements(new PartnerRequirement(AdminOnly: false, RegisteredOnly: false, ApprovedOnly: false)));
        options.AddPolicy(PartnerMember, p => p.RequireAuthenticatedUser()
            .AddRequirements(new PartnerRequirement(AdminOnly: false, RegisteredOnly: true, ApprovedOnly: true)));
        options.AddPolicy(PartnerAdmin, p => p.RequireAuthenticatedUser()
            .AddRequirements(new PartnerRequirement(AdminOnly: true, RegisteredOnly: true, ApprovedOnly: true)));
    }
}

public sealed record CustomerRequirement : IAuthorizationRequirement;

public sealed record OperatorRequirement : IAuthorizationRequirement;

public sealed record PartnerRequirement(bool AdminOnly, bool RegisteredOnly, bool ApprovedOnly) : IAuthorizationRequirement;

/// <summary>
/// Decides the three requirements. For partner requirements it also sets the unit of work's <see cref="PartnerScope"/>
/// from the token's tenant: the only place a partner id comes from, never a route, query or body.
/// </summary>
internal sealed class AccessHandler(IOptions<AccessOptions> options, PartnerRegistry registry, PartnerScope scope) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var user = SignedInUser.From(context.User);
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            string? refusal;
            switch (requirement)
            {
                case CustomerRequirement: refusal = CustomerRefusal(user); break;
                case OperatorRequirement: refusal = OperatorRefusal(user); break;
                case PartnerRequirement partner: refusal = await PartnerRefusalAsync(user, partner, context.Resource); break;
                default: continue;
            }
            if (refusal is null) context.Succeed(requirement);
            else context.Fail(new AuthorizationFailureReason(this, refusal));
        }
    }

    private Guid ServiceTenantId => options.Value.ServiceTenantId!.Value;

    private string? CustomerRefusal(SignedInUser? user) =>
        user is null ? "Sign in with a work account of your organisation."
        : user.TenantId == ServiceTenantId ? "The service's own tenant is not a customer tenant."
        : null;

    private string? OperatorRefusal(SignedInUser? user) =>
        user is not null && user.TenantId == ServiceTenantId && user.HasAppRole(AppRoleNames.Operator)
            ? null
            : "Only operators (the Operator role in the service's own tenant) may do this.";

    private async Task<string?> PartnerRefusalAsync(SignedInUser? user, PartnerRequirement requirement, object? resource)
    {
        if (user is null || user.TenantId == ServiceTenantId) return "Sign in with your partner organisation's work account.";
        var isAdmin = user.HasAppRole(AppRoleNames.PartnerAdmin);
        if (requirement.AdminOnly && !isAdmin)
            return "This needs the Partner.Admin role, assigned by your organisation's administrator.";
        if (!isAdmin && !user.HasAppRole(AppRoleNames.PartnerReader))
            return "This needs the Partner.Admin or Partner.Reader role, assigned by your organisation's administrator.";

        var cancellation = (resource as HttpContext)?.RequestAborted ?? CancellationToken.None;
        var partner = await registry.FindByTenantAsync(user.TenantId, cancellation);
        if (partner is not null) scope.Set(partner.Id);
        if (requirement.RegisteredOnly && partner is null) return "Your organisation is not registered as a partner yet.";
        if (requirement.ApprovedOnly && partner?.Status != PartnerStatus.Approved)
            return $"Your partner organisation is {partner?.Status.ToString().ToLowerInvariant()}; partner features open once an operator approves it.";
        return null;
    }
}
