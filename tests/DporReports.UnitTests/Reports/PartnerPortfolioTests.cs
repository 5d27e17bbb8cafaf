using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;

namespace DporReports.UnitTests.Reports;

/// <summary>
/// The portfolio computation the dashboard, the summary API and the consumption-summary workbook share: reports/README.md
/// "overallUsagePercent" and "usageChange", the totals, and the page's search, filter, sort and paging.
/// </summary>
public sealed class PartnerPortfolioTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 20);

    [Fact]
    public void Compute_OverallUsage_IsTheHighestWorkloadOfTheSummedFigures()
    {
        var customer = Customer("Contoso", Subscription(Guid.NewGuid(), (Workload.Exchange, 100, 50), (Workload.Teams, 100, 90)),
            Subscription(Guid.NewGuid(), (Workload.Exchange, 100, 70)));

        var portfolio = PartnerPortfolio.Compute(AsOf.AddDays(-27), AsOf, [customer], [], []);

        var row = Assert.Single(portfolio.Customers);
        Assert.Equal(0.6m, row.UsagePercent(Workload.Exchange)); // (50 + 70) / (100 + 100)
        Assert.Equal(0.9m, row.UsagePercent(Workload.Teams));
        Assert.Null(row.UsagePercent(Workload.Yammer)); // no seats: "—", not 0 %
        Assert.Equal(0.9m, row.OverallUsage);
        Assert.Equal([0.9m, 0.7m], row.Subscriptions.Select(s => s.OverallUsage!.Value).Order().Reverse());
        Assert.Equal((2, 200, 0.9m), (row.SubscriptionCount, row.Seats, portfolio.OverallUsage!.Value));
        Assert.Equal(new WorkloadTotal(Workload.Exchange, 200, 120), portfolio.Workloads.Single(w => w.Workload == Workload.Exchange));
    }

    [Fact]
    public void Compute_Change_IsPointsAgainstAMonthEarlier_AndEmptyWithoutBothFigures()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var now = Customer("Contoso", Subscription(a, (Workload.Exchange, 200, 150)), Subscription(b, (Workload.Exchange, 100, 10)));
        var newcomer = Customer("Fabrikam", Subscription(Guid.NewGuid(), (Workload.Teams, 10, 5)));
        var monthEarlier = Customer("Contoso", Subscription(a, (Workload.Exchange, 200, 100)));

        var portfolio = PartnerPortfolio.Compute(AsOf.AddDays(-27), AsOf, [now, newcomer], [monthEarlier], []);

        var contoso = portfolio.Customers.Single(c => c.TenantName == "Contoso");
        Assert.Equal(0.25m, contoso.Subscriptions.Single(s => s.SubscriptionId == a).OverallUsageChange); // 75 % − 50 %
        Assert.Null(contoso.Subscriptions.Single(s => s.SubscriptionId == b).OverallUsageChange); // not visible a month earlier
        Assert.Equal(160m / 300 - 0.5m, contoso.OverallUsageChange!.Value, 4); // the customer's own figures, summed first
        Assert.Null(portfolio.Customers.Single(c => c.TenantName == "Fabrikam").OverallUsageChange);
        Assert.Equal(0.5333m - 0.5m, portfolio.OverallUsageChange!.Value, 4);
    }

    [Fact]
    public void Select_UsageBelow_ListsOnlyCustomersWithAFigureUnderTheThreshold()
    {
        var portfolio = Portfolio(("Low", 10), ("High", 90), ("Edge", 40), ("None", null));

        var page = portfolio.Select(new PortfolioQuery(UsageBelowPercent: 40));

        Assert.Equal(["Low"], page.Items.Select(c => c.TenantName));
        Assert.Equal(1, page.Matches);
    }

    [Fact]
    public void Select_SortByChangeDescending_PutsCustomersWithoutAChangeLast_ByName()
    {
        var earlier = new[] { Customer("Up", Subscription(Id("Up"), (Workload.Teams, 100, 10))), Customer("Down", Subscription(Id("Down"), (Workload.Teams, 100, 90))) };
        var now = new[]
        {
            Customer("Up", Subscription(Id("Up"), (Workload.Teams, 100, 60))), Customer("Down", Subscription(Id("Down"), (Workload.Teams, 100, 50))),
            Customer("b-new", Subscription(Guid.NewGuid(), (Workload.Teams, 100, 99))), Customer("A-new", Subscription(Guid.NewGuid(), (Workload.Teams, 100, 1))),
        };
        var portfolio = PartnerPortfolio.Compute(AsOf.AddDays(-27), AsOf, now, earlier, []);

        var descending = portfolio.Select(new PortfolioQuery(Sort: "change", Descending: true));
        var ascending = portfolio.Select(new PortfolioQuery(Sort: "change"));

        Assert.Equal(["Up", "Down", "A-new", "b-new"], descending.Items.Select(c => c.TenantName));
        Assert.Equal(["Down", "Up", "A-new", "b-new"], ascending.Items.Select(c => c.TenantName));
    }

    [Fact]
    public void Select_SearchIgnoresCase_AndAPageBeyondTheLastShowsTheLast()
    {
        var portfolio = Portfolio([.. Enumerable.Range(0, 12).Select(i => ($"Customer {i:00}", (int?)i))]);

        var search = portfolio.Select(new PortfolioQuery(Search: "customer 1", PageSize: 5));
        var beyond = portfolio.Select(new PortfolioQuery(Page: 9, PageSize: 5));

        Assert.Equal(["Customer 10", "Customer 11"], search.Items.Select(c => c.TenantName));
        Assert.Equal((3, 3, 12), (beyond.Page, beyond.TotalPages, beyond.Matches));
        Assert.Equal(["Customer 10", "Customer 11"], beyond.Items.Select(c => c.TenantName));
    }

    [Theory]
    [InlineData("40", null, null, 40.0, "name", false)]
    [InlineData("12.5%", "change", "desc", 12.5, "change", true)]
    [InlineData(" ", "teams", "asc", null, "teams", false)]
    public void FromParameters_GoodValues_MakeTheQuery(string? below, string? sort, string? dir, double? threshold, string key, bool descending)
    {
        var (query, problems) = PortfolioQuery.FromParameters(" Contoso ", below, sort, dir, 2, 25);

        Assert.Empty(problems);
        Assert.Equal(new PortfolioQuery("Contoso", (decimal?)threshold, key, descending, 2, 25), query);
    }

    [Fact]
    public void FromParameters_BadValues_FallBackToDefaults_AndNameEachParameter()
    {
        var (query, problems) = PortfolioQuery.FromParameters(null, "-3", "revenue", "sideways", null, 25);

        Assert.Equal(new PortfolioQuery(), query);
        Assert.Equal(["below", "sort", "dir"], problems.Select(p => Assert.Single(p.Errors!).Key));
    }

    private static Guid Id(string name) => new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name))[..16]);

    /// <summary>Customers each with one Teams subscription of 100 seats and the given MAU (null: no figures yet).</summary>
    private static PartnerPortfolio Portfolio(params (string Name, int? Mau)[] customers) => PartnerPortfolio.Compute(AsOf.AddDays(-27), AsOf,
        [.. customers.Select(c => c.Mau is { } mau
            ? Customer(c.Name, Subscription(Guid.NewGuid(), (Workload.Teams, 100, mau)))
            : Customer(c.Name, new SubscriptionUsage(Guid.NewGuid(), "Office 365 E3", ProductFamily.Office365, 0, null, [])))],
        [], []);

    private static CustomerUsage Customer(string name, params SubscriptionUsage[] subscriptions) =>
        new(Id("tenant " + name), name, subscriptions.Max(s => s.AsOf), subscriptions, []);

    private static SubscriptionUsage Subscription(Guid id, params (Workload Workload, int Seats, int Mau)[] workloads) =>
        new(id, "Office 365 E3", ProductFamily.Office365, workloads.Max(w => w.Seats), AsOf,
            [.. workloads.Select(w => new WorkloadUsage(w.Workload, w.Seats, w.Seats, w.Mau))]);
}
