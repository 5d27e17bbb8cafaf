using DporReports.Core.Partners;

namespace DporReports.UnitTests.Partners;

public sealed class PartnerRulesTests
{
    [Theory]
    [InlineData("1234567", true)]
    [InlineData("0001", true)]
    [InlineData("123456789012", true)]
    [InlineData("123", false)]
    [InlineData("1234567890123", false)]
    [InlineData("12a4567", false)]
    [InlineData("１２３４５６７", false)] // full-width digits are not ASCII digits
    [InlineData("-1234567", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsWellFormedMpnId_DigitStrings_AcceptsOnlyFourToTwelveAsciiDigits(string? value, bool expected) =>
        Assert.Equal(expected, PartnerRules.IsWellFormedMpnId(value));

    [Fact]
    public void Validate_CleanInput_TrimsAndKeepsIdsAsStrings()
    {
        var outcome = PartnerRules.Validate(new PartnerRegistration("  Adatum  ", " dpor@adatum.example ", [" 0012345 ", "7654321"]));

        Assert.True(outcome.Succeeded, outcome.Problem?.Message);
        Assert.Equal("Adatum", outcome.Value!.DisplayName);
        Assert.Equal("dpor@adatum.example", outcome.Value.NotificationEmail);
        Assert.Equal(["0012345", "7654321"], outcome.Value.PartnerIds); // leading zeros survive: IDs are strings
    }

    [Theory]
    [InlineData("A", "dpor@adatum.example", "1234567", "displayName")]
    [InlineData("Adatum", "not-an-email", "1234567", "notificationEmail")]
    [InlineData("Adatum", "a@b.example, c@d.example", "1234567", "notificationEmail")]
    [InlineData("Adatum", "dpor@localhost", "1234567", "notificationEmail")]
    [InlineData("Adatum", "dpor@adatum.example", "12x4567", "partnerIds")]
    [InlineData("Adatum", "dpor@adatum.example", "1234567,1234567", "partnerIds")]
    [InlineData("Adatum", "dpor@adatum.example", "", "partnerIds")]
    public void Validate_BadField_NamesTheField(string name, string email, string ids, string field)
    {
        var outcome = PartnerRules.Validate(new PartnerRegistration(name, email, ids.Split(',', StringSplitOptions.RemoveEmptyEntries)));

        Assert.False(outcome.Succeeded);
        Assert.Equal(400, outcome.Problem!.Status);
        Assert.True(outcome.Problem.Errors!.ContainsKey(field), $"expected an error on {field}: {outcome.Problem.Message}");
    }

    [Fact]
    public void Validate_TooManyIdsOrNoBody_Refuses()
    {
        var many = Enumerable.Range(1000, PartnerRules.MaxMpnIdsPerPartner + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.True(PartnerRules.Validate(new PartnerRegistration("Adatum", "a@adatum.example", many)).Problem!.Errors!.ContainsKey("partnerIds"));
        Assert.Equal(400, PartnerRules.Validate(null).Problem!.Status);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("  ", false)]
    [InlineData("no", false)]
    [InlineData("Could not verify the Partner ID", true)]
    public void ValidateReason_RequiresAMeaningfulReason(string? reason, bool ok) =>
        Assert.Equal(ok, PartnerRules.ValidateReason(reason).Succeeded);
}
