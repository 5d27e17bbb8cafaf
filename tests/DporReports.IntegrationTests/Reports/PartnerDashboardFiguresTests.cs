using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Reports;

/// <summary>
/// The dashboard's key figures, 7-day averages, customer trends and biggest changes (page and JSON API), against figures
/// computed here from the facts seeded and the definitions in reports/README.md. Every seeded customer also has facts
/// outside its verified window, with values that would change every expected figure if they counted; one customer has no
/// figures in the previous period. The attack the isolation test covers: another partner's customer (with the largest
/// change of all) showing in this partner's "biggest changes".
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class PartnerDashboardFiguresTests(SandboxFixture sandbox) : IAsyncLifetime
{
    // The real time, as in PartnerDashboardPagesTests: sign-in checks the nonce against the real clock.
    private static readonly DateTimeOffset T0 = TimeProvider.System.GetUtcNow();
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);
    private static readonly DateOnly From = Day0.AddDays(-27);
    private static readonly DateOnly PreviousFrom = Day0.AddDays(-55);
    private static readonly DateOnly PreviousTo = Day0.AddDays(-28);
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly List<Seeded> _seeded = [];
    private DporWebFactory _app = null!;

    /// <summary>A seeded customer: its one subscription's window start, and its facts (visible or not).</summary>
    private sealed record Seeded(Guid TenantId, string Name, bool Adatum, DateOnly WindowFrom, int Seats,
        List<(DateOnly Day, Workload Workload, int Mau)> Monthly, List<(DateOnly Day, int Users)> Daily);

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" }) { Clock = _clock };
        await _app.ConnectedTenantAsync();
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);

        // Alpha rises (40 % → 60 %), Gamma and Delta fall by the same 65 points (Delta has more seats), Beta was verified
        // ten days ago: no previous figures, and its facts before the window (a day inside this period and one inside the
        // previous) are huge. Foreign is Litware's, with the largest rise of all.
        await SeedAsync("Figures Alpha", adatum: true, verifiedDaysAgo: 70, seats: 100,
            monthly: [(-1, Workload.Exchange, 60), (-1, Workload.Teams, 30), (-29, Workload.Exchange, 40), (-29, Workload.Teams, 35)],
            daily: [.. Enumerable.Range(0, 61).Where(d => d % 5 != 3).Select(d => (-d, 100 + (d % 7 * 10)))]);
        await SeedAsync("Figures Beta", adatum: true, verifiedDaysAgo: 10, seats: 50,
            monthly: [(-1, Workload.Exchange, 10), (-20, Workload.Exchange, 4_000), (-30, Workload.Exchange, 4_000)],
            daily: [(-20, 9_000_000), (-30, 9_000_000), .. Enumerable.Range(0, 6).Select(d => (-d, 7))]);
        await SeedAsync("Figures Gamma", adatum: true, verifiedDaysAgo: 70, seats: 20,
            monthly: [(-1, Workload.Exchange, 5), (-29, Workload.Exchange, 18)], daily: []);
        await SeedAsync("Figures Delta", adatum: true, verifiedDaysAgo: 70, seats: 40,
            monthly: [(-1, Workload.Exchange, 10), (-29, Workload.Exchange, 36)], daily: []);
        await SeedAsync("Figures Foreign", adatum: false, verifiedDaysAgo: 70, seats: 10,
            monthly: [(-1, Workload.Exchange, 10), (-29, Workload.Exchange, 0)], daily: [(-1, 5)]);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dashboard_KeyFigures_ChangeAgainstThePreviousPeriod_OnlyInsideTheWindows()
    {
        using var browser = await _app.SignInAsync("adatum-admin", "/partner/usage");
        using var api = await _app.ApiClientAsync("adatum-admin");

        var html = await browser.GetStringAsync("/partner/usage?period=28d");
        var json = JsonDocument.Parse(await api.GetStringAsync("/api/partner/usage/dashboard?period=28d")).RootElement;

        var expected = ExpectedFigures();
        Assert.Equal(D(PreviousFrom), json.GetProperty("previousFrom").GetString());
        Assert.Equal(D(PreviousTo), json.GetProperty("previousTo").GetString());
        var figures = json.GetProperty("keyFigures").EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!);
        foreach (var (key, now, before) in expected)
        {
            Assert.Equal(now, figures[key].GetProperty("current").GetDecimal());
            Assert.Equal(before, figures[key].GetProperty("previous").GetDecimal());
            Assert.Equal(now - before, figures[key].GetProperty("change").GetDecimal());
            Assert.Equal(Math.Round((now - before) / before, 4), figures[key].GetProperty("changePercent").GetDecimal());
        }
        // The page shows the same figures: seats 210 against 160 (+50, +31.3 %).
        var seats = expected.Single(f => f.Key == "seats");
        Assert.Equal((210m, 160m), (seats.Now, seats.Before));
        Assert.Equal(N(seats.Now), Tile(html, "seats", "data-value"));
        Assert.Equal($"+{N(seats.Now - seats.Before)} (+{((seats.Now - seats.Before) / seats.Before * 100).ToString("0.0", CultureInfo.InvariantCulture)} %) against {N(seats.Before)}",
            Tile(html, "seats", "data-change"));
        var usage = expected.Single(f => f.Key == "usage");
        Assert.Equal(usage.Now.ToString("P1", CultureInfo.InvariantCulture), Tile(html, "usage", "data-value"));
        Assert.StartsWith($"−{Math.Abs((usage.Now - usage.Before) * 100).ToString("0.0", CultureInfo.InvariantCulture)} pts (", Tile(html, "usage", "data-change"), StringComparison.Ordinal);
        var dau = expected.Single(f => f.Key == "averageDailyActiveUsers");
        Assert.Equal(dau.Now.ToString("#,0.#", CultureInfo.InvariantCulture), Tile(html, "averageDailyActiveUsers", "data-value"));
    }

    [Fact]
    public async Task Dashboard_PreviousPeriodOutsideEveryWindow_SaysNoPreviousData()
    {
        using var browser = await _app.SignInAsync("adatum-admin", "/partner/usage");
        using var api = await _app.ApiClientAsync("adatum-admin");

        // Six months back from six months ago: before every window.
        var html = await browser.GetStringAsync("/partner/usage?period=6m");
        var json = JsonDocument.Parse(await api.GetStringAsync("/api/partner/usage/dashboard?period=6m")).RootElement;

        foreach (var figure in json.GetProperty("keyFigures").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Null, figure.GetProperty("previous").ValueKind);
            Assert.Equal(JsonValueKind.Null, figure.GetProperty("change").ValueKind);
            Assert.Equal(JsonValueKind.Null, figure.GetProperty("changePercent").ValueKind);
            Assert.Equal("no previous data", Tile(html, figure.GetProperty("key").GetString()!, "data-change"));
        }
        Assert.Contains("data-none=\"risers\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0 %) against", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_SevenDayAverage_IsTheMeanOfTheDaysWithFigures_OnPageAndApi()
    {
        using var browser = await _app.SignInAsync("adatum-admin", "/partner/usage");
        using var api = await _app.ApiClientAsync("adatum-admin");

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/partner/usage?period=28d"));
        var json = JsonDocument.Parse(await api.GetStringAsync("/api/partner/usage/dashboard?period=28d")).RootElement;

        var totals = VisibleDailyTotals(From, Day0);
        var teams = json.GetProperty("trend").EnumerateArray().Where(d => d.GetProperty("workload").GetString() == "Teams")
            .ToDictionary(d => DateOnly.Parse(d.GetProperty("date").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(totals.Keys.Order(), teams.Keys.Order()); // missing days stay missing, never 0
        foreach (var (day, users) in totals)
        {
            // Trailing: the day and the six before it, counting only days with a figure (inside the period's trend).
            var window = totals.Where(t => t.Key <= day && t.Key > day.AddDays(-7)).Select(t => (decimal)t.Value).ToList();
            var average = Math.Round(window.Sum() / window.Count, 2);
            Assert.Equal(users, teams[day].GetProperty("users").GetInt64());
            Assert.Equal(average, teams[day].GetProperty("sevenDayAverage").GetDecimal());
            Assert.Contains($"aria-label=\"Teams, {D(day)}: {N(users)}; 7-day average {average.ToString("#,0.##", CultureInfo.InvariantCulture)}\"", html, StringComparison.Ordinal);
        }
        // Beta's day before its window (9,000,000) is in neither the daily figure nor any average.
        Assert.DoesNotContain("9,000,0", html, StringComparison.Ordinal);
        Assert.Contains("Teams, 7-day average", html, StringComparison.Ordinal); // legend and numbers table
    }

    [Fact]
    public async Task Dashboard_BiggestChanges_RankByPointsThenSeats_WithoutCustomersLackingPreviousFigures()
    {
        using var browser = await _app.SignInAsync("adatum-admin", "/partner/usage");
        using var api = await _app.ApiClientAsync("adatum-admin");

        var html = await browser.GetStringAsync("/partner/usage?period=28d");
        var json = JsonDocument.Parse(await api.GetStringAsync("/api/partner/usage/dashboard?period=28d")).RootElement;

        // From the definition: overall usage % (highest workload MAU / PAU) now and in the previous period, in points.
        var movers = _seeded.Where(s => s.Adatum).Select(s => (s.TenantId, s.Seats, s.Name, Now: Overall(s, From, Day0), Before: Overall(s, PreviousFrom, PreviousTo)))
            .Where(m => m.Now is not null && m.Before is not null).Select(m => (m.TenantId, m.Seats, m.Name, Change: m.Now!.Value - m.Before!.Value)).ToList();
        var risers = movers.Where(m => m.Change > 0).OrderByDescending(m => m.Change).ThenByDescending(m => m.Seats).Select(m => m.TenantId).ToList();
        var fallers = movers.Where(m => m.Change < 0).OrderBy(m => m.Change).ThenByDescending(m => m.Seats).Select(m => m.TenantId).ToList();
        Assert.Equal([Id("Figures Alpha")], risers);
        Assert.Equal([Id("Figures Delta"), Id("Figures Gamma")], fallers); // equal change: more seats first

        Assert.Equal(risers, Ids(json.GetProperty("risers")));
        Assert.Equal(fallers, Ids(json.GetProperty("fallers")));
        Assert.Equal(risers, Movers(html, "risers"));
        Assert.Equal(fallers, Movers(html, "fallers"));
        var alpha = movers.Single(m => m.Name == "Figures Alpha");
        Assert.Equal(alpha.Change, json.GetProperty("risers")[0].GetProperty("change").GetDecimal());
        Assert.Contains($"href=\"/partner/usage/customers/{Id("Figures Alpha")}?period=28d&amp;tz=UTC\">Figures Alpha</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Id("Figures Beta").ToString(), Section(html, "data-movers"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Attacker/victim: Litware's customer has the largest change of all; Adatum's biggest changes (page and API) never name
    /// it, while Litware's own dashboard does (so the customer is a real mover, not one the ranking missed).
    /// </summary>
    [Fact]
    public async Task BiggestChanges_AnotherPartnersCustomer_NeverAppears()
    {
        using var adatumPage = await _app.SignInAsync("adatum-admin", "/partner/usage");
        using var adatumApi = await _app.ApiClientAsync("adatum-admin");
        using var litwareApi = await _app.ApiClientAsync("litware-admin");
        var foreign = Id("Figures Foreign");

        var html = await adatumPage.GetStringAsync("/partner/usage?period=28d");
        var mine = await adatumApi.GetStringAsync("/api/partner/usage/dashboard?period=28d");
        var theirs = JsonDocument.Parse(await litwareApi.GetStringAsync("/api/partner/usage/dashboard?period=28d")).RootElement;

        Assert.Equal([foreign], Ids(theirs.GetProperty("risers")));
        Assert.DoesNotContain(foreign.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain("Figures Foreign", html, StringComparison.Ordinal);
        Assert.DoesNotContain(foreign.ToString(), mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomersTable_EachRow_HasASparklineWithATextAlternative()
    {
        using var browser = await _app.SignInAsync("adatum-admin", "/partner/usage");

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/partner/usage?period=28d"));

        foreach (var customer in _seeded.Where(s => s.Adatum))
        {
            var row = Regex.Match(html, $"<tr data-customer=\"{customer.TenantId}\">.*?</tr>", RegexOptions.Singleline).Value;
            var days = customer.Daily.Where(d => d.Day >= customer.WindowFrom && d.Day >= From && d.Day <= Day0).OrderBy(d => d.Day).ToList();
            if (days.Count == 0)
            {
                Assert.Contains("No daily figures in this period.", row, StringComparison.Ordinal);
                continue;
            }
            var words = $"Daily active users from {D(days[0].Day)} to {D(days[^1].Day)}: lowest {N(days.Min(d => d.Users))}, " +
                        $"highest {N(days.Max(d => d.Users))}, latest {N(days[^1].Users)}.";
            Assert.Contains($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spark\" role=\"img\" aria-label=\"{words}\"", row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DashboardApi_UnknownPeriod_Returns400()
    {
        using var api = await _app.ApiClientAsync("adatum-admin");

        using var response = await api.GetAsync("/api/partner/usage/dashboard?period=1999-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("period", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Key figures from the definitions (reports/README.md), over the facts each window shows.</summary>
    private List<(string Key, decimal Now, decimal Before)> ExpectedFigures()
    {
        var mine = _seeded.Where(s => s.Adatum).ToList();
        // Latest visible monthly day of each subscription on or before the period's end, counted when inside the period.
        List<(Seeded Customer, List<(DateOnly Day, Workload Workload, int Mau)> Facts)> Latest(DateOnly from, DateOnly to) =>
        [
            .. mine.Where(s => s.WindowFrom <= to).Select(s =>
            {
                var visible = s.Monthly.Where(f => f.Day >= s.WindowFrom && f.Day <= to).ToList();
                var latest = visible.Count == 0 ? (DateOnly?)null : visible.Max(f => f.Day);
                return (s, latest is { } day && day >= from ? visible.Where(f => f.Day == day).ToList() : []);
            }).Where(x => x.Item2.Count > 0),
        ];
        (decimal Seats, decimal Mau, decimal Usage) Snapshot(DateOnly from, DateOnly to)
        {
            var latest = Latest(from, to);
            var byWorkload = Enum.GetValues<Workload>().Select(w => (
                Mau: latest.Sum(l => l.Facts.Where(f => f.Workload == w).Sum(f => f.Mau)),
                Seats: latest.Where(l => l.Facts.Any(f => f.Workload == w)).Sum(l => l.Customer.Seats))).ToList();
            return (latest.Sum(l => l.Customer.Seats), byWorkload.Max(w => w.Mau),
                byWorkload.Where(w => w.Seats > 0).Max(w => Math.Round((decimal)w.Mau / w.Seats, 4)));
        }
        var now = Snapshot(From, Day0);
        var before = Snapshot(PreviousFrom, PreviousTo);
        static decimal Average(Dictionary<DateOnly, long> days) => Math.Round((decimal)days.Values.Sum() / days.Count, 1);
        return
        [
            ("seats", now.Seats, before.Seats), ("monthlyActiveUsers", now.Mau, before.Mau), ("usage", now.Usage, before.Usage),
            ("averageDailyActiveUsers", Average(VisibleDailyTotals(From, Day0)), Average(VisibleDailyTotals(PreviousFrom, PreviousTo))),
        ];
    }

    /// <summary>Per day with a visible figure, Adatum's customers' Teams daily active users summed (Teams is the only daily workload seeded).</summary>
    private Dictionary<DateOnly, long> VisibleDailyTotals(DateOnly from, DateOnly to) => _seeded.Where(s => s.Adatum)
        .SelectMany(s => s.Daily.Where(d => d.Day >= s.WindowFrom && d.Day >= from && d.Day <= to))
        .GroupBy(d => d.Day).ToDictionary(g => g.Key, g => g.Sum(d => (long)d.Users));

    /// <summary>A customer's overall usage % (highest workload MAU / PAU) from its latest visible monthly day inside the period.</summary>
    private static decimal? Overall(Seeded s, DateOnly from, DateOnly to)
    {
        var visible = s.Monthly.Where(f => f.Day >= s.WindowFrom && f.Day <= to).ToList();
        if (visible.Count == 0 || visible.Max(f => f.Day) < from) return null;
        var day = visible.Max(f => f.Day);
        return visible.Where(f => f.Day == day).Max(f => Math.Round((decimal)f.Mau / s.Seats, 4));
    }

    private async Task SeedAsync(string name, bool adatum, int verifiedDaysAgo, int seats, (int Offset, Workload Workload, int Mau)[] monthly,
        (int Offset, int Users)[] daily)
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var partner = await db.Partners.SingleAsync(p => p.TenantId == (adatum ? SandboxDirectory.AdatumTenantId : SandboxDirectory.LitwareTenantId));
        var tenant = CustomerTenant.Create(Guid.NewGuid(), name);
        var subscription = Subscription.Discover(Guid.NewGuid(), tenant.Id, T0.AddDays(-120));
        var verified = T0.AddDays(-verifiedDaysAgo);
        var assignment = Assignment.Start(tenant.Id, subscription.Id, partner.Id, adatum ? DemoData.AdatumMpnId : DemoData.LitwareMpnId,
            new Actor(Guid.NewGuid(), Guid.NewGuid(), "Seeder"), qualified: true, verified);
        assignment.Verify(verified);
        db.AddRange(tenant, subscription, assignment);
        foreach (var (offset, workload, mau) in monthly)
            db.Add(SubscriptionUsageFact.Of(tenant.Id, Day0.AddDays(offset), new SubscriptionWorkloadUsage(subscription.Id, workload, seats, seats, mau)));
        foreach (var (offset, users) in daily)
            db.Add(SubscriptionDailyUsageFact.Of(tenant.Id, Day0.AddDays(offset), new SubscriptionWorkloadUsage(subscription.Id, Workload.Teams, seats, 0, users)));
        await db.SaveChangesAsync();
        _seeded.Add(new Seeded(tenant.Id, name, adatum, DateOnly.FromDateTime(verified.UtcDateTime), seats,
            [.. monthly.Select(m => (Day0.AddDays(m.Offset), m.Workload, m.Mau))], [.. daily.Select(d => (Day0.AddDays(d.Offset), d.Users))]));
    }

    private Guid Id(string name) => _seeded.Single(s => s.Name == name).TenantId;

    private static List<Guid> Ids(JsonElement movers) => [.. movers.EnumerateArray().Select(m => m.GetProperty("tenantId").GetGuid())];

    private static List<Guid> Movers(string html, string kind) =>
        [.. MoverItem().Matches(Regex.Match(html, $"<ol data-list=\"{kind}\">.*?</ol>", RegexOptions.Singleline).Value).Select(m => Guid.Parse(m.Groups["id"].Value))];

    private static string Section(string html, string marker) => Regex.Match(html, $"<section[^>]*{marker}.*?</section>", RegexOptions.Singleline).Value;

    /// <summary>The text of a tile's part (data-value or data-change), HTML-decoded and with its white space collapsed.</summary>
    private static string Tile(string html, string key, string part)
    {
        var tile = Regex.Match(html, $"<li class=\"tile\" data-figure=\"{key}\">.*?</li>", RegexOptions.Singleline).Value;
        var text = Regex.Match(tile, $"<span[^>]*{part}>(?<text>.*?)</span>", RegexOptions.Singleline).Groups["text"].Value;
        return Regex.Replace(WebUtility.HtmlDecode(text), "\\s+", " ").Trim();
    }

    private static string D(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string N(decimal value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    [GeneratedRegex("<li data-mover=\"(?<id>[0-9a-f-]{36})\">")]
    private static partial Regex MoverItem();
}
