using DporReports.Core.Adoption;
using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;

namespace DporReports.UnitTests.Adoption;

/// <summary>reports/README.md "Metric definitions", the adoption signals: each one's arithmetic and its empty cases.</summary>
public sealed class AdoptionSignalsTests
{
    [Fact]
    public void WorkloadSignals_Counts_FollowTheDefinitions()
    {
        var w = new WorkloadSignals(Workload.Teams, Seats: 50, LicensedUsers: 40, ActiveUsers: 25, ActiveUsers90Days: 33, ActiveUsersWeekEarlier: 20,
            ActiveUsersMonthEarlier: 50, DailyActiveUsersWeek: 12m, DailyActiveUsersPreviousWeek: 16m, DailyActiveUsersMonth: 10m,
            DailyActiveUsersPreviousMonth: 0m);

        Assert.Equal(10, w.UnassignedSeats); // 50 − 40
        Assert.Equal(15, w.InactiveUsers28Days); // 40 − 25
        Assert.Equal(7, w.InactiveUsers90Days); // 40 − 33
        Assert.Equal(0.25m, w.MauChangeWeek); // (25 − 20) / 20
        Assert.Equal(-0.5m, w.MauChangeMonth); // (25 − 50) / 50
        Assert.Equal(-0.25m, w.DailyActiveUsersChangeWeek); // (12 − 16) / 16
        Assert.Null(w.DailyActiveUsersChangeMonth); // the earlier mean is 0
    }

    [Fact]
    public void WorkloadSignals_MoreLicensedThanSeats_HasNoNegativeUnassigned() =>
        Assert.Equal(0, new WorkloadSignals(Workload.Exchange, 10, 12, 12, 12, null, null, null, null, null, null).UnassignedSeats);

    [Fact]
    public void Mean_DividesByTheDaysWithAFigure_NullWithoutAny()
    {
        // Three days with a figure were added; the days without one never are, so they count neither as 0 nor as a day.
        var days = default(DaySum).Add(10).Add(20).Add(30);

        Assert.Equal(new DaySum(60, 3), days);
        Assert.Equal(20m, AdoptionSignals.Mean(days)); // (10 + 20 + 30) / 3
        Assert.Equal(6.67m, AdoptionSignals.Mean(new DaySum(20, 3))); // to two places
        Assert.Null(AdoptionSignals.Mean(default));
    }

    [Fact]
    public void DaysTo_CountsFromTheDay() =>
        Assert.Equal((30, -1, (int?)null), (AdoptionSignals.DaysTo(new DateOnly(2026, 12, 31), new DateOnly(2026, 12, 1)),
            AdoptionSignals.DaysTo(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1)), AdoptionSignals.DaysTo(null, new DateOnly(2026, 12, 1))));
}
