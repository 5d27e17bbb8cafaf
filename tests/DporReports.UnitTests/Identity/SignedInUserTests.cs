using System.Security.Claims;
using DporReports.Core.Identity;

namespace DporReports.UnitTests.Identity;

public sealed class SignedInUserTests
{
    [Fact]
    public void From_EntraShortClaims_ReadsEveryDecisionClaim()
    {
        var user = new PrincipalBuilder().GlobalAdministrator().GlobalReader().WithAppRole("Partner.Admin").Guest()
            .AuthenticatedBy("https://sts.windows.net/x/").Build();

        Assert.Equal(PrincipalBuilder.Customer, user.TenantId);
        Assert.NotNull(user.ObjectId);
        Assert.True(user.IsGuest);
        Assert.Equal("https://sts.windows.net/x/", user.IdentityProvider);
        Assert.Contains(DirectoryRoleIds.GlobalAdministrator, user.DirectoryRoles);
        Assert.Contains(DirectoryRoleIds.GlobalReader, user.DirectoryRoles);
        Assert.True(user.HasAppRole("Partner.Admin"));
        Assert.Equal("Test User", user.DisplayName);
        Assert.Equal("test@contoso.example", user.UserPrincipalName);
    }

    [Fact]
    public void From_SpaceSeparatedScopesAndLongClaimNames_Normalises()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(EntraClaims.TenantIdLong, PrincipalBuilder.Customer.ToString()),
            new Claim(EntraClaims.ObjectIdLong, Guid.NewGuid().ToString()),
            new Claim(EntraClaims.ScopesLong, "access_as_user  User.Read"),
        ], "test"));

        var user = SignedInUser.From(principal)!;

        Assert.Equal(PrincipalBuilder.Customer, user.TenantId);
        Assert.Equal(new[] { "access_as_user", "User.Read" }.Order(), user.Scopes.Order());
        Assert.False(user.IsGuest);
    }

    [Fact]
    public void From_NoTenantOrNotAuthenticated_ReturnsNull()
    {
        Assert.Null(SignedInUser.From(new ClaimsPrincipal(new ClaimsIdentity([new Claim("oid", Guid.NewGuid().ToString())], "test"))));
        Assert.Null(SignedInUser.From(new ClaimsPrincipal(new ClaimsIdentity([new Claim("tid", Guid.NewGuid().ToString())]))));
        Assert.Null(SignedInUser.From(new ClaimsPrincipal(new ClaimsIdentity([new Claim("tid", "not-a-guid")], "test"))));
    }

    /// <summary>
    /// The attack: a role or scope spelled in another case ("operator", "ACCESS_AS_USER") passing a check meant for the exact
    /// value. Entra issues app roles and scopes exactly as the app registration defines them, so any other spelling was not
    /// issued for that role: compared ordinally, it grants nothing.
    /// </summary>
    [Fact]
    public void From_RoleOrScopeInAnotherCase_DoesNotMatchTheDefinedValue()
    {
        var user = new PrincipalBuilder().WithAppRole("operator").WithAppRole("PARTNER.ADMIN").Build();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(EntraClaims.TenantId, PrincipalBuilder.Customer.ToString()), new Claim(EntraClaims.Scopes, "ACCESS_AS_USER")], "test"));

        Assert.False(user.HasAppRole(AppRoleNames.Operator));
        Assert.False(user.HasAppRole(AppRoleNames.PartnerAdmin));
        Assert.DoesNotContain("access_as_user", SignedInUser.From(principal)!.Scopes);
    }

    [Fact]
    public void From_OverlongNameClaim_IsCutToItsColumn()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(EntraClaims.TenantId, PrincipalBuilder.Customer.ToString()), new Claim(EntraClaims.Name, new string('n', 100_000))], "test"));

        Assert.Equal(Core.Shared.TextLimits.PersonName, SignedInUser.From(principal)!.DisplayName.Length);
    }
}
