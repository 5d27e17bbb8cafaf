using DporReports.Core.Shared;

namespace DporReports.UnitTests.Shared;

public sealed class InputBoundsTests
{
    /// <summary>
    /// The attack: a 100 KB value echoed into a message grows every answer carrying it — a page message kept in a cookie
    /// became 35 Set-Cookie headers and every later request of that browser got 431. Quoted input is bounded.
    /// </summary>
    [Fact]
    public void Quote_HugeOrControlInput_IsBoundedAndPrintable()
    {
        var quoted = InputText.Quote(new string('9', 100_000) + "\r\n");

        Assert.True(quoted.Length <= InputText.QuotedLength + 3, $"{quoted.Length} characters");
        Assert.DoesNotContain(quoted, char.IsControl);
        Assert.Equal("'1234567'", InputText.Quote("1234567"));
        Assert.Equal("'a?b'", InputText.Quote("a\nb"));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("2009-12-31")]
    [InlineData("9999-12-31")]
    public void Period_ToOutsideTheCalendarWeServe_IsRefusedNamingTo(string to)
    {
        var outcome = DateInput.Period(null, DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), Today);

        Assert.Equal("to", Assert.Single(outcome.Problem!.Errors!).Key);
    }

    [Fact]
    public void Period_Bounds_AreCheckedBeforeArithmetic()
    {
        Assert.Equal("from", DateInput.Period(DateOnly.MinValue, null, Today).Problem!.Errors!.Keys.Single());
        Assert.Equal("asOf", DateInput.Day(DateOnly.MaxValue, Today, "asOf").Problem!.Errors!.Keys.Single());
        Assert.Equal((Today.AddDays(-27), Today), DateInput.Period(null, null, Today).Value);
        Assert.Equal((DateInput.Earliest, DateInput.Earliest.AddDays(27)), DateInput.Period(null, DateInput.Earliest.AddDays(27), Today).Value);
        Assert.NotNull(DateInput.Period(null, DateInput.Earliest, Today).Problem); // its default start would be before the earliest day
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(Paging.MaxTake + 1)]
    public void Take_OutOfRange_IsRefused(int take) => Assert.Equal("take", Paging.Take(take).Problem!.Errors!.Keys.Single());

    private static readonly DateOnly Today = new(2026, 11, 30);
}
