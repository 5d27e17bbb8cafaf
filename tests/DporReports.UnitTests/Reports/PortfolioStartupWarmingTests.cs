using DporReports.Core.Reports;

namespace DporReports.UnitTests.Reports;

public sealed class PortfolioStartupWarmingTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);

    /// <summary>
    /// A host starting loads a period side by side with the one before it when both are in use (the dashboard shows them
    /// together); a period whose previous one is not in use is loaded alone; the order given (shortest first) is kept.
    /// </summary>
    [Fact]
    public void Dashboards_PairEachPeriodWithThePreviousOneInUse_InTheOrderGiven()
    {
        var days28 = PartnerDashboard.DefaultPeriod(Today);
        var days28Before = PartnerDashboard.PreviousPeriod(days28.From, days28.To);
        var month = (From: new DateOnly(2026, 11, 1), To: new DateOnly(2026, 11, 30));
        var sixMonths = (From: Today.AddMonths(-6).AddDays(1), To: Today);
        var sixMonthsBefore = PartnerDashboard.PreviousPeriod(sixMonths.From, sixMonths.To);

        var groups = PortfolioStartupWarming.Dashboards([days28, days28Before, month, sixMonths, sixMonthsBefore]);

        Assert.Equal(
            [
                [(days28.From, days28.To), (days28Before.From, days28Before.To)],
                [(month.From, month.To)],
                [(sixMonths.From, sixMonths.To), (sixMonthsBefore.From, sixMonthsBefore.To)],
            ],
            groups);
    }

    /// <summary>A previous period listed before its own period (nothing orders it so today, but nothing forbids it) is loaded once, alone.</summary>
    [Fact]
    public void Dashboards_EachPeriodOnce_WhateverTheOrder()
    {
        var days28 = PartnerDashboard.DefaultPeriod(Today);
        var days28Before = PartnerDashboard.PreviousPeriod(days28.From, days28.To);

        var groups = PortfolioStartupWarming.Dashboards([days28Before, days28]);

        Assert.Equal([[(days28Before.From, days28Before.To)], [(days28.From, days28.To)]], groups);
    }
}
