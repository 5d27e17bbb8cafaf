using DporReports.Core.Adoption;
using DporReports.Core.Subscriptions;

namespace DporReports.UnitTests.Adoption;

/// <summary>
/// reports/README.md "Where to help": each reason's threshold at its edge, the figure and what is at stake, and the order.
/// Expected values are worked out here from the README's table, not read back from the code.
/// </summary>
public sealed class WhereToHelpTests
{
    private static readonly DateOnly Day = new(2026, 11, 30);

    private static WorkloadSignals W(Workload workload, int seats, int licensed, int mau, int? active90 = null, int? monthEarlier = null) =>
        new(workload, seats, licensed, mau, active90 ?? licensed, null, monthEarlier, null, null, null, null);

    private static SubscriptionSignals S(string tenant, int seats, int? daysToRenewal, params WorkloadSignals[] workloads) =>
        new(Guid.NewGuid(), tenant, Guid.NewGuid(), "Microsoft 365 E3", "ABC123", false, seats, Day, null, daysToRenewal, workloads);

    private static List<HelpItem> Rank(params SubscriptionSignals[] subscriptions) => WhereToHelp.Rank(subscriptions, HelpRules.Default);

    [Fact]
    public void LowUsage_Below40PercentOnAtLeast25Seats_StakesTheIdleSeatsOfTheMostUsedWorkload()
    {
        // Exchange 39/100 is the most used (Teams 20/100): 39 % < 40 %, 100 ≥ 25 seats; at stake 100 − 39.
        var s = S("Contoso", 100, null, W(Workload.Exchange, 100, 100, 39), W(Workload.Teams, 100, 100, 20));

        var item = Assert.Single(Rank(s));

        Assert.Equal((HelpReason.LowUsage, Workload.Exchange, 0.39m, 61), (item.Reason, item.Workload, item.Figure, item.Impact));
    }

    [Theory]
    [InlineData(100, 40, false)] // exactly 40 %: not below
    [InlineData(24, 1, false)] // fewer than 25 seats
    [InlineData(25, 9, true)]
    public void LowUsage_AtTheThresholds(int seats, int mau, bool listed)
    {
        var s = S("Contoso", seats, null, W(Workload.Exchange, seats, seats, mau));

        Assert.Equal(listed, Rank(s).Any(i => i.Reason == HelpReason.LowUsage));
    }

    [Fact]
    public void RenewalNear_Within60DaysBelow50Percent_CountsItsIdleSeatsTwice()
    {
        var s = S("Fabrikam", 20, 60, W(Workload.Teams, 20, 20, 9));

        var item = Assert.Single(Rank(s));

        // 9/20 = 45 % < 50 %; 20 seats is under low usage's 25, so renewal is its only reason. Idle seats 11, score 22.
        Assert.Equal((HelpReason.RenewalNear, 60m, 11, 22), (item.Reason, item.Figure, item.Impact, item.Score));
        Assert.Empty(Rank(S("Fabrikam", 20, 61, W(Workload.Teams, 20, 20, 9))));
        Assert.Empty(Rank(S("Fabrikam", 20, -1, W(Workload.Teams, 20, 20, 9))));
    }

    [Fact]
    public void FallingUsage_MoreThan20PercentFromAtLeast10_PicksTheSteepestWorkload()
    {
        // Exchange 50 → 39 (−22 %), Teams 40 → 30 (−25 %), SharePoint 9 → 1 (from fewer than 10: noise). Usage stays above 40 %.
        var s = S("Northwind", 60, null, W(Workload.Exchange, 60, 60, 39, monthEarlier: 50), W(Workload.Teams, 60, 60, 30, monthEarlier: 40),
            W(Workload.SharePoint, 60, 60, 1, monthEarlier: 9));

        var item = Assert.Single(Rank(s));

        Assert.Equal((HelpReason.FallingUsage, Workload.Teams, -0.25m, 10), (item.Reason, item.Workload, item.Figure, item.Impact));
        Assert.Empty(Rank(S("Northwind", 60, null, W(Workload.Exchange, 60, 60, 40, monthEarlier: 50)))); // exactly −20 %
    }

    [Fact]
    public void UnassignedSeats_AtLeastTenPercentAndFive_UseTheMostLicensedWorkload()
    {
        // 50 seats, Exchange licensed 44, Teams 30: at least 50 − 44 = 6 seats are held by nobody (12 %).
        var s = S("Tailspin", 50, null, W(Workload.Exchange, 50, 44, 44), W(Workload.Teams, 50, 30, 30));

        var item = Assert.Single(Rank(s));

        Assert.Equal((HelpReason.UnassignedSeats, (Workload?)null, 6m, 6), (item.Reason, item.Workload, item.Figure, item.Impact));
        Assert.Empty(Rank(S("Tailspin", 40, null, W(Workload.Exchange, 40, 36, 36)))); // 4 seats: fewer than 5
    }

    [Fact]
    public void InactiveUsers_In90Days_CountsTheWorkloadWithTheFewestInactive()
    {
        // Exchange: 30 licensed, 20 active in 90 days (10 inactive); Teams: 30 licensed, 26 active (4). At most 4 people used
        // neither, which is under 5: not listed. With Teams at 24 active (6 inactive, 20 %), it is.
        Assert.Empty(Rank(S("Litware", 30, null, W(Workload.Exchange, 30, 30, 20, 20), W(Workload.Teams, 30, 30, 26, 26))));

        var item = Assert.Single(Rank(S("Litware", 30, null, W(Workload.Exchange, 30, 30, 20, 20), W(Workload.Teams, 30, 30, 24, 24))));

        Assert.Equal((HelpReason.InactiveUsers, Workload.Teams, 6m, 6), (item.Reason, item.Workload, item.Figure, item.Impact));
    }

    [Fact]
    public void InactiveUsers_UnknownForOldFacts_IsNotListed() =>
        Assert.Empty(Rank(new SubscriptionSignals(Guid.NewGuid(), "Old", Guid.NewGuid(), "E3", "", false, 30, Day, null, null,
            [new WorkloadSignals(Workload.Exchange, 30, 30, 20, null, null, null, null, null, null, null)])));

    [Fact]
    public void LowCopilotUse_Below25Percent_StakesTheIdleCopilotSeats()
    {
        var s = S("Wingtip", 12, null, W(Workload.Copilot, 12, 12, 2));

        var item = Assert.Single(Rank(s));

        Assert.Equal((HelpReason.LowCopilotUsage, Workload.Copilot, Math.Round(2m / 12, 4), 10), (item.Reason, item.Workload, item.Figure, item.Impact));
        Assert.Empty(Rank(S("Wingtip", 12, null, W(Workload.Copilot, 12, 12, 3)))); // exactly 25 %
    }

    [Fact]
    public void Rank_SortsByScoreThenSeatsThenCustomerName()
    {
        var renewal = S("Zeta", 20, 10, W(Workload.Exchange, 20, 20, 8)); // 12 idle seats, doubled: 24
        var big = S("Beta", 200, null, W(Workload.Exchange, 200, 200, 60)); // low usage, 140 idle seats
        var tieMoreSeats = S("Gamma", 40, null, W(Workload.Exchange, 40, 28, 28)); // unassigned 12 (30 %): score 12, 40 seats
        var tieFewerSeats = S("Alpha", 30, null, W(Workload.Exchange, 30, 18, 18)); // unassigned 12 (40 %): score 12, 30 seats

        var order = Rank(tieFewerSeats, renewal, tieMoreSeats, big).Select(i => (i.Subscription.TenantName, i.Reason)).ToList();

        Assert.Equal([("Beta", HelpReason.LowUsage), ("Zeta", HelpReason.RenewalNear), ("Gamma", HelpReason.UnassignedSeats),
            ("Alpha", HelpReason.UnassignedSeats)], order);
    }

    [Fact]
    public void Rules_AReasonWithoutThreshold_IsOff()
    {
        var s = S("Beta", 200, null, W(Workload.Exchange, 200, 200, 60));

        Assert.Empty(WhereToHelp.Rank([s], HelpRules.Default with { LowUsageBelow = null }));
    }
}
