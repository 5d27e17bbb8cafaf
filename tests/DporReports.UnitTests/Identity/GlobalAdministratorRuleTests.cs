using DporReports.Core.Identity;

namespace DporReports.UnitTests.Identity;

/// <summary>
/// design.md §2 "Who may assign". The attack: a partner's delegated technician (DAP/GDAP), a guest, or a reader of the
/// customer tenant changes the customer's partner of record — for example a partner naming itself. Entra puts the
/// Global Administrator role id into such tokens too, so the predicate must look past the role.
/// </summary>
public sealed class GlobalAdministratorRuleTests
{
    private static readonly Guid Customer = PrincipalBuilder.Customer;
    private static readonly string PartnerIssuer = $"https://sts.windows.net/{PrincipalBuilder.PartnerTenant}/";

    [Fact]
    public void Evaluate_MemberGlobalAdministratorOfTheTenant_Allows()
    {
        var decision = GlobalAdministratorRule.Evaluate(new PrincipalBuilder().GlobalAdministrator().Build(), Customer);

        Assert.True(decision.Allowed, decision.Reason);
    }

    [Fact]
    public void Evaluate_IdpEqualToIssuer_Allows()
    {
        var issuer = $"https://login.microsoftonline.com/{Customer}/v2.0";
        var user = new PrincipalBuilder().GlobalAdministrator().IssuedBy(issuer).AuthenticatedBy(issuer).Build();

        Assert.True(GlobalAdministratorRule.Evaluate(user, Customer).Allowed);
    }

    [Fact]
    public void Evaluate_NoAcctClaim_TreatsAsMemberAndAllows()
    {
        var user = new PrincipalBuilder().GlobalAdministrator().WithoutAcct().Build();

        Assert.True(GlobalAdministratorRule.Evaluate(user, Customer).Allowed);
    }

    public static TheoryData<string, PrincipalBuilder, string> Refused() => new()
    {
        { "guest global administrator", new PrincipalBuilder().GlobalAdministrator().Guest().AuthenticatedBy(PartnerIssuer), "guest" },
        { "guest global administrator without idp", new PrincipalBuilder().GlobalAdministrator().Guest(), "guest" },
        {
            "GDAP technician", new PrincipalBuilder().GlobalAdministrator().WithRole(DirectoryRoleIds.GdapMarker).WithoutObjectId()
                .AuthenticatedBy(PartnerIssuer), "GDAP"
        },
        { "GDAP marker alone with an oid", new PrincipalBuilder().GlobalAdministrator().WithRole(DirectoryRoleIds.GdapMarker), "GDAP" },
        { "DAP-style technician with a foreign idp", new PrincipalBuilder().GlobalAdministrator().AuthenticatedBy(PartnerIssuer), "another organisation" },
        { "global administrator without oid", new PrincipalBuilder().GlobalAdministrator().WithoutObjectId(), "no user object" },
        { "global reader", new PrincipalBuilder().GlobalReader(), "not a Global Administrator" },
        { "no wids at all", new PrincipalBuilder(), "not a Global Administrator" },
        { "partner admin app role", new PrincipalBuilder().WithAppRole(AppRoleNames.PartnerAdmin), "not a Global Administrator" },
        { "global administrator of another tenant", new PrincipalBuilder().InTenant(PrincipalBuilder.PartnerTenant).GlobalAdministrator(), "another tenant" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Evaluate_NotTheTenantsOwnGlobalAdministrator_RefusesWithReason(string who, PrincipalBuilder builder, string reasonContains)
    {
        var decision = GlobalAdministratorRule.Evaluate(builder.Build(), Customer);

        Assert.False(decision.Allowed, who);
        Assert.Contains(reasonContains, decision.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Only a Global Administrator who is a member of this tenant", decision.Reason, StringComparison.Ordinal);
    }
}
