using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Reports;

/// <summary>
/// design.md §2 "What a partner may see", through the JSON API. The attack: a partner reading usage of days it was not
/// the verified partner of record — before verification (another partner's time), after removal, while suspended — or of
/// another partner's subscriptions and customers. Facts exist on every day; only the window's days may come back.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartnerUsageVisibilityTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private readonly FakeTimeProvider _clock = new(T0);
    private DporWebFactory _app = null!;
    private Guid[] _active = [];

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" }) { Clock = _clock };
        await _app.ConnectedTenantAsync();
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        _active = await admin.ActiveSubscriptionIdsAsync();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Summary_ShowsOnlyDaysFromVerificationOn_AndOnlyTheOwnSubscriptions()
    {
        await SeedFactsAsync(_active[0], _active[1]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        await _app.AssignAndVerifyAsync(_active[1], DemoData.LitwareMpnId);

        var before = await SummaryAsync("adatum-admin", Day0.AddDays(-1));
        var onDay = await SummaryAsync("adatum-admin", Day0.AddDays(5));

        Assert.Equal(0, before.GetProperty("customers").GetInt32());
        var subscription = Assert.Single(Assert.Single(onDay.GetProperty("items").EnumerateArray()).GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(_active[0], subscription.GetProperty("subscriptionId").GetGuid());
        Assert.Equal(Day0.AddDays(5).ToString("yyyy-MM-dd"), subscription.GetProperty("asOf").GetString());
        Assert.Equal(105, Exchange(subscription).GetProperty("activeUsers").GetInt32()); // the fact of day 5 (100 + day)
    }

    [Fact]
    public async Task Summary_PendingOrRejectedAssignments_ShowNothing()
    {
        await SeedFactsAsync(_active[0]);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        (await admin.AssignAsync(_active[0], DemoData.AdatumMpnId)).EnsureSuccessStatusCode();

        var pending = await SummaryAsync("adatum-admin", Day0.AddDays(5));

        Assert.Equal(0, pending.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task Summary_AfterRemoval_ShowsNothingFromThatDayOn_ButTheWindowStaysVisibleAsOfItsDays()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        _clock.Advance(TimeSpan.FromDays(10));
        using var admin = await _app.ApiClientAsync("contoso-admin");
        (await admin.RemoveAsync(_active[0])).EnsureSuccessStatusCode();

        var inside = await SummaryAsync("adatum-admin", Day0.AddDays(9));
        var after = await SummaryAsync("adatum-admin", Day0.AddDays(12));

        var subscription = inside.GetProperty("items")[0].GetProperty("subscriptions")[0];
        Assert.Equal(Day0.AddDays(9).ToString("yyyy-MM-dd"), subscription.GetProperty("asOf").GetString());
        // From the removal on day 10, the dashboard no longer lists the customer at all.
        Assert.Equal(0, after.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task Summary_SuspendedDays_AreLeftOut()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        _clock.Advance(TimeSpan.FromDays(3));
        await sandbox.SetSubscriptionStatusAsync(Contoso, _active[0], "Suspended");
        await _app.SyncInventoryAsync(Contoso);
        _clock.Advance(TimeSpan.FromDays(4));
        await sandbox.SetSubscriptionStatusAsync(Contoso, _active[0], "Enabled");
        await _app.SyncInventoryAsync(Contoso);

        var whileSuspended = await SummaryAsync("adatum-admin", Day0.AddDays(6));
        var afterResume = await SummaryAsync("adatum-admin", Day0.AddDays(8));

        Assert.Equal(Day0.AddDays(2).ToString("yyyy-MM-dd"), whileSuspended.GetProperty("items")[0].GetProperty("subscriptions")[0].GetProperty("asOf").GetString());
        Assert.Equal(Day0.AddDays(8).ToString("yyyy-MM-dd"), afterResume.GetProperty("items")[0].GetProperty("subscriptions")[0].GetProperty("asOf").GetString());
    }

    /// <summary>
    /// Removal cuts dashboards immediately (design.md §2), also when the portfolio was computed before and kept in memory:
    /// the removal's ledger event changes the data version every request reads, so the next request computes again.
    /// </summary>
    [Fact]
    public async Task Summary_RemovalAfterThePortfolioWasCached_ShowsAtOnce()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        _clock.Advance(TimeSpan.FromDays(5));
        using var computations = new PortfolioComputations();

        var first = await SummaryAsync("adatum-admin", Day0.AddDays(5));
        var cached = await SummaryAsync("adatum-admin", Day0.AddDays(5));
        var computedBeforeRemoval = computations.Count;
        using var admin = await _app.ApiClientAsync("contoso-admin");
        (await admin.RemoveAsync(_active[0])).EnsureSuccessStatusCode();
        var afterRemoval = await SummaryAsync("adatum-admin", Day0.AddDays(5));

        Assert.Equal(1, first.GetProperty("customers").GetInt32());
        Assert.Equal(first.GetRawText(), cached.GetRawText());
        Assert.Equal(1, computedBeforeRemoval); // the second answer was the kept portfolio
        Assert.Equal(0, afterRemoval.GetProperty("customers").GetInt32());
        Assert.Empty(afterRemoval.GetProperty("items").EnumerateArray());
        Assert.Equal(2, computations.Count);
    }

    /// <summary>New facts show as soon as their pull has written them, though the portfolio as of that day was kept in memory.</summary>
    [Fact]
    public async Task Summary_NewFactsAfterThePortfolioWasCached_ShowAtOnce()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        _clock.Advance(TimeSpan.FromDays(20));
        var before = await SummaryAsync("adatum-admin", Day0.AddDays(20));

        // The day's subscription fact, then a pull of Contoso through the ingestion's own write (what marks data as changed).
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            db.Add(SubscriptionUsageFact.Of(Contoso, Day0.AddDays(18), new SubscriptionWorkloadUsage(_active[0], Workload.Exchange, 250, 200, 180)));
            await db.SaveChangesAsync();
        }
        await IngestDailyCountsAsync(Contoso, Day0.AddDays(18));
        var after = await SummaryAsync("adatum-admin", Day0.AddDays(20));

        Assert.Equal(115, Exchange(Subscription(before)).GetProperty("activeUsers").GetInt32()); // day 15, the last fact then
        Assert.Equal(Day0.AddDays(18).ToString("yyyy-MM-dd"), Subscription(after).GetProperty("asOf").GetString());
        Assert.Equal(180, Exchange(Subscription(after)).GetProperty("activeUsers").GetInt32());
    }

    /// <summary>
    /// Only pulls of the partner's own customers make its portfolio stale: with thousands of pulls a day across all
    /// tenants, anything broader would recompute every partner's portfolio every few seconds.
    /// </summary>
    [Fact]
    public async Task Summary_PullOfATenantWithoutThePartner_KeepsItsPortfolioAndAPullOfItsCustomerDoesNot()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        await _app.ConnectOtherTenantAsync("fabrikam-admin");
        using var computations = new PortfolioComputations();

        await SummaryAsync("adatum-admin", Day0.AddDays(5));
        await IngestDailyCountsAsync(SandboxDirectory.FabrikamTenantId, Day0.AddDays(4));
        await SummaryAsync("adatum-admin", Day0.AddDays(5));
        var afterOtherTenant = computations.Count;
        await IngestDailyCountsAsync(Contoso, Day0.AddDays(4));
        await SummaryAsync("adatum-admin", Day0.AddDays(5));

        Assert.Equal(1, afterOtherTenant);
        Assert.Equal(2, computations.Count);
    }

    [Fact]
    public async Task Summary_TwentyConcurrentRequests_ComputeThePortfolioOnce()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var computations = new PortfolioComputations();

        ReachDay(Day0.AddDays(5));
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => adatum.GetStringAsync($"/api/partner/usage/summary?asOf={Day0.AddDays(5):yyyy-MM-dd}")));

        Assert.Equal(1, computations.Count);
        Assert.Single(answers.Distinct());
        Assert.Equal(105, Exchange(Subscription(JsonDocument.Parse(answers[0]).RootElement)).GetProperty("activeUsers").GetInt32());
    }

    /// <summary>
    /// reports/README.md "usageChange": the overall usage % minus the one as of the same day a month earlier, in points, and
    /// only when that earlier day lies in the window too (never another partner's time before verification).
    /// </summary>
    [Fact]
    public async Task Summary_Change_ComparesWithAMonthEarlier_OnlyInsideTheWindow()
    {
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            // 200 seats; Exchange MAU 100 + day, from 40 days before verification to 40 days after.
            for (var offset = -40; offset <= 40; offset++)
                db.Add(SubscriptionUsageFact.Of(Contoso, Day0.AddDays(offset), new SubscriptionWorkloadUsage(_active[0], Workload.Exchange, 200, 200, 100 + offset)));
            await db.SaveChangesAsync();
        }
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        _clock.Advance(TimeSpan.FromDays(40));

        var late = await SummaryAsync("adatum-admin", Day0.AddDays(40)); // a month earlier: Day0 + 9, in the window
        var early = await SummaryAsync("adatum-admin", Day0.AddDays(20)); // a month earlier: before verification

        var customer = late.GetProperty("items")[0];
        Assert.Equal(0.7m, customer.GetProperty("overallUsage").GetDecimal()); // 140 / 200
        Assert.Equal(0.7m - 0.545m, customer.GetProperty("overallUsageChange").GetDecimal()); // minus 109 / 200
        Assert.Equal(0.155m, Subscription(late).GetProperty("overallUsageChange").GetDecimal());
        Assert.Equal(0.155m, late.GetProperty("overallUsageChange").GetDecimal());
        Assert.Equal(JsonValueKind.Null, early.GetProperty("items")[0].GetProperty("overallUsageChange").ValueKind);
        Assert.Equal(JsonValueKind.Null, Subscription(early).GetProperty("overallUsageChange").ValueKind);
    }

    [Fact]
    public async Task Summary_BadSortOrThreshold_Returns400NamingTheParameter()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        using var sort = await adatum.GetAsync("/api/partner/usage/summary?sort=revenue");
        using var below = await adatum.GetAsync("/api/partner/usage/summary?below=lots");

        Assert.Equal(HttpStatusCode.BadRequest, sort.StatusCode);
        Assert.True(JsonDocument.Parse(await sort.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("sort", out _));
        Assert.Equal(HttpStatusCode.BadRequest, below.StatusCode);
        Assert.True(JsonDocument.Parse(await below.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("below", out _));
    }

    [Fact]
    public async Task CustomerUsage_DailyActiveUsersOnlyInsideTheWindow()
    {
        await SeedFactsAsync(_active[0]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        ReachDay(Day0.AddDays(3));
        var detail = await adatum.GetFromJsonAsync<JsonElement>(
            $"/api/partner/customers/{Contoso}/usage?from={Day0.AddDays(-10):yyyy-MM-dd}&to={Day0.AddDays(3):yyyy-MM-dd}");

        var days = detail.GetProperty("dailyActiveUsers").EnumerateArray().Select(d => DateOnly.Parse(d.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        Assert.Equal([Day0, Day0.AddDays(1), Day0.AddDays(2), Day0.AddDays(3)], days);
    }

    /// <summary>
    /// design.md §3: a partner's daily figure is the sum over its own subscriptions — never the tenant-wide count. Two
    /// subscriptions of one tenant, one per partner: Adatum's series is its subscription's figures alone, not the sum.
    /// </summary>
    [Fact]
    public async Task CustomerUsage_DailyActiveUsers_AreThePartnersOwnSubscriptionsOnly_NotTheWholeTenants()
    {
        await SeedFactsAsync(_active[0], _active[1]);
        await _app.AssignAndVerifyAsync(_active[0], DemoData.AdatumMpnId);
        await _app.AssignAndVerifyAsync(_active[1], DemoData.LitwareMpnId);
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        ReachDay(Day0.AddDays(3));
        var detail = await adatum.GetFromJsonAsync<JsonElement>(
            $"/api/partner/customers/{Contoso}/usage?from={Day0:yyyy-MM-dd}&to={Day0.AddDays(3):yyyy-MM-dd}");

        var series = detail.GetProperty("dailyActiveUsers").EnumerateArray()
            .Select(d => (d.GetProperty("date").GetString()!, d.GetProperty("workload").GetString()!, d.GetProperty("users").GetInt64())).ToList();
        Assert.Equal(Enumerable.Range(0, 4).Select(o => ($"{Day0.AddDays(o):yyyy-MM-dd}", "Teams", 50L + o)), series);
    }

    /// <summary>Attacker/victim: a customer the partner holds no window in answers 404, exactly like an unknown id.</summary>
    [Fact]
    public async Task CustomerUsage_OfAnotherPartnersOrUnknownCustomer_Returns404()
    {
        await SeedFactsAsync(_active[1]);
        await _app.AssignAndVerifyAsync(_active[1], DemoData.LitwareMpnId);
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        ReachDay(Day0.AddDays(5));
        using var victims = await adatum.GetAsync($"/api/partner/customers/{Contoso}/usage?to={Day0.AddDays(5):yyyy-MM-dd}");
        using var unknown = await adatum.GetAsync($"/api/partner/customers/{Guid.NewGuid()}/usage");
        using var customer = await _app.ApiClientAsync("contoso-admin");

        Assert.Equal(HttpStatusCode.NotFound, victims.StatusCode);
        Assert.Equal(await unknown.CodeAsync(), await victims.CodeAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/partner/usage/summary")).StatusCode);
    }

    private async Task<JsonElement> SummaryAsync(string persona, DateOnly asOf)
    {
        ReachDay(asOf);
        using var client = await _app.ApiClientAsync(persona);
        using var response = await client.GetAsync($"/api/partner/usage/summary?asOf={asOf:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>"As of" a day is asked only once that day has come (the API refuses days in the future): the clock moves on to it.</summary>
    private void ReachDay(DateOnly day)
    {
        if (DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime) < day) _clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
    }

    /// <summary>Facts on every day from 10 days before T0 to 15 after: Exchange MAU = 100 + day offset, so a value names its day.</summary>
    private async Task SeedFactsAsync(params Guid[] subscriptions)
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        for (var offset = -10; offset <= 15; offset++)
        {
            var day = Day0.AddDays(offset);
            foreach (var id in subscriptions)
            {
                db.Add(SubscriptionUsageFact.Of(Contoso, day, new SubscriptionWorkloadUsage(id, Workload.Exchange, 250, 200, 100 + offset)));
                db.Add(SubscriptionDailyUsageFact.Of(Contoso, day, new SubscriptionWorkloadUsage(id, Workload.Teams, 250, 0, 50 + offset)));
            }
        }
        await db.SaveChangesAsync();
    }

    private static JsonElement Subscription(JsonElement summary) =>
        Assert.Single(Assert.Single(summary.GetProperty("items").EnumerateArray()).GetProperty("subscriptions").EnumerateArray());

    private static JsonElement Exchange(JsonElement subscription) =>
        subscription.GetProperty("workloads").EnumerateArray().Single(w => w.GetProperty("workload").GetString() == "Exchange");
    /// <summary>A tenant's daily active-user counts for one day, written through the ingestion as a pull writes them.</summary>
    private async Task IngestDailyCountsAsync(Guid tenant, DateOnly day)
    {
        var csv = "Report Refresh Date,Office 365,Exchange,OneDrive,SharePoint,Skype For Business,Yammer,Teams,Report Date,Report Period\n"
            + $"{day:yyyy-MM-dd},120,100,40,60,,5,80,{day:yyyy-MM-dd},30\n";
        await using var scope = _app.Scope();
        await using var file = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
        await scope.ServiceProvider.GetRequiredService<UsageIngestion>().IngestFileAsync(tenant, UsageReports.ActiveUserCounts, file, default);
    }
}
