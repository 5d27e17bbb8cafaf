using System.Globalization;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DporReports.BrowserTests.Infrastructure;
using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests;

/// <summary>
/// The "done when", in a real browser on the demo data a newcomer gets: the demo partner signs in and sees a
/// populated portfolio, opens a customer, and downloads a workbook that opens cleanly. Figures on the pages are checked
/// against the stored facts of the verified windows (read here straight from the database), and the sandbox's fixed seed
/// (seats, which subscriptions Adatum holds).
/// </summary>
public sealed class DemoPartnerTests(ITestOutputHelper output) : LiveBrowserTest(output)
{
    private const string Fabrikam = "Fabrikam, Inc.";
    private const string Northwind = "Northwind Traders";

    [Fact]
    public async Task DemoPartner_SignsIn_SeesPortfolioOpensCustomerAndDownloadsAValidWorkbook()
    {
        // The host seeds the demo history in the background after start; a newcomer reloads, the test waits for it.
        var history = await App.DemoHistory.WaitAsync(TimeSpan.FromSeconds(300));
        Assert.NotNull(history);
        Assert.Equal((4, 4, 4), (history.TenantsConnected, history.AssignmentStories, history.Pulls));
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var expected = await ExpectedAsync();

        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, "adatum-admin", "/partner/usage");

        // The portfolio: four customers (Contoso is left for the README's walk-through), their subscriptions and paid seats:
        // Fabrikam 60 (its 120-seat E3 is a trial: no paid seats), Northwind 45, Woodgrove 385 (its 25-seat E5 trial
        // excluded), Wingtip 172 (155 of education suites, and two Copilot subscriptions of 12 and 5).
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Usage of your customers");
        await Assertions.Expect(page.Locator("[data-total='customers']")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("[data-total='subscriptions']")).ToHaveTextAsync("22");
        await Assertions.Expect(page.Locator("[data-total='seats']")).ToHaveTextAsync(N(60 + 45 + 385 + 155 + 12 + 5));
        await Assertions.Expect(page.Locator("[data-count]")).ToContainTextAsync("4 customers");
        var fabrikamRow = page.Locator($"tr[data-customer='{SandboxDirectory.FabrikamTenantId}']");
        var northwindRow = page.Locator($"tr[data-customer='{SandboxDirectory.NorthwindTenantId}']");
        await Assertions.Expect(fabrikamRow.Locator("td[data-label='Customer']")).ToHaveTextAsync(Fabrikam);
        await Assertions.Expect(fabrikamRow.Locator("td[data-label='Subscriptions']")).ToHaveTextAsync("2"); // not Litware's SPB
        await Assertions.Expect(fabrikamRow.Locator("td[data-label='Seats']")).ToHaveTextAsync("60");
        await Assertions.Expect(northwindRow.Locator("td[data-label='Customer']")).ToHaveTextAsync(Northwind);
        await Assertions.Expect(northwindRow.Locator("td[data-label='Subscriptions']")).ToHaveTextAsync("1"); // the other one was removed
        await Assertions.Expect(fabrikamRow.Locator("td[data-label='Usage as of']")).ToHaveTextAsync(D(expected.Newest));
        await Assertions.Expect(page.Locator($"tr[data-customer='{SandboxDirectory.ContosoTenantId}']")).ToHaveCountAsync(0);
        var exchange = expected.Totals[Workload.Exchange];
        Assert.True(exchange.Mau > 0, "the demo customers have active Exchange users");
        var exchangeTotals = page.Locator("[data-totals] tr[data-workload='Exchange'] td");
        await Assertions.Expect(exchangeTotals).ToHaveTextAsync([N(exchange.Mau), N(exchange.Seats), Percent(exchange.Mau, exchange.Seats)]);
        var customerNames = await page.Locator("table[data-customers] td[data-label='Customer']").AllInnerTextsAsync();
        Assert.Equal(new[] { Fabrikam, Northwind, "Wingtip Toys School District", "Woodgrove Bank" }, customerNames);

        // Trend charts: an SVG per workload, and its numbers also as text (the newest day's sum over both customers).
        var trends = page.Locator("section[aria-labelledby='trends']");
        var exchangeChart = trends.Locator("figure", new() { Has = page.Locator("svg title", new() { HasText = "Exchange: daily active users, all customers" }) });
        await Assertions.Expect(exchangeChart.Locator("svg.chart")).ToBeVisibleAsync();
        // The five workloads always; Copilot's once a pull has read Wingtip's Copilot user-count trend (the demo's back-filled
        // history holds none, and the background pull may or may not have run yet).
        var charts = await trends.Locator("svg.chart").CountAsync();
        var copilotCharts = await trends.Locator("svg.chart > title", new() { HasText = "Copilot" }).CountAsync();
        Assert.Equal(Enum.GetValues<Workload>().Count(w => w != Workload.Copilot), charts - copilotCharts);
        Assert.InRange(copilotCharts, 0, 1);
        await Assertions.Expect(exchangeChart.Locator("svg g.series title", new() { HasText = $"Exchange, {D(expected.Newest)}:" }))
            .ToHaveTextAsync(new Regex($"^Exchange, {D(expected.Newest)}: {Regex.Escape(N(expected.PortfolioExchangeDailyActive))}; 7-day average [0-9,.]+$"));
        await exchangeChart.GetByText("Numbers for Exchange: daily active users, all customers").ClickAsync();
        await Assertions.Expect(exchangeChart.Locator("tbody tr").Last.Locator("td:not([data-average])"))
            .ToHaveTextAsync([D(expected.Newest), N(expected.PortfolioExchangeDailyActive)]);
        await ScreenshotAsync(page, "demo-01-portfolio");

        // A customer: its subscriptions with MAU / PAU / usage % per workload, its trend, its assignment windows.
        await fabrikamRow.GetByRole(AriaRole.Link, new() { Name = Fabrikam }).ClickAsync();
        await ArrivedAsync(page, new Regex($"/partner/usage/customers/{SandboxDirectory.FabrikamTenantId}"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Fabrikam);
        await Assertions.Expect(page.Locator("[data-freshness]")).ToContainTextAsync($"Usage as of {D(expected.Newest)}");
        var cards = page.Locator("[data-subscription]");
        await Assertions.Expect(cards).ToHaveCountAsync(2);
        foreach (var subscription in expected.Subscriptions.Where(s => s.TenantId == SandboxDirectory.FabrikamTenantId))
        {
            var card = page.Locator($"[data-subscription='{subscription.Id}']");
            await Assertions.Expect(card.Locator("h3")).ToHaveTextAsync(subscription.ProductName);
            var fact = subscription.Latest.Single(f => f.Workload == Workload.Exchange);
            await Assertions.Expect(card.Locator("tr[data-workload='Exchange'] td"))
                .ToHaveTextAsync(["Exchange", N(fact.ActiveUsers), N(fact.Seats), Percent(fact.ActiveUsers, fact.Seats)]);
        }
        await Assertions.Expect(page.Locator("section[aria-labelledby='trends'] svg.chart > title").First)
            .ToHaveTextAsync("Exchange: daily active users");
        var windows = page.Locator("tr[data-window]");
        await Assertions.Expect(windows).ToHaveCountAsync(2);
        foreach (var window in await windows.AllAsync())
        {
            await Assertions.Expect(window.Locator("td[data-label='From']")).ToHaveTextAsync(D(today.AddDays(-151)));
            await Assertions.Expect(window.Locator("td[data-label='Until']")).ToHaveTextAsync("current");
        }
        await ScreenshotAsync(page, "demo-02-customer-fabrikam");

        // Northwind removed one subscription a month ago: its window ends there, its card is gone.
        await page.GetByRole(AriaRole.Link, new() { Name = "← All customers" }).ClickAsync();
        await northwindRow.GetByRole(AriaRole.Link, new() { Name = Northwind }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Northwind);
        await Assertions.Expect(page.Locator("[data-subscription]")).ToHaveCountAsync(1);
        var removed = expected.Removed;
        var ended = page.Locator("tr[data-window]", new() { Has = page.Locator("td[data-label='Until']", new() { HasText = D(today.AddDays(-30)) }) });
        await Assertions.Expect(ended.Locator("td[data-label='Subscription']")).ToHaveTextAsync(removed.ProductName);
        await Assertions.Expect(ended.Locator("td[data-label='From']")).ToHaveTextAsync(D(today.AddDays(-120)));
        await ScreenshotAsync(page, "demo-03-customer-northwind");

        // A workbook on demand: the Consumption summary of the last 28 days, downloaded through the page's link.
        await page.GetByRole(AriaRole.Link, new() { Name = "← All customers" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Excel workbooks", Exact = true }).ClickAsync();
        await ArrivedAsync(page, new Regex("/partner/reports$"));
        await page.GetByLabel("Report", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Consumption summary" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workbook" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("Consumption summary is queued");
        await ReloadUntilAsync(page, page.Locator("tr[data-file][data-status='Done']"), "the workbook job");
        var done = page.Locator("tr[data-file][data-status='Done']");
        await Assertions.Expect(done).ToContainTextAsync($"{D(today.AddDays(-27))} to {D(today)}");
        await ScreenshotAsync(page, "demo-04-workbooks");

        var download = await page.RunAndWaitForDownloadAsync(() => done.GetByRole(AriaRole.Link).ClickAsync());
        Assert.Matches("^consumption-summary-\\d{8}-\\d{8}\\.xlsx$", download.SuggestedFilename);
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts", "downloads");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        Output.WriteLine($"workbook: {path}");

        using (var document = SpreadsheetDocument.Open(path, isEditable: false))
        {
            var errors = new OpenXmlValidator(FileFormatVersions.Microsoft365).Validate(document)
                .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
            Assert.Empty(errors);
        }
        using var workbook = new XLWorkbook(path);
        var sheet = workbook.Worksheet("Consumption summary");
        Assert.Equal("Customer", sheet.Cell(1, 1).GetString());
        var rows = sheet.RowsUsed().Skip(1).Select(r => (Customer: r.Cell(1).GetString(), Product: r.Cell(2).GetString())).ToList();
        // Every customer shown on the portfolio, one row per visible subscription, nothing of Contoso or the removed one.
        Assert.Equal(customerNames, rows.Select(r => r.Customer).Distinct());
        Assert.Equal(expected.Subscriptions.Select(s => (s.TenantName, s.ProductName)).Order(), rows.Order());
        Assert.DoesNotContain(rows, r => r.Customer == Northwind && r.Product == removed.ProductName);
    }

    private sealed record VisibleSubscription(Guid Id, Guid TenantId, string TenantName, string ProductName, IReadOnlyList<SubscriptionUsageFact> Latest);

    private sealed record Expected(DateOnly Newest, IReadOnlyList<VisibleSubscription> Subscriptions,
        IReadOnlyDictionary<Workload, (int Mau, int Seats)> Totals, long PortfolioExchangeDailyActive, VisibleSubscription Removed);

    /// <summary>What the pages should show, from the stored facts and Adatum's current verified assignments.</summary>
    private async Task<Expected> ExpectedAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DporDbContext>();
        var adatum = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId);
        var tenants = new[] { SandboxDirectory.FabrikamTenantId, SandboxDirectory.NorthwindTenantId, SandboxDirectory.WoodgroveTenantId, SandboxDirectory.WingtipTenantId };
        var visible = new List<VisibleSubscription>();
        VisibleSubscription? removed = null;
        foreach (var tenantId in tenants)
        {
            var tenantName = (await db.CustomerTenants.SingleAsync(t => t.Id == tenantId)).DisplayName;
            var assignments = await CustomerAssignments.OfTenant(db, tenantId).Where(a => a.PartnerId == adatum.Id).ToListAsync();
            foreach (var assignment in assignments)
            {
                var subscription = await db.Subscriptions.SingleAsync(s => s.Id == assignment.SubscriptionId);
                var facts = await db.Set<SubscriptionUsageFact>().Where(f => f.SubscriptionId == subscription.Id).ToListAsync();
                var latest = facts.Where(f => f.Date == facts.Max(x => x.Date)).ToList();
                var item = new VisibleSubscription(subscription.Id, tenantId, tenantName, subscription.ProductName, latest);
                if (assignment.State == AssignmentState.Verified) visible.Add(item);
                else if (assignment.EndReason == AssignmentEndReason.Removed) removed = item;
            }
        }
        var newest = visible.SelectMany(s => s.Latest).Max(f => f.Date);
        var totals = Enum.GetValues<Workload>().ToDictionary(w => w, w =>
        {
            var facts = visible.SelectMany(s => s.Latest).Where(f => f.Workload == w).ToList();
            return (facts.Sum(f => f.ActiveUsers), facts.Sum(f => f.Seats));
        });
        // The trend's newest day: the daily active users of the partner's own visible subscriptions (never tenant-wide).
        var visibleIds = visible.Select(v => v.Id).ToList();
        var daily = await db.Set<SubscriptionDailyUsageFact>()
            .Where(f => visibleIds.Contains(f.SubscriptionId) && f.Workload == Workload.Exchange && f.Date == newest)
            .SumAsync(f => (long)f.ActiveUsers);
        return new Expected(newest, visible, totals, daily, removed ?? throw new InvalidOperationException("Northwind removed no subscription."));
    }

    private static string D(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Percent(int mau, int seats) =>
        seats == 0 ? "—" : Math.Round((decimal)mau / seats, 4).ToString("P1", CultureInfo.InvariantCulture);
}
