using System.Diagnostics;
using System.Text.RegularExpressions;
using DporReports.BrowserTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DporReports.BrowserTests;

/// <summary>
/// axe-core on every page of the app (each Razor page, found from the app's own page routes, so a new page cannot be left
/// out silently; plus the sandbox's sign-in and consent pages a person meets), in English and in Spanish: no serious or
/// critical violation. And the primary actions done with the keyboard alone: connect a tenant, name a partner, approve a
/// partner, create a workbook and download it.
/// </summary>
public sealed class AccessibilityTests(ITestOutputHelper output, LiveHost host) : LiveBrowserTest(output, host), IClassFixture<LiveHost>
{
    private static readonly LocatorAssertionsToBeVisibleOptions JobTime = new() { Timeout = 45_000 };

    /// <summary>What each persona opens; together with the signed-out visits, every page route of the app.</summary>
    private static readonly (string? Persona, string[] Paths)[] Visits =
    [
        // Signed out: the home page, a failed sign-in callback (400) and the refusal page (403) as anyone may reach them.
        (null, ["/", "/signin-oidc", "/access-denied"]),
        ("adatum-admin",
        [
            "/", "/partner/usage", $"/partner/usage/customers/{SandboxDirectory.FabrikamTenantId}", "/partner/help", "/partner/customers", "/partner/reports",
            "/partner/reports/schedules", ScheduleDetail, "/partner/alerts", "/partner/registration", "/customer", "/customer/history",
        ]),
        ("northwind-admin", ["/customer", "/customer/history"]),
        ("contoso-reader", ["/customer", "/ops/partners"]), // the operators' page refuses it: the access-denied page, signed in
        ("litware-admin", ["/", "/partner/registration"]),
        ("proseware-admin", ["/partner/registration"]),
        ("operator", ["/", "/ops/partners", "/ops/partners?status=Pending", "/ops/ingestion"]),
    ];

    // Routes with ids are visited with real ones: Fabrikam's tenant id (demo data) and a schedule the test creates first.
    private const string ScheduleDetail = "{schedule}";

    [Fact]
    public async Task EveryPage_InEnglishAndSpanish_HasNoSeriousOrCriticalViolations()
    {
        Assert.NotNull(await App.DemoHistory.WaitAsync(TimeSpan.FromSeconds(120)));
        var schedule = await CreateScheduleAsync();
        var routes = PageRoutes();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var violations = new List<string>();

        foreach (var (persona, paths) in Visits)
        {
            // One sign-in per persona: English first (the browser's language), then Spanish through the language picker.
            await using var context = await NewContextAsync();
            var page = await context.NewPageAsync();
            if (persona is not null)
            {
                // The sandbox's persona picker is the sign-in page a person meets: checked on the way in.
                await page.GotoAsync($"/account/signin?returnUrl={Uri.EscapeDataString("/")}");
                await ArrivedAsync(page, new Regex("/oauth2/v2\\.0/authorize"));
                violations.AddRange(await CheckAsync(page, "sign-in (persona picker)"));
                await page.Locator($"button[value='{persona}']").ClickAsync();
                await ArrivedAsync(page, new Regex("^" + Regex.Escape(App.BaseUrl.ToString()) + "$"));
            }
            foreach (var language in new[] { "en", "es" })
            {
                if (language == "es") await page.GotoAsync("/language/es?returnUrl=/");
                foreach (var path in paths.Select(p => p == ScheduleDetail ? schedule : p))
                {
                    var clock = Stopwatch.StartNew();
                    var response = await page.GotoAsync(path);
                    var route = routes.FirstOrDefault(r => r.Matches(new Uri(page.Url).AbsolutePath));
                    Output.WriteLine($"{language} {persona ?? "signed out"} {path}: {(int)response!.Status} → {new Uri(page.Url).PathAndQuery} (route {route?.Template ?? "none"}) in {clock.ElapsedMilliseconds} ms");
                    Assert.True(response.Ok || response.Status is 400 or 403, $"{path} answered {response.Status}");
                    Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
                    if (route is not null) visited.Add(route.Template);
                    violations.AddRange(await CheckAsync(page, $"{language} {persona ?? "signed out"} {path}"));
                }
            }
        }

        // Every page route was visited (so a new page needs a visit here), and every visit landed on one.
        Assert.Equal(routes.Select(r => r.Template).Order(), visited.Order());
        Assert.True(violations.Count == 0, $"{violations.Count} serious or critical accessibility violations:\n{string.Join('\n', violations)}");
    }

    /// <summary>The checker itself finds what it must: a page with an unlabelled field, an image without text, poor contrast.</summary>
    [Fact]
    public async Task Axe_OnAFaultyPage_ReportsTheViolations()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <!DOCTYPE html><html lang="en"><head><title>Faulty</title></head><body><main><h1>Faulty</h1>
            <img src="/favicon.svg"><input type="text"><p style="color:#ccc;background:#fff">Pale text</p></main></body></html>
            """);
        var found = (await Axe.RunAsync(page)).Violations;
        foreach (var violation in found) Output.WriteLine(violation.ToString());
        Assert.Equal(["color-contrast", "image-alt", "label"], found.Where(v => v.IsSeriousOrCritical).Select(v => v.Id).Order());
    }

    [Fact]
    public async Task PrimaryActions_WithTheKeyboardAlone_Work()
    {
        Assert.NotNull(await App.DemoHistory.WaitAsync(TimeSpan.FromSeconds(120)));
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();

        // The first Tab reaches "Skip to content", which moves the focus to the page's main content.
        await page.GotoAsync("/");
        await PageChecks.TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" }), 1);
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // Sign in: the app's Sign in link, then the persona on the sandbox's picker, by keyboard.
        await PageChecks.TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, new Regex("/oauth2/v2\\.0/authorize"));
        await PageChecks.TabToAsync(page, page.Locator("button[value='contoso-admin']"));
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, new Regex("^" + Regex.Escape(App.BaseUrl.ToString()) + "$"));

        // A customer connects its tenant: the navigation, Connect this tenant, the sandbox's consent page.
        await PageChecks.TabToAsync(page, page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Subscriptions" }));
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, new Regex("/customer$"));
        await PageChecks.TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Connect this tenant" }));
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, new Regex("/adminconsent"));
        violations.AddRange(await CheckAsync(page, "admin consent (sandbox)"));
        await PageChecks.TabToAsync(page, page.Locator("button[value='contoso-admin']"));
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, new Regex("/customer\\?connect=connected$"));
        var row = page.Locator("tr[data-subscription][data-status='Enabled']").First;
        await Assertions.Expect(row).ToBeVisibleAsync(JobTime);
        violations.AddRange(await CheckAsync(page, "customer, connected"));

        // Names a partner of record: open the panel, type the Partner ID, Check ID, tick "all", Confirm.
        await PageChecks.TabToAsync(page, row.GetByText("Add partner of record"));
        await page.Keyboard.PressAsync("Enter");
        await PageChecks.TabToAsync(page, row.Locator("input[name='PartnerId']"));
        await page.Keyboard.TypeAsync("1234567");
        await PageChecks.TabToAsync(page, row.GetByRole(AriaRole.Button, new() { Name = "Check ID" }));
        await page.Keyboard.PressAsync("Enter");
        row = page.Locator("tr[data-subscription]", new() { Has = page.Locator("[data-checked-partner]") });
        await Assertions.Expect(row.Locator("[data-checked-partner]")).ToHaveTextAsync("Adatum Consulting");
        violations.AddRange(await CheckAsync(page, "customer, partner checked"));
        await PageChecks.TabToAsync(page, row.GetByLabel("Add this partner to all of your subscriptions without an associated partner"));
        await page.Keyboard.PressAsync("Space");
        await PageChecks.TabToAsync(page, row.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, new Regex("/customer$"));
        await Assertions.Expect(page.Locator("[data-state='Verified']").First).ToBeVisibleAsync(JobTime);
        violations.AddRange(await CheckAsync(page, "customer, verified"));
        await PageChecks.TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }));
        await page.Keyboard.PressAsync("Enter");
        // Signing out ends on the home page; the next sign-in must not start while that navigation is still under way.
        await ArrivedAsync(page, SignedOutHome());

        // An operator approves the waiting partner (Litware).
        await SignInAsync(page, "operator", "/ops/partners");
        var litware = page.Locator("section[data-partner]", new() { HasText = "Litware" });
        await PageChecks.TabToAsync(page, litware.GetByRole(AriaRole.Button, new() { Name = "Approve" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(litware.Locator("h2 .badge")).ToHaveTextAsync("Approved");
        violations.AddRange(await CheckAsync(page, "operator, approved"));
        await PageChecks.TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }));
        await page.Keyboard.PressAsync("Enter");
        // Signing out ends on the home page; the next sign-in must not start while that navigation is still under way.
        await ArrivedAsync(page, SignedOutHome());

        // A partner creates a workbook and downloads it, never touching the mouse.
        await SignInAsync(page, "adatum-admin", "/partner/reports");
        await PageChecks.TabToAsync(page, page.GetByLabel("Report", new() { Exact = true }));
        await PageChecks.TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Create workbook" }));
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, new Regex("/partner/reports$"));
        var requested = await page.Locator("tr[data-file]").First.GetAttributeAsync("data-file");
        var link = page.Locator($"tr[data-file='{requested}'] a[download]");
        await Assertions.Expect(link).ToBeVisibleAsync(JobTime);
        violations.AddRange(await CheckAsync(page, "workbooks, ready"));
        await PageChecks.TabToAsync(page, link, 200);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);

        Assert.True(violations.Count == 0, $"{violations.Count} serious or critical accessibility violations:\n{string.Join('\n', violations)}");
    }

    /// <summary>Runs axe on the page; prints every violation, returns the serious and critical ones, labelled.</summary>
    private async Task<IEnumerable<string>> CheckAsync(IPage page, string label)
    {
        var result = await Axe.RunAsync(page);
        Output.WriteLine($"  axe {label}: {result.RulesPassed} rules passed, {result.Violations.Count} violated ({result.Took.TotalMilliseconds:0} ms)");
        foreach (var violation in result.Violations) Output.WriteLine($"  axe {label}: {violation}");
        return result.Violations.Where(v => v.IsSeriousOrCritical).Select(v => $"{label}: {v}");
    }

    /// <summary>A weekly schedule of Adatum's, made through its form: its page is the schedule-detail route.</summary>
    private async Task<string> CreateScheduleAsync()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, "adatum-admin", "/partner/reports/schedules");
        await page.Locator("#Form_Name").FillAsync("Weekly summary");
        await page.Locator("#Form_Cadence").SelectOptionAsync("weekly");
        await page.Locator("#Form_Recipients").FillAsync("reports@adatum.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();
        // Creating opens the new schedule's own page.
        await ArrivedAsync(page, new Regex("/partner/reports/schedules/[0-9a-f-]{36}$"));
        return new Uri(page.Url).AbsolutePath;
    }

    private sealed record PageRoute(string Template, Regex Pattern)
    {
        public bool Matches(string path) => Pattern.IsMatch(path);
    }

    /// <summary>The app's Razor page routes, as the running host registered them ("/" for the home page).</summary>
    private List<PageRoute> PageRoutes() =>
        App.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<PageActionDescriptor>()
            .GroupBy(d => d.RelativePath)
            // The home page answers at "" and at "Index": its shortest route is the one people use.
            .Select(g => "/" + g.Select(d => d.AttributeRouteInfo!.Template!).MinBy(t => t.Length))
            .Select(t => new PageRoute(t, new Regex("^" + Regex.Replace(Regex.Escape(t), @"\\\{[^/]*}", "[^/]+") + "/?$")))
            .ToList();
}
