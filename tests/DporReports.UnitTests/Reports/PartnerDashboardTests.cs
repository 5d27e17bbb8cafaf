using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;

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

    /// <summary>
    /// Sixty customers with tied changes and tied seats: the risers and fallers are the first five of the whole ranking of
    /// reports/README.md "usageMovement" (computed here by sorting every customer), and the previous period's key figures
    /// count only subscriptions whose day lies inside it. Computed twice, the second time from the figures worked out per
    /// customer by the first, with the same result.
    /// </summary>
    [Fact]
    public void Compute_ManyCustomers_MoversAreTheFirstFiveOfTheWholeRanking_AndPreviousFiguresCountOnlyItsDays()
    {
        var (to, from) = (Day0.AddDays(55), Day0.AddDays(28));
        var (previousFrom, previousTo) = PartnerDashboard.PreviousPeriod(from, to);
        var random = new Random(13);
        var now = new List<CustomerUsage>();
        var before = new List<CustomerUsage>();
        var expected = new List<(string Name, int Seats, decimal Change)>();
        var (seatsBefore, activeBefore) = (0, 0);
        for (var i = 0; i < 60; i++)
        {
            var (name, tenant, subscription) = ($"Customer {i:00}", Guid.NewGuid(), Guid.NewGuid());
            var seats = random.Next(2) == 0 ? 100 : 200;
            var (mauNow, mauBefore) = (random.Next(5) * seats / 4, random.Next(5) * seats / 4);
            now.Add(Usage(tenant, name, subscription, to, seats, mauNow));
            // One customer in six has its latest previous figure before the previous period: no previous figure, no movement.
            var inside = i % 6 != 0;
            before.Add(Usage(tenant, name, subscription, inside ? previousTo.AddDays(-random.Next(28)) : previousFrom.AddDays(-1), seats, mauBefore));
            if (!inside) continue;
            (seatsBefore, activeBefore) = (seatsBefore + seats, activeBefore + mauBefore);
            expected.Add((name, seats, Math.Round((decimal)mauNow / seats, 4) - Math.Round((decimal)mauBefore / seats, 4)));
        }
        var current = PartnerPortfolio.Compute(from, to, now, [], []);
        var previous = PartnerPortfolio.Compute(previousFrom, previousTo, before, [], []);
        var risers = expected.Where(e => e.Change > 0).OrderByDescending(e => e.Change).ThenByDescending(e => e.Seats)
            .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Take(PartnerDashboard.MoversShown).Select(e => e.Name).ToList();
        var fallers = expected.Where(e => e.Change < 0).OrderBy(e => e.Change).ThenByDescending(e => e.Seats)
            .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Take(PartnerDashboard.MoversShown).Select(e => e.Name).ToList();
        Assert.True(expected.GroupBy(e => (e.Change, e.Seats)).Any(g => g.Count() > 1), "the drawn customers tie on change and seats");

        for (var round = 0; round < 2; round++)
        {
            var dashboard = PartnerDashboard.Compute(current, previous);
            Assert.Equal(risers, dashboard.Risers.Select(m => m.TenantName));
            Assert.Equal(fallers, dashboard.Fallers.Select(m => m.TenantName));
            var figures = dashboard.KeyFigures.ToDictionary(f => f.Key);
            Assert.Equal(seatsBefore, figures[PartnerDashboard.SeatsFigure].Previous);
            Assert.Equal(activeBefore, figures[PartnerDashboard.ActiveUsersFigure].Previous);
            Assert.Equal(Math.Round((decimal)activeBefore / seatsBefore, 4), figures[PartnerDashboard.UsageFigure].Previous);
        }
    }

    /// <summary>A customer with one Teams subscription whose latest figure is of <paramref name="day"/>.</summary>
    private static CustomerUsage Usage(Guid tenant, string name, Guid subscription, DateOnly day, int seats, int activeUsers) =>
        new(tenant, name, day, [new SubscriptionUsage(subscription, "Microsoft 365 E3", ProductFamily.Office365, seats, day,
            [new WorkloadUsage(Workload.Teams, seats, seats, activeUsers)])], []);
}
