using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DporReports.BrowserTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests;

/// <summary>The README's walk-through in English, acting on a 1366 px laptop (each page also seen at 390 px).</summary>
public sealed class EnglishWalkThroughTests(ITestOutputHelper output) : WalkThroughTests(output, "en", "en-US", Laptop, Phone);

/// <summary>The README's walk-through in Spanish, acting on a 390 px phone (each page also seen at 1366 px).</summary>
public sealed class SpanishWalkThroughTests(ITestOutputHelper output) : WalkThroughTests(output, "es", "es-MX", Phone, Laptop);

/// <summary>
/// The README's "first walk through the product", step by step, as a newcomer does it on the demo data, in one language
/// (the browser's): the partner's portfolio, a customer, a workbook, a schedule run; a customer connecting its tenant and
/// naming, changing and removing partners of record; the partner seeing the new customer. Every page on the way is
/// measured (load time), must fit the screen at both widths (nothing wider than the screen outside a table's scroller),
/// passes axe without a serious or critical violation, and is saved as a screenshot at both widths. The workbook's
/// progress must reach its download link without a reload; the time from the click to the link is printed.
/// </summary>
public abstract class WalkThroughTests(ITestOutputHelper output, string language, string locale, ViewportSize acting, ViewportSize other)
    : LiveBrowserTest(output)
{
    protected static readonly ViewportSize Laptop = new() { Width = 1366, Height = 900 };
    protected static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly LocatorAssertionsToBeVisibleOptions JobTime = new() { Timeout = 45_000 };

    private readonly List<string> _problems = [];
    private IPage _page = null!;
    private int _navigations;

    private string W(string english) => Words.In(language, english);

    [Fact]
    public async Task ReadmeWalkThrough_InTheBrowsersLanguage_FitsBothWidthsAndShowsProgressWithoutReloads()
    {
        Assert.NotNull(await App.DemoHistory.WaitAsync(TimeSpan.FromSeconds(180)));
        await using var context = await NewContextAsync(acting, locale);
        _page = await context.NewPageAsync();
        _page.FrameNavigated += (_, frame) => { if (frame == _page.MainFrame) _navigations++; };
        Output.WriteLine($"walk-through in {locale}, acting at {acting.Width} px, screenshots in {Browser.ScreenshotFolder}");

        // 1. The partner's portfolio, then the last 6 months.
        await SignInAsync(_page, "adatum-admin", "/partner/usage");
        await Assertions.Expect(_page.Locator("[data-total='customers']")).ToHaveTextAsync("4");
        await LookAsync("01-portfolio");
        await _page.Locator("#period").SelectOptionAsync("6m");
        await _page.GetByRole(AriaRole.Button, new() { Name = W("Show") }).ClickAsync();
        await ArrivedAsync(_page, new Regex("period=6m"));
        await LookAsync("02-portfolio-6-months");

        // 2. A customer, and Northwind with the window of its removed subscription.
        await _page.Locator($"tr[data-customer='{SandboxDirectory.FabrikamTenantId}'] a").ClickAsync();
        await Assertions.Expect(_page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Fabrikam, Inc.");
        await LookAsync("03-customer-fabrikam");
        await _page.GoBackAsync();
        await _page.Locator($"tr[data-customer='{SandboxDirectory.NorthwindTenantId}'] a").ClickAsync();
        await Assertions.Expect(_page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Northwind Traders");
        await LookAsync("04-customer-northwind");

        // 2b. Where to help: the ranked list, then only the items of the first item's reason.
        await NavigateAsync(W("Where to help"));
        await Assertions.Expect(_page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(W("Where to help"));
        var items = _page.Locator("table[data-help] tbody tr");
        Assert.True(await items.CountAsync() > 0, "the demo partner's list has items");
        await LookAsync("04b-where-to-help");
        var reason = (await items.First.GetAttributeAsync("data-reason"))!;
        await _page.Locator("#reason").SelectOptionAsync(reason);
        await _page.GetByRole(AriaRole.Button, new() { Name = W("Show") }).ClickAsync();
        await ArrivedAsync(_page, new Regex($"reason={reason}"));
        var reasons = await _page.Locator("table[data-help] tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.reason)");
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.Equal(reason, r));
        await LookAsync("04c-where-to-help-one-reason");

        // 3. A workbook: Create workbook, and the download link arrives without a reload.
        await NavigateAsync(W("Workbooks"));
        await LookAsync("05-workbooks");
        await _page.Locator("#ReportId").SelectOptionAsync(new SelectOptionValue { Label = W("Consumption summary") });
        var clock = Stopwatch.StartNew();
        await _page.GetByRole(AriaRole.Button, new() { Name = W("Create workbook") }).ClickAsync();
        await ArrivedAsync(_page, new Regex("/partner/reports$"));
        _navigations = 0;
        var requested = await _page.Locator("tr[data-file]").First.GetAttributeAsync("data-file");
        await Assertions.Expect(_page.Locator($"tr[data-file='{requested}'] a[download]")).ToBeVisibleAsync(JobTime);
        Output.WriteLine($"MEASURED {locale}: Create workbook → download link {clock.ElapsedMilliseconds} ms, without reload");
        Assert.Equal(0, _navigations);
        await LookAsync("06-workbook-ready", reload: false);
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.Locator($"tr[data-file='{requested}'] a[download]").ClickAsync());
        Assert.Matches("^consumption-summary-\\d{8}-\\d{8}\\.xlsx$", download.SuggestedFilename);
        await NavigateAsync(W("Customers"));
        await LookAsync("07-partner-customers");

        // 4. A weekly schedule, run now: its run appears in the run history.
        await NavigateAsync(W("Schedules"));
        await LookAsync("08-schedules");
        await _page.Locator("#Form_Name").FillAsync("Weekly summary");
        await _page.Locator("#Form_Cadence").SelectOptionAsync("weekly");
        await _page.Locator("#Form_Recipients").FillAsync("reports@adatum.example");
        await _page.GetByRole(AriaRole.Button, new() { Name = W("Create schedule") }).ClickAsync();
        await ArrivedAsync(_page, new Regex("/partner/reports/schedules/[0-9a-f-]{36}$"));
        await _page.GetByRole(AriaRole.Button, new() { Name = W("Run now") }).ClickAsync();
        await Assertions.Expect(_page.Locator("tr[data-run][data-status='Done'] a[download]")).ToBeVisibleAsync(JobTime);
        await LookAsync("09-schedule-run", reload: false);
        await SignOutAsync();

        // 5. A customer connects its tenant; the inventory job lists its subscriptions.
        await SignInAsync(_page, "contoso-admin", "/customer");
        await LookAsync("10-customer-not-connected");
        await _page.GetByRole(AriaRole.Button, new() { Name = W("Connect this tenant") }).ClickAsync();
        await _page.Locator("button[value='contoso-admin']").ClickAsync();
        await ArrivedAsync(_page, new Regex("/customer\\?connect=connected$"));
        clock.Restart();
        await Assertions.Expect(_page.Locator("tr[data-subscription][data-status='Enabled']").First).ToBeVisibleAsync(JobTime);
        Output.WriteLine($"MEASURED {locale}: consent → subscriptions listed {clock.ElapsedMilliseconds} ms");
        await LookAsync("11-customer-connected", reload: false);

        // 6. Adatum on one subscription and on all without a partner; Litware (once approved) on one; one removed.
        var row = _page.Locator("tr[data-subscription][data-status='Enabled']").First;
        await NameAsync(row, W("Add partner of record"), "1234567", "Adatum Consulting", all: true);
        await Assertions.Expect(_page.Locator("[data-state='Verified']").First).ToBeVisibleAsync(JobTime);
        await LookAsync("12-customer-adatum-verified", reload: false);
        await SignOutAsync();
        await SignInAsync(_page, "operator", "/ops/partners");
        var litware = _page.Locator("section[data-partner]", new() { HasText = "Litware" });
        await litware.GetByRole(AriaRole.Button, new() { Name = W("Approve") }).ClickAsync();
        await Assertions.Expect(litware.Locator("h2 .badge")).ToHaveTextAsync(W("Approved"));
        await LookAsync("13-ops-partners");
        await SignOutAsync();
        await SignInAsync(_page, "contoso-admin", "/customer");
        var verified = _page.Locator("tr[data-subscription]", new() { Has = _page.Locator("[data-state='Verified']") });
        var changed = await verified.First.GetAttributeAsync("data-subscription");
        await NameAsync(_page.Locator($"tr[data-subscription='{changed}']"), W("Change"), "2345678", "Litware Partners", all: false);
        await Assertions.Expect(_page.Locator($"tr[data-subscription='{changed}'] [data-partner-name]")).ToHaveTextAsync("Litware Partners");
        var removed = _page.Locator("tr[data-subscription]", new() { Has = _page.Locator("[data-partner-name]", new() { HasText = "Adatum Consulting" }) }).First;
        var removedId = await removed.GetAttributeAsync("data-subscription");
        await removed.Locator("summary", new() { HasText = W("Remove") }).ClickAsync();
        await removed.GetByRole(AriaRole.Button, new() { Name = string.Format(CultureInfo.InvariantCulture, W("Remove {0}"), "Adatum Consulting") }).ClickAsync();
        await Assertions.Expect(_page.Locator($"tr[data-subscription='{removedId}'] [data-partner-of-record] [data-partner-name]")).ToHaveCountAsync(0);
        await LookAsync("14-customer-changed-and-removed");
        await NavigateAsync(W("History"));
        await LookAsync("15-customer-history");
        await SignOutAsync();

        // 7. The partner sees its new customer.
        await SignInAsync(_page, "adatum-admin", "/partner/customers");
        await Assertions.Expect(_page.Locator($"section[data-customer='{SandboxDirectory.ContosoTenantId}']")).ToBeVisibleAsync();
        await LookAsync("16-partner-customers-with-contoso");

        Assert.True(_problems.Count == 0, $"{_problems.Count} problems on the walk-through:\n{string.Join('\n', _problems)}");
    }

    /// <summary>
    /// The alerts page, which the walk-through above does not reach: opened from the navigation, alerts switched on and the
    /// usage threshold changed from the default 30 % to 25 %, saved (the confirmation shows), and after a reload both kept.
    /// </summary>
    [Fact]
    public async Task AlertsPage_ChangeAThresholdAndSave_ConfirmedAndKeptAfterAReload()
    {
        Assert.NotNull(await App.DemoHistory.WaitAsync(TimeSpan.FromSeconds(180)));
        await using var context = await NewContextAsync(acting, locale);
        _page = await context.NewPageAsync();
        Output.WriteLine($"alerts page in {locale}, acting at {acting.Width} px, screenshots in {Browser.ScreenshotFolder}");

        await SignInAsync(_page, "adatum-admin", "/partner/usage");
        await NavigateAsync(W("Alerts"));
        await Assertions.Expect(_page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(W("Adoption alerts"));
        await Assertions.Expect(_page.Locator("#Form_LowUsage")).ToHaveValueAsync("30");
        await LookAsync("alerts-01-defaults");

        await _page.Locator("#Form_Enabled").CheckAsync();
        await _page.Locator("#Form_LowUsage").FillAsync("25");
        await _page.GetByRole(AriaRole.Button, new() { Name = W("Save") }).ClickAsync();
        await Assertions.Expect(_page.Locator("[data-done]")).ToHaveTextAsync(W("Alert settings saved."));
        await Assertions.Expect(_page.Locator("[data-alerts-state]")).ToHaveTextAsync(W("On"));
        await LookAsync("alerts-02-saved", reload: false); // a reload would drop the one-time confirmation

        await _page.ReloadAsync();
        await Assertions.Expect(_page.Locator("#Form_LowUsage")).ToHaveValueAsync("25");
        await Assertions.Expect(_page.Locator("#Form_Enabled")).ToBeCheckedAsync();
        await Assertions.Expect(_page.Locator("[data-alerts-state]")).ToHaveTextAsync(W("On"));
        await LookAsync("alerts-03-reloaded");

        Assert.True(_problems.Count == 0, $"{_problems.Count} problems on the alerts page:\n{string.Join('\n', _problems)}");
    }

    /// <summary>Opens a place of the navigation, as a person does.</summary>
    private async Task NavigateAsync(string place)
    {
        var menu = _page.GetByRole(AriaRole.Navigation, new() { Name = W("Main") });
        var link = menu.GetByRole(AriaRole.Link, new() { Name = place, Exact = true });
        var href = await link.GetAttributeAsync("href") ?? throw new InvalidOperationException($"the menu's {place} has no address");
        await link.ClickAsync();
        await ArrivedAsync(_page, new Regex(Regex.Escape(href) + "$"));
    }

    /// <summary>Opens a subscription's panel, checks a Partner ID, sees the partner's name, confirms.</summary>
    private async Task NameAsync(ILocator row, string panel, string partnerId, string partnerName, bool all)
    {
        await row.Locator("summary", new() { HasText = panel }).ClickAsync();
        await row.Locator("input[name='PartnerId']").FillAsync(partnerId);
        await row.GetByRole(AriaRole.Button, new() { Name = W("Check ID") }).ClickAsync();
        var checkedRow = _page.Locator("tr[data-subscription]", new() { Has = _page.Locator("[data-checked-partner]") });
        await Assertions.Expect(checkedRow.Locator("[data-checked-partner]")).ToHaveTextAsync(partnerName);
        await LookAsync($"customer-checked-{partnerId}", reload: false);
        if (all) await checkedRow.GetByLabel(W("Add this partner to all of your subscriptions without an associated partner")).CheckAsync();
        await checkedRow.GetByRole(AriaRole.Button, new() { Name = W("Confirm") }).ClickAsync();
        await ArrivedAsync(_page, new Regex("/customer$"));
    }

    private async Task SignOutAsync()
    {
        await _page.GetByRole(AriaRole.Button, new() { Name = W("Sign out") }).ClickAsync();
        await ArrivedAsync(_page, SignedOutHome());
    }

    /// <summary>
    /// The page as it is: its load time (the browser's navigation timing), axe, the overflow check and a screenshot at the
    /// acting width, then the same page at the other width (reloaded, as a person on that screen would open it, unless the
    /// state shown is one a reload would lose).
    /// </summary>
    private async Task LookAsync(string name, bool reload = true)
    {
        var (response, load) = await PageChecks.LoadTimeAsync(_page);
        var path = new Uri(_page.Url).PathAndQuery;
        Output.WriteLine($"MEASURED {locale} {acting.Width}px {path}: response {response} ms, load {load} ms");
        Assert.Equal(language, await _page.GetAttributeAsync("html", "lang"));
        var axe = await Axe.RunAsync(_page);
        foreach (var violation in axe.Violations) Output.WriteLine($"  axe {path}: {violation}");
        _problems.AddRange(axe.Violations.Where(v => v.IsSeriousOrCritical).Select(v => $"{path}: {v}"));
        await FitsAsync(name, acting);
        await _page.SetViewportSizeAsync(other.Width, other.Height);
        if (reload) await _page.ReloadAsync();
        await FitsAsync(name, other);
        await _page.SetViewportSizeAsync(acting.Width, acting.Height);
        if (reload) await _page.ReloadAsync();
    }

    private async Task FitsAsync(string name, ViewportSize size)
    {
        await ScreenshotAsync(_page, $"walk-{language}-{size.Width}-{name}");
        var overflow = await PageChecks.OverflowAsync(_page);
        if (overflow > 0)
            _problems.Add($"{new Uri(_page.Url).PathAndQuery} at {size.Width}px is {overflow}px wider than the screen: {await PageChecks.WidestAsync(_page)}");
    }
}
