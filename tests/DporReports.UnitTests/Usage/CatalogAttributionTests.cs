using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using static DporReports.UnitTests.Usage.Subscriptions;

namespace DporReports.UnitTests.Usage;

/// <summary>
/// Attribution over Microsoft's whole table (design.md §3): SKUs beyond a hand-kept few, names the table gives two SKUs,
/// trials (their seats are not PAU), daily active users from the detail of one date, and unknown names counted per user.
/// </summary>
public sealed class CatalogAttributionTests
{
    [Fact]
    public async Task Office365E1_IsAttributedLikeAnyOtherSuite()
    {
        var csv = new DetailCsvBuilder()
            .User("OFFICE 365 E1", u => u.Active(Workload.Exchange, 2).Licensed(Workload.Teams))
            .User("OFFICE 365 E1", u => u.Active(Workload.Exchange, 40));

        var snapshot = await AggregateAsync(csv, Of(1, "STANDARDPACK", seats: 10));

        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.Exchange, 10, 2, 1, 2), snapshot.For(1, Workload.Exchange));
        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.Teams, 10, 1, 0, 0), snapshot.For(1, Workload.Teams));
        Assert.Empty(snapshot.Unattributed);
    }

    [Fact]
    public async Task NameGivenToTwoSkus_PoolsTheTenantsSubscriptionsOfBoth_BySeats()
    {
        // "Microsoft 365 Business Basic" is both O365_BUSINESS_ESSENTIALS and SMB_BUSINESS_ESSENTIALS.
        var csv = new DetailCsvBuilder();
        for (var i = 0; i < 7; i++)
        {
            csv.User("MICROSOFT 365 BUSINESS BASIC", u => u.Active(Workload.Teams, 1));
        }

        var snapshot = await AggregateAsync(csv, Of(1, "O365_BUSINESS_ESSENTIALS", seats: 30), Of(2, "SMB_BUSINESS_ESSENTIALS", seats: 10));

        // 7 × 30/40 = 5.25 and 7 × 10/40 = 1.75: floors 5 and 1, the one left goes to the larger remainder (0.75).
        Assert.Equal(5, snapshot.For(1, Workload.Teams).ActiveUsers);
        Assert.Equal(2, snapshot.For(2, Workload.Teams).ActiveUsers);
        Assert.Empty(snapshot.Unattributed);
    }

    [Fact]
    public async Task NameGivenToTwoSkus_TenantHoldingOne_GetsAllItsUsers()
    {
        var csv = new DetailCsvBuilder().User("MICROSOFT 365 BUSINESS BASIC", u => u.Active(Workload.Exchange, 0));

        var snapshot = await AggregateAsync(csv, Of(1, "SMB_BUSINESS_ESSENTIALS", seats: 5));

        Assert.Equal(1, snapshot.For(1, Workload.Exchange).ActiveUsers);
    }

    [Fact]
    public async Task Trial_HasNoPaidSeats_ButHoldsItsShareOfThePooledUsers()
    {
        var csv = new DetailCsvBuilder();
        for (var i = 0; i < 4; i++)
        {
            csv.User("MICROSOFT 365 E5", u => u.Active(Workload.SharePoint, 3));
        }

        var paid = Of(1, "SPE_E5", seats: 25);
        var trial = Of(2, "SPE_E5", seats: 25) with { IsTrial = true };
        var snapshot = await AggregateAsync(csv, paid, trial);

        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.SharePoint, 25, 2, 2, 2), snapshot.For(1, Workload.SharePoint));
        Assert.Equal(new SubscriptionWorkloadUsage(Id(2), Workload.SharePoint, 0, 2, 2, 2), snapshot.For(2, Workload.SharePoint));
    }

    [Fact]
    public async Task DetailOfOneDate_CountsLicensedUsersActiveThatDay_AsDailyActiveUsers()
    {
        var day = DetailCsvBuilder.Refresh.AddDays(-3);
        var csv = new DetailCsvBuilder()
            .User("OFFICE 365 E3", u => u.Licensed(Workload.Exchange, day).Licensed(Workload.Teams, day))
            .User("OFFICE 365 E3", u => u.Licensed(Workload.Exchange, day.AddDays(-1)).Licensed(Workload.Teams, day))
            .User("OFFICE 365 E3", u => u.UnlicensedActivity(Workload.Yammer, 3))
            .User("OFFICE 365 E3", u => u.Licensed(Workload.Exchange, day).Deleted());

        var snapshot = await ActiveUserDetailAggregator.AggregateDayAsync(csv.Build(), [Of(1, "ENTERPRISEPACK", 10)], day, CancellationToken.None);

        Assert.Equal(1, snapshot.For(1, Workload.Exchange).ActiveUsers);
        Assert.Equal(2, snapshot.For(1, Workload.Teams).ActiveUsers);
        Assert.Equal(0, snapshot.For(1, Workload.Yammer).ActiveUsers);
    }

    [Fact]
    public async Task DetailOfOneDate_WithNobodyActive_IsZeroForThatDay_NotARefusal()
    {
        var day = DetailCsvBuilder.Refresh.AddDays(-2);

        var snapshot = await ActiveUserDetailAggregator.AggregateDayAsync(new DetailCsvBuilder().Build(), [Of(1, "ENTERPRISEPACK", 10)], day,
            CancellationToken.None);

        Assert.Equal(day, snapshot.RefreshDate);
        Assert.All(snapshot.Subscriptions, s => Assert.Equal(0, s.ActiveUsers));
    }

    [Fact]
    public async Task UnknownNames_CountEachNonDeletedUserOncePerName_WithOrWithoutALicensedWorkload()
    {
        var csv = new DetailCsvBuilder()
            .User("OFFICE 365 E3+CONTOSO TRADING DESK", u => u.Active(Workload.Exchange, 1))
            .User("CONTOSO TRADING DESK+contoso trading desk+ACME ADD-ON") // no licensed workload at all
            .User("CONTOSO TRADING DESK", u => u.Deleted())
            .User("OFFICE 365 E3");

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal([new UnknownProductUsers("CONTOSO TRADING DESK", 2), new UnknownProductUsers("ACME ADD-ON", 1)], snapshot.UnknownProducts);
    }

    [Fact]
    public async Task UnknownNames_BeyondTheCap_AreCountedTogether_NeverDropped()
    {
        var csv = new DetailCsvBuilder();
        var names = ActiveUserDetailAggregator.MaxUnknownProductNames + 5;
        for (var i = 0; i < names; i++)
        {
            csv.User($"UNKNOWN PRODUCT {i:D4}");
        }

        var snapshot = await AggregateAsync(csv);

        Assert.Equal(ActiveUserDetailAggregator.MaxUnknownProductNames + 1, snapshot.UnknownProducts.Count);
        Assert.Equal(names, snapshot.UnknownProducts.Sum(u => u.Users));
        Assert.Equal(5, Assert.Single(snapshot.UnknownProducts, u => u.Name == ActiveUserDetailAggregator.OtherUnknownProducts).Users);
    }
}
