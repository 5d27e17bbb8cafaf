using DporReports.Core.Reports;

namespace DporReports.UnitTests.Reports;

public sealed class PartnerDashboardTests
{
    private static readonly DateOnly Day0 = new(2026, 10, 1);

    [Fact]
    public void TrailingAverage_DaysWithoutFigures_CountNeitherAsZeroNorAsDays()
    {
        var days = new (int Offset, long Users)[] { (0, 10), (1, 20), (3, 40), (9, 100) }.Select(d => (Day0.AddDays(d.Offset), d.Users)).ToList();

        var averages = PartnerDashboard.TrailingAverage(days);

        // Day 3: days 0, 1 and 3 (day 2 has no figure); day 9: days 3 and 9 (day 3 is the seventh day back).
        Assert.Equal([10m, 15m, 23.33m, 70m], averages.Select(a => a.Average));
        Assert.Equal(days.Select(d => d.Item1), averages.Select(a => a.Date));
    }

    [Fact]
    public void KeyFigure_WithoutAPreviousFigure_HasNoChange_AndAPreviousZeroHasNoRelativeChange()
    {
        var none = new KeyFigure("seats", 10, null);
        var fromZero = new KeyFigure("seats", 10, 0);
        var up = new KeyFigure("seats", 12, 8);

        Assert.Null(none.Change);
        Assert.Null(none.ChangePercent);
        Assert.Equal(10, fromZero.Change);
        Assert.Null(fromZero.ChangePercent);
        Assert.Equal((4m, 0.5m), (up.Change!.Value, up.ChangePercent!.Value));
    }

    [Theory]
    [InlineData("2026-10-01", "2026-10-28", "2026-09-03", "2026-09-30")]
    [InlineData("2026-06-03", "2026-12-02", "2025-12-02", "2026-06-02")]
    public void PreviousPeriod_HasTheSameLength_AndEndsTheDayBefore(string from, string to, string previousFrom, string previousTo)
    {
        var previous = PartnerDashboard.PreviousPeriod(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((DateOnly.Parse(previousFrom, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(previousTo, System.Globalization.CultureInfo.InvariantCulture)), previous);
    }
}
