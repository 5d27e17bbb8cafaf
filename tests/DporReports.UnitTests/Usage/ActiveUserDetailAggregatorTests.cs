using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using static DporReports.UnitTests.Usage.Subscriptions;

namespace DporReports.UnitTests.Usage;

/// <summary>
/// The per-subscription figures against design.md §3's metric definitions and attribution rules: seats (PAU), licensed
/// users, MAU over the 28 days ending on the refresh date, pooled SKUs split by largest remainder, unattributed usage
/// shown rather than dropped, deleted users nowhere.
/// </summary>
public sealed class ActiveUserDetailAggregatorTests
{
    private const string E3 = "OFFICE 365 E3";
    private const string M365E5 = "MICROSOFT 365 E5";

    [Fact]
    public async Task AggregateAsync_OneUserOneSku_CountsLicensedAndActivePerWorkload()
    {
        var csv = new DetailCsvBuilder()
            .User(E3, u => u.Active(Workload.Exchange, daysAgo: 1).Licensed(Workload.Teams).Active(Workload.SharePoint, daysAgo: 40));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", seats: 25));

        Assert.Equal(DetailCsvBuilder.Refresh, snapshot.RefreshDate);
        Assert.Equal(1, snapshot.RowsRead);
        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.Exchange, 25, 1, 1, 1), snapshot.For(1, Workload.Exchange));
        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.Teams, 25, 1, 0, 0), snapshot.For(1, Workload.Teams));
        // Active 40 days ago: outside the 28-day MAU, inside the 90 days.
        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.SharePoint, 25, 1, 0, 1), snapshot.For(1, Workload.SharePoint));
        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.Yammer, 25, 0, 0, 0), snapshot.For(1, Workload.Yammer));
        Assert.Empty(snapshot.Unattributed);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(28, true)]
    [InlineData(89, true)]
    [InlineData(90, false)]
    [InlineData(400, false)]
    [InlineData(-1, false)]
    public async Task AggregateAsync_LastActivityDaysBeforeRefresh_IsActiveIn90DaysOnlyWithinTheInclusive90Days(int daysAgo, bool counts)
    {
        var csv = new DetailCsvBuilder().User(E3, u => u.Active(Workload.Exchange, daysAgo)).User(E3, u => u.Licensed(Workload.Exchange));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", seats: 10));

        var exchange = snapshot.For(1, Workload.Exchange);
        Assert.Equal(2, exchange.LicensedUsers);
        Assert.Equal(counts ? 1 : 0, exchange.ActiveUsers90Days);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(27, true)]
    [InlineData(28, false)]
    [InlineData(90, false)]
    [InlineData(-1, false)]
    public async Task AggregateAsync_LastActivityDaysBeforeRefresh_IsMauOnlyWithinTheInclusive28Days(int daysAgo, bool counts)
    {
        var csv = new DetailCsvBuilder().User(E3, u => u.Active(Workload.Teams, daysAgo));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", seats: 10));

        Assert.Equal(1, snapshot.For(1, Workload.Teams).LicensedUsers);
        Assert.Equal(counts ? 1 : 0, snapshot.For(1, Workload.Teams).ActiveUsers);
    }

    [Fact]
    public async Task AggregateAsync_EmptyLastActivityDate_IsLicensedButNotActive()
    {
        var snapshot = await AggregateAsync(new DetailCsvBuilder().User(E3, u => u.Licensed(Workload.Exchange)), Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal((1, 0), (snapshot.For(1, Workload.Exchange).LicensedUsers, snapshot.For(1, Workload.Exchange).ActiveUsers));
    }

    [Fact]
    public async Task AggregateAsync_ActivityWithoutLicence_CountsNowhere()
    {
        var csv = new DetailCsvBuilder().User(E3, u => u.UnlicensedActivity(Workload.Yammer, daysAgo: 2));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal((0, 0), (snapshot.For(1, Workload.Yammer).LicensedUsers, snapshot.For(1, Workload.Yammer).ActiveUsers));
        Assert.Empty(snapshot.Unattributed);
    }

    [Fact]
    public async Task AggregateAsync_DeletedUsers_CountNowhereButAreRowsRead()
    {
        var csv = new DetailCsvBuilder()
            .User(E3, u => u.Active(Workload.Exchange, 1).Deleted())
            .User("UNKNOWN PLAN", u => u.Active(Workload.Teams, 1).Deleted())
            .User(E3, u => u.Active(Workload.Exchange, 1));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal(3, snapshot.RowsRead);
        Assert.Equal((1, 1), (snapshot.For(1, Workload.Exchange).LicensedUsers, snapshot.For(1, Workload.Exchange).ActiveUsers));
        Assert.Empty(snapshot.Unattributed);
    }

    [Fact]
    public async Task AggregateAsync_PooledSubscriptionsOfOneSku_SplitByLargestRemainderSummingExactly()
    {
        // 7 licensed over seats 10/10/5: quotas 2.8, 2.8, 1.4 → 3, 3, 1. 4 active: quotas 1.6, 1.6, 0.8 → floors 1, 1, 0,
        // the two units left go to remainder .8 (subscription 3) and, of the tied .6, to the smaller id (subscription 1).
        var csv = new DetailCsvBuilder();
        for (var i = 0; i < 7; i++)
        {
            var daysAgo = i < 4 ? 3 : 60;
            csv.User(E3, u => u.Active(Workload.Exchange, daysAgo));
        }

        var snapshot = await AggregateAsync(csv, Of(2, "ENTERPRISEPACK", 10), Of(3, "ENTERPRISEPACK", 5), Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal([3, 3, 1], [snapshot.For(1, Workload.Exchange).LicensedUsers, snapshot.For(2, Workload.Exchange).LicensedUsers,
            snapshot.For(3, Workload.Exchange).LicensedUsers]);
        Assert.Equal([2, 1, 1], [snapshot.For(1, Workload.Exchange).ActiveUsers, snapshot.For(2, Workload.Exchange).ActiveUsers,
            snapshot.For(3, Workload.Exchange).ActiveUsers]);
        Assert.Equal([10, 10, 5], [snapshot.For(1, Workload.Exchange).Seats, snapshot.For(2, Workload.Exchange).Seats,
            snapshot.For(3, Workload.Exchange).Seats]);
    }

    [Fact]
    public async Task AggregateAsync_PooledWithAnInactiveSubscription_GivesItNoSeatsAndNoShare()
    {
        var csv = new DetailCsvBuilder().User(E3, u => u.Active(Workload.Teams, 1)).User(E3, u => u.Active(Workload.Teams, 2));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 50, active: false), Of(2, "ENTERPRISEPACK", 3));

        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.Teams, 0, 0, 0, 0), snapshot.For(1, Workload.Teams));
        Assert.Equal(new SubscriptionWorkloadUsage(Id(2), Workload.Teams, 3, 2, 2, 2), snapshot.For(2, Workload.Teams));
    }

    [Fact]
    public async Task AggregateAsync_PooledSubscriptionsAllWithoutSeats_SplitEvenly()
    {
        var csv = new DetailCsvBuilder();
        for (var i = 0; i < 5; i++)
        {
            csv.User(E3, u => u.Active(Workload.Exchange, 1));
        }

        var snapshot = await AggregateAsync(csv, Of(2, "ENTERPRISEPACK", 10, active: false), Of(1, "ENTERPRISEPACK", 0));

        Assert.Equal(3, snapshot.For(1, Workload.Exchange).LicensedUsers);
        Assert.Equal(2, snapshot.For(2, Workload.Exchange).LicensedUsers);
        Assert.Equal(0, snapshot.For(2, Workload.Exchange).Seats);
    }

    [Fact]
    public async Task AggregateAsync_SingleInactiveSubscription_HasZeroSeatsButKeepsItsUsers()
    {
        var snapshot = await AggregateAsync(new DetailCsvBuilder().User(E3, u => u.Active(Workload.Exchange, 1)),
            Of(1, "ENTERPRISEPACK", 40, active: false));

        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.Exchange, 0, 1, 1, 1), snapshot.For(1, Workload.Exchange));
    }

    [Fact]
    public async Task AggregateAsync_UserHoldingTwoSkusWithTheWorkload_CountsInEach()
    {
        var csv = new DetailCsvBuilder().User($"{E3}+{M365E5}", u => u.Active(Workload.Exchange, 5).Licensed(Workload.Teams));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10), Of(2, "SPE_E5", 10));

        Assert.Equal((1, 1), (snapshot.For(1, Workload.Exchange).LicensedUsers, snapshot.For(1, Workload.Exchange).ActiveUsers));
        Assert.Equal((1, 1), (snapshot.For(2, Workload.Exchange).LicensedUsers, snapshot.For(2, Workload.Exchange).ActiveUsers));
        Assert.Equal(1, snapshot.For(1, Workload.Teams).LicensedUsers);
        Assert.Equal(1, snapshot.For(2, Workload.Teams).LicensedUsers);
    }

    [Fact]
    public async Task AggregateAsync_NoTeamsSku_HasNoTeamsRowAndItsTeamsLicenceIsUnattributed()
    {
        var csv = new DetailCsvBuilder().User("OFFICE 365 E3 (NO TEAMS)", u => u.Active(Workload.Exchange, 1).Active(Workload.Teams, 1));

        var snapshot = await AggregateAsync(csv,
            Of(1, "Office_365_E3_(no_Teams)", 10, workloads: [Workload.Exchange, Workload.SharePoint, Workload.Yammer]));

        Assert.DoesNotContain(snapshot.Subscriptions, s => s.Workload == Workload.Teams);
        Assert.Equal(1, snapshot.For(1, Workload.Exchange).ActiveUsers);
        Assert.Equal(new UnattributedUsage("Office 365 E3 (no Teams)", Workload.Teams, 1, 1), Assert.Single(snapshot.Unattributed));
    }

    [Fact]
    public async Task AggregateAsync_ExchangeFoundationOnlySku_ItsExchangeLicenceGoesToUnattributed()
    {
        // INTUNE_A carries EXCHANGE_S_FOUNDATION, which is no mailbox: the inventory gives it no Exchange workload.
        var csv = new DetailCsvBuilder().User("INTUNE", u => u.Active(Workload.Exchange, 3));

        var snapshot = await AggregateAsync(csv, Of(1, "INTUNE_A", 100, workloads: []));

        Assert.Empty(snapshot.Subscriptions);
        Assert.Equal(new UnattributedUsage("Intune", Workload.Exchange, 1, 1), Assert.Single(snapshot.Unattributed));
    }

    [Fact]
    public async Task AggregateAsync_KnownProductWithoutSubscriptionInTheTenant_IsUnattributedUnderItsName()
    {
        var csv = new DetailCsvBuilder().User(M365E5, u => u.Licensed(Workload.SharePoint));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal(new UnattributedUsage("Microsoft 365 E5", Workload.SharePoint, 1, 0), Assert.Single(snapshot.Unattributed));
    }

    [Fact]
    public async Task AggregateAsync_UnknownProduct_IsUnattributedUnderItsName()
    {
        var csv = new DetailCsvBuilder()
            .User("CONTOSO COLLABORATION PLAN", u => u.Active(Workload.Teams, 2).Licensed(Workload.Exchange))
            .User("CONTOSO COLLABORATION PLAN", u => u.Active(Workload.Teams, 40));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal(
            [
                new UnattributedUsage("(unknown: CONTOSO COLLABORATION PLAN)", Workload.Exchange, 1, 0),
                new UnattributedUsage("(unknown: CONTOSO COLLABORATION PLAN)", Workload.Teams, 2, 1),
            ],
            snapshot.Unattributed);
        Assert.All(snapshot.Subscriptions, s => Assert.Equal(0, s.LicensedUsers));
    }

    [Fact]
    public async Task AggregateAsync_UnknownProductBesideAKnownOneWithoutTheWorkload_NamesTheUnknownOne()
    {
        var csv = new DetailCsvBuilder().User("INTUNE+CONTOSO FRONTLINE BUNDLE", u => u.Active(Workload.Exchange, 1));

        var snapshot = await AggregateAsync(csv, Of(1, "INTUNE_A", 10, workloads: []));

        Assert.Equal(new UnattributedUsage("(unknown: CONTOSO FRONTLINE BUNDLE)", Workload.Exchange, 1, 1), Assert.Single(snapshot.Unattributed));
    }

    [Fact]
    public async Task AggregateAsync_UnknownProductBesideASkuCarryingTheWorkload_CountsInTheSubscriptionOnly()
    {
        var csv = new DetailCsvBuilder().User($"{E3}+MICROSOFT POWER AUTOMATE FREE", u => u.Active(Workload.Exchange, 1));

        var snapshot = await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal(1, snapshot.For(1, Workload.Exchange).ActiveUsers);
        Assert.Empty(snapshot.Unattributed);
    }

    [Fact]
    public async Task AggregateAsync_LicensedUserWithoutAssignedProducts_IsUnattributed()
    {
        var snapshot = await AggregateAsync(new DetailCsvBuilder().User("", u => u.Licensed(Workload.Yammer)), Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal(new UnattributedUsage(ActiveUserDetailAggregator.NoAssignedProducts, Workload.Yammer, 1, 0), Assert.Single(snapshot.Unattributed));
    }

    [Fact]
    public async Task AggregateAsync_ProductNamesWithCommasAndPlusInAQuotedField_AreEachAttributed()
    {
        var csv = new DetailCsvBuilder()
            .User("DYNAMICS 365 FOR CUSTOMER SERVICE, ENTERPRISE EDITION FOR GOVERNMENT+ENTERPRISE MOBILITY + SECURITY E3+OFFICE 365 E3",
                u => u.Active(Workload.SharePoint, 1));

        var snapshot = await AggregateAsync(csv,
            Of(1, "DYN365_ENTERPRISE_CUSTOMER_SERVICE_GOV", 5, workloads: [Workload.SharePoint]), Of(2, "EMS", 5, workloads: []), Of(3, "ENTERPRISEPACK", 5));

        Assert.Equal(1, snapshot.For(1, Workload.SharePoint).ActiveUsers);
        Assert.Equal(1, snapshot.For(3, Workload.SharePoint).ActiveUsers);
        Assert.Empty(snapshot.Unattributed);
    }

    [Fact]
    public async Task AggregateAsync_SkuPartNumberInAnotherCase_StillMatches()
    {
        var snapshot = await AggregateAsync(new DetailCsvBuilder().User(E3, u => u.Licensed(Workload.Exchange)), Of(1, "enterprisepack", 10));

        Assert.Equal(1, snapshot.For(1, Workload.Exchange).LicensedUsers);
    }

    [Fact]
    public async Task AggregateAsync_ReorderedAndExtraColumns_GivesTheSameFigures()
    {
        var reordered = DetailCsvBuilder.DocumentedHeader.Reverse().Where(c => c != "Display Name").Append("Some Future Column").ToArray();
        DetailCsvBuilder Build() => new DetailCsvBuilder()
            .User(E3, u => u.Active(Workload.Exchange, 1).Licensed(Workload.Teams))
            .User($"{E3}+UNKNOWN ADDON", u => u.Active(Workload.Teams, 10));

        var expected = await AggregateAsync(Build(), Of(1, "ENTERPRISEPACK", 10));
        var actual = await AggregateAsync(Build().Columns(reordered), Of(1, "ENTERPRISEPACK", 10));

        Assert.Equal(expected.Subscriptions, actual.Subscriptions);
        Assert.Equal(expected.Unattributed, actual.Unattributed);
    }

    [Fact]
    public async Task AggregateAsync_MissingLicenceColumn_RefusesNamingIt()
    {
        var csv = new DetailCsvBuilder().User(E3).Columns([.. DetailCsvBuilder.DocumentedHeader.Where(c => c != "Has Teams License")]);

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10)));

        Assert.Contains("\"Has Teams License\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_SubscriptionWithoutUsers_StillReportsItsSeats()
    {
        var snapshot = await AggregateAsync(new DetailCsvBuilder().User(E3), Of(1, "SPE_E5", 30));

        Assert.Equal(5, snapshot.Subscriptions.Count);
        Assert.All(snapshot.Subscriptions, s => Assert.Equal((30, 0, 0), (s.Seats, s.LicensedUsers, s.ActiveUsers)));
    }

    [Fact]
    public async Task AggregateAsync_RefreshDateDiffersBetweenRows_Refuses()
    {
        var csv = new DetailCsvBuilder().User(E3).User(E3, u => u.RefreshDate("2026-11-19"));

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10)));

        Assert.Contains("Row 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Report Refresh Date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_MalformedActivityDate_RefusesNamingRowAndColumn()
    {
        var text = new DetailCsvBuilder().User(E3, u => u.Active(Workload.Yammer, 1)).BuildText().Replace("2026-11-19", "2026-11-31", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            ActiveUserDetailAggregator.AggregateAsync(CsvText.Stream(text), [Of(1, "ENTERPRISEPACK", 10)], CancellationToken.None));

        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Last Activity Date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_HeaderOnly_RefusesBecauseTheRefreshDateIsUnknown()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => AggregateAsync(new DetailCsvBuilder(), Of(1, "ENTERPRISEPACK", 10)));

        Assert.Contains("no data rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_HashedUserPrincipalNames_ReportsNamesConcealed()
    {
        var csv = new DetailCsvBuilder()
            .User(E3, u => u.Named("7B3F0E9A1C2D4E5F60718293A4B5C6D7"))
            .User(E3, u => u.Named("00aa11bb22cc33dd44ee55ff66778899").Deleted());

        Assert.True((await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10))).NamesConcealed);
    }

    [Fact]
    public async Task AggregateAsync_RealUserPrincipalNames_ReportsNamesNotConcealed()
    {
        var csv = new DetailCsvBuilder().User(E3, u => u.Named("7B3F0E9A1C2D4E5F60718293A4B5C6D7")).User(E3);

        Assert.False((await AggregateAsync(csv, Of(1, "ENTERPRISEPACK", 10))).NamesConcealed);
    }

    [Fact]
    public async Task AggregateAsync_SameSubscriptionListedTwice_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            AggregateAsync(new DetailCsvBuilder().User(E3), Of(1, "ENTERPRISEPACK", 10), Of(1, "ENTERPRISEPACK", 10)));
    }

    [Fact]
    public async Task AggregateAsync_ManyUsersAcrossSkus_LicensedSumsMatchPerSku()
    {
        // Property check: for every SKU and workload, the pooled parts add up to the users holding it.
        var random = new Random(7);
        string[] products = [E3, M365E5, $"{E3}+{M365E5}", "INTUNE", "MYSTERY", ""];
        var csv = new DetailCsvBuilder();
        var expected = new Dictionary<(string Sku, Workload Workload), int>();
        for (var i = 0; i < 500; i++)
        {
            var product = products[random.Next(products.Length)];
            var workload = (Workload)random.Next(5);
            var deleted = random.Next(10) == 0;
            csv.User(product, u =>
            {
                u.Active(workload, random.Next(40));
                if (deleted)
                {
                    u.Deleted();
                }
            });
            if (deleted)
            {
                continue;
            }

            foreach (var sku in new[] { (E3, "ENTERPRISEPACK"), (M365E5, "SPE_E5") }.Where(p => product.Contains(p.Item1, StringComparison.Ordinal)))
            {
                expected[(sku.Item2, workload)] = expected.GetValueOrDefault((sku.Item2, workload)) + 1;
            }
        }

        TenantSubscription[] subscriptions = [Of(1, "ENTERPRISEPACK", 7), Of(2, "ENTERPRISEPACK", 11), Of(3, "ENTERPRISEPACK", 13), Of(4, "SPE_E5", 3), Of(5, "SPE_E5", 0)];
        var snapshot = await AggregateAsync(csv, subscriptions);

        foreach (var ((sku, workload), users) in expected)
        {
            var ids = subscriptions.Where(s => s.SkuPartNumber == sku).Select(s => s.SubscriptionId).ToHashSet();
            Assert.Equal(users, snapshot.Subscriptions.Where(s => ids.Contains(s.SubscriptionId) && s.Workload == workload).Sum(s => s.LicensedUsers));
        }
    }
}
