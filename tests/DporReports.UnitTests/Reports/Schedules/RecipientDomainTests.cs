using DporReports.Core.Identity;
using DporReports.Core.Reports.Schedules;

namespace DporReports.UnitTests.Reports.Schedules;

/// <summary>
/// Which sign-ins prove a domain is the partner's own. The attack: a guest or a delegated admin from elsewhere saves a
/// schedule in the partner's tenant, and their home domain becomes an allowed destination for customers' usage.
/// </summary>
public sealed class RecipientDomainTests
{
    private static readonly Guid Partner = Guid.Parse("0a7a0000-0000-4000-8000-000000000001");
    private const string Issuer = "https://login.microsoftonline.com/0a7a0000-0000-4000-8000-000000000001/v2.0";

    [Theory]
    [InlineData("adam.admin@Adatum.example", null, false, "adatum.example")]
    [InlineData("adam.admin@adatum.example", Issuer, false, "adatum.example")] // idp equal to the issuer: still a member
    [InlineData("adam.admin@adatum.example", null, true, null)] // guest
    [InlineData("someone_gmail.com#EXT#@adatum.onmicrosoft.com", null, false, null)] // guest's sign-in name
    [InlineData("tech@contoso.example", "https://sts.windows.net/other/", false, null)] // signed in elsewhere (B2B / delegated)
    [InlineData("no-at-sign", null, false, null)]
    [InlineData(null, null, false, null)]
    public void VerifiedByEntra_OnlyMembersSignedInAtTheirOwnTenant(string? upn, string? idp, bool guest, string? domain)
    {
        var user = new SignedInUser(Partner, Guid.NewGuid(), "Someone", upn, Issuer, idp, guest, new HashSet<string>(), new HashSet<string>(),
            new HashSet<string>());

        Assert.Equal(domain, RecipientDomain.VerifiedByEntra(user, Partner));
    }

    [Fact]
    public void VerifiedByEntra_UserOfAnotherTenant_ProvesNothing()
    {
        var user = new SignedInUser(Guid.NewGuid(), Guid.NewGuid(), "Other", "x@adatum.example", Issuer, null, false, new HashSet<string>(),
            new HashSet<string>(), new HashSet<string>());

        Assert.Null(RecipientDomain.VerifiedByEntra(user, Partner));
    }

    [Theory]
    [InlineData("Desk@Partners.Example", "partners.example")]
    [InlineData("a@b.example.", "b.example")]
    public void DomainOf_IsLowerCaseWithoutTrailingDot(string address, string domain) => Assert.Equal(domain, RecipientDomain.DomainOf(address));
}
