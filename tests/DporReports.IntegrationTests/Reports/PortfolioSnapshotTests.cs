using System.Text.Json;
using DporReports.Core.Reports;
using DporReports.Core.Tenancy;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Reports;

/// <summary>
/// Issue 13: a host that starts (or a day that begins) without the portfolio in memory starts from its snapshot in the
/// database and re-reads only the customers changed since the snapshot's version. The result must equal the portfolio
/// computed from scratch; a snapshot is never another partner's, and a damaged one is computed again, never served.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PortfolioSnapshotTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private static readonly DateOnly AsOf = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
    private static readonly DateOnly From = AsOf.AddDays(-27);
    // Windows verified ten days ago, so the sandbox's facts (refresh date two days back, and the days before it) are visible.
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow().AddDays(-10));
    private DporWebFactory _app = null!;
    private Guid _adatum;
    private Guid _litware;

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" }) { Clock = _clock };
        await _app.ConnectedTenantAsync();
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var contoso = await admin.ActiveSubscriptionIdsAsync();
        await _app.AssignAndVerifyAsync(contoso[0], DemoData.AdatumMpnId);
        await _app.AssignAndVerifyAsync(contoso[1], DemoData.LitwareMpnId);
        await _app.CustomerOfAsync("fabrikam-admin", DemoData.AdatumMpnId);
        _clock.SetUtcNow(new DateTimeOffset(AsOf.ToDateTime(new TimeOnly(23, 10)), TimeSpan.Zero));
        await PullAsync(Contoso);
        await PullAsync(SandboxDirectory.FabrikamTenantId);
        await using var scope = _app.Scope();
        var partners = DporWebFactory.Db(scope).Partners;
        _adatum = await partners.Where(p => p.TenantId == SandboxDirectory.AdatumTenantId).Select(p => p.Id).SingleAsync();
        _litware = await partners.Where(p => p.TenantId == SandboxDirectory.LitwareTenantId).Select(p => p.Id).SingleAsync();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SecondHost_StartsFromTheSnapshot_ReadsOnlyTheCustomerPulledSince_AndEqualsThePortfolioFromScratch()
    {
        using var computations = new PortfolioComputations();
        var first = await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        Assert.Equal(2, first.Customers.Count);
        Assert.NotEmpty(first.Trend); // the trend's parts go through the snapshot too
        var snapshot = await SnapshotAsync(_adatum, From, AsOf);
        Assert.True(snapshot.Data.Length > 0);
        // After the snapshot: Contoso is pulled again (its facts rewritten, the partners' usage version raised).
        await PullAsync(Contoso);
        Assert.NotEqual(snapshot.UsageVersion, await UsageVersionAsync(_adatum));

        using var second = SecondHost();
        var started = await AssertUpToDateAsync(second, _adatum, From, AsOf);

        Assert.Equal(Json(first.Customers.Select(c => c.TenantId)), Json(started.Customers.Select(c => c.TenantId)));
        Assert.Equal(2, computations.Count); // the first host's full one, the second host's from the snapshot
        Assert.Equal(1, computations.FromSnapshots);
        Assert.Equal(1, computations.TenantsRecomputed); // Contoso alone, not Fabrikam
    }

    /// <summary>
    /// A web host loads the periods in use today from their snapshots as it starts, so the first request after a start finds
    /// its portfolio in memory and computes nothing.
    /// </summary>
    [Fact]
    public async Task SecondHost_LoadsTodaysPortfoliosAtStart_TheFirstRequestComputesNothing()
    {
        var first = await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        using var computations = new PortfolioComputations();

        using var second = SecondHost(warmAtStart: true);
        _ = second.Services; // starts the host
        for (var waited = 0; computations.FromSnapshots == 0 && waited < 1200; waited++) await Task.Delay(50);
        Assert.Equal(1, computations.FromSnapshots);
        var started = await AssertUpToDateAsync(second, _adatum, From, AsOf);

        Assert.Equal(1, computations.Count);
        Assert.Equal(Json(first), Json(started));
    }

    [Fact]
    public async Task Snapshot_IsNeverAnotherPartners_EvenForTheSamePeriod()
    {
        await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        using var computations = new PortfolioComputations();

        using var second = SecondHost();
        var litware = await AssertUpToDateAsync(second, _litware, From, AsOf);

        Assert.Equal(0, computations.FromSnapshots);
        Assert.Equal([Contoso], litware.Customers.Select(c => c.TenantId));
        Assert.Equal(1, Assert.Single(litware.Customers).SubscriptionCount);
        await using var scope = second.Scope();
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(_litware);
        // Litware's own snapshot now, beside Adatum's, and the query filter shows it only its own.
        Assert.Equal([_litware], await DporWebFactory.Db(scope).Set<PortfolioSnapshot>().Select(s => s.PartnerId).Distinct().ToListAsync());
    }

    [Fact]
    public async Task Snapshot_Damaged_IsComputedAgainAndRewritten()
    {
        var first = await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        await using (var scope = _app.Scope())
        {
            scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(_adatum);
            await DporWebFactory.Db(scope).Set<PortfolioSnapshot>().Where(s => s.PartnerId == _adatum)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Data, [31, 139, 8, 0, 1, 2, 3]));
        }
        using var computations = new PortfolioComputations();

        using var second = SecondHost();
        var again = await AssertUpToDateAsync(second, _adatum, From, AsOf);

        Assert.Equal(0, computations.FromSnapshots);
        Assert.Equal(Json(first), Json(again));
        Assert.Equal(first.Customers.Count, (await SnapshotAsync(_adatum, From, AsOf)).Read().Customers.Count);
    }

    /// <summary>
    /// An update brings the kept portfolio up to date at once; its snapshot is written only when the last write is
    /// SnapshotEveryMinutes old, and in the background, so the requests waiting for the update do not wait for a 10 MB
    /// write. The update right after it, before the next interval, writes nothing: the state knows a write was started.
    /// </summary>
    [Fact]
    public async Task Update_SnapshotDue_IsWrittenInTheBackground_AndTheNextUpdateWritesNone()
    {
        await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        var full = await SnapshotAsync(_adatum, From, AsOf);
        var writes = _app.Services.GetRequiredService<PortfolioSnapshotWrites>();
        var key = new PartnerDataCache.Key(_adatum, From, AsOf);
        using var computations = new PortfolioComputations();

        _clock.Advance(TimeSpan.FromMinutes(new PortfolioCacheOptions().SnapshotEveryMinutes + 1));
        // The sandbox counts Graph's report budget in real time: the setup's pulls spent it.
        sandbox.Server.Graph.Reports.ResetBudget();
        await PullAsync(Contoso);
        await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        await writes.WrittenAsync(key).WaitAsync(TimeSpan.FromSeconds(60));
        var updated = await SnapshotAsync(_adatum, From, AsOf);

        Assert.Equal(1, computations.Updates);
        Assert.True(updated.SavedAt > full.SavedAt);
        Assert.Equal(await UsageVersionAsync(_adatum), updated.UsageVersion);

        _clock.Advance(TimeSpan.FromMinutes(1));
        sandbox.Server.Graph.Reports.ResetBudget();
        await PullAsync(SandboxDirectory.FabrikamTenantId);
        await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        await writes.WrittenAsync(key).WaitAsync(TimeSpan.FromSeconds(60));
        var after = await SnapshotAsync(_adatum, From, AsOf);

        Assert.Equal(2, computations.Updates);
        Assert.NotEqual(updated.UsageVersion, await UsageVersionAsync(_adatum));
        Assert.Equal((updated.SavedAt, updated.UsageVersion), (after.SavedAt, after.UsageVersion));
    }

    /// <summary>
    /// The day is part of the key, so the first request of a new day would compute everything again: the job run before
    /// midnight writes each of today's periods moved one day on, and that first request starts from it.
    /// </summary>
    [Fact]
    public async Task WarmJob_WritesTomorrowsPeriods_AndTheNewDaysFirstRequestStartsFromThem()
    {
        await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        // Adatum's period in use (also the default one) and the default's previous period; Litware's two default periods.
        Assert.Equal(4, await _app.RunJobAsync<WarmPortfolioSnapshotsJob, int>(j => j.RunAsync(default)));
        var tomorrow = await SnapshotAsync(_adatum, From.AddDays(1), AsOf.AddDays(1));
        await PullAsync(SandboxDirectory.FabrikamTenantId);
        using var computations = new PortfolioComputations();

        _clock.SetUtcNow(new DateTimeOffset(AsOf.AddDays(1).ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero));
        var next = await AssertUpToDateAsync(_app, _adatum, From.AddDays(1), AsOf.AddDays(1));

        Assert.Equal(2, next.Customers.Count);
        Assert.Equal(1, computations.FromSnapshots);
        Assert.Equal(1, computations.TenantsRecomputed);
        Assert.True(tomorrow.UsageVersion < await UsageVersionAsync(_adatum));
        // The updated state's snapshot, due (the job wrote the one it came from the evening before), is written in the
        // background: done before the clock moves on, as it would be long before the next day in a host.
        await _app.Services.GetRequiredService<PortfolioSnapshotWrites>().WrittenAsync(new PartnerDataCache.Key(_adatum, From.AddDays(1), AsOf.AddDays(1)));

        // Two days on, nobody having used the first day's period since: it is dropped when the next snapshot is written;
        // the period used yesterday stays, and so does the previous period the job wrote for yesterday.
        _clock.SetUtcNow(new DateTimeOffset(AsOf.AddDays(2).ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero));
        await AssertUpToDateAsync(_app, _adatum, From.AddDays(2), AsOf.AddDays(2));
        await using var scope = _app.Scope();
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(_adatum);
        Assert.Equal([From, AsOf.AddDays(1), AsOf.AddDays(2)],
            (await DporWebFactory.Db(scope).Set<PortfolioSnapshot>().Select(s => s.AsOf).ToListAsync()).Order());
    }

    /// <summary>
    /// A partner's very first view, or its first after a quiet day, would read every customer's facts: the job also writes
    /// the default dashboard's two periods of every partner that has a verified customer, asked for or not (Litware asked
    /// for nothing here), and that first view starts from them.
    /// </summary>
    [Fact]
    public async Task WarmJob_WritesTheDefaultDashboardOfAPartnerWhoAskedForNothing_AndItsFirstViewStartsFromIt()
    {
        var tomorrow = AsOf.AddDays(1);
        var (from, to) = (tomorrow.AddDays(-27), tomorrow); // the last 28 days
        var (previousFrom, previousTo) = (from.AddDays(-28), from.AddDays(-1)); // the 28 before
        await _app.RunJobAsync<WarmPortfolioSnapshotsJob, int>(j => j.RunAsync(default));
        await using (var scope = _app.Scope())
        {
            scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(_litware);
            var written = await DporWebFactory.Db(scope).Set<PortfolioSnapshot>().Select(s => new { s.From, s.AsOf }).ToListAsync();
            Assert.Equal([(previousFrom, previousTo), (from, to)], written.Select(s => (s.From, s.AsOf)).Order());
        }
        using var computations = new PortfolioComputations();

        _clock.SetUtcNow(new DateTimeOffset(tomorrow.ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero));
        await AssertUpToDateAsync(_app, _litware, from, to);
        await AssertUpToDateAsync(_app, _litware, previousFrom, previousTo);

        Assert.Equal(2, computations.FromSnapshots);
        Assert.Equal(2, computations.Count);
    }

    /// <summary>
    /// The periods in use are visited shortest first, the newest first among equals: a host loading them as it starts has
    /// the default 28 days before a 6-month snapshot takes the cores, whatever order they were asked for in.
    /// </summary>
    [Fact]
    public async Task PeriodsInUse_AreVisitedShortestFirst()
    {
        var sixMonths = (From: AsOf.AddMonths(-6).AddDays(1), AsOf);
        var month = (From: new DateOnly(AsOf.Year, AsOf.Month, 1).AddMonths(-1), AsOf: new DateOnly(AsOf.Year, AsOf.Month, 1).AddDays(-1));
        await AssertUpToDateAsync(_app, _adatum, sixMonths.From, sixMonths.AsOf);
        await AssertUpToDateAsync(_app, _adatum, month.From, month.AsOf);
        await AssertUpToDateAsync(_app, _adatum, From, AsOf);
        var visited = new List<(DateOnly, DateOnly)>();

        await PortfolioSnapshot.ForEachPeriodInUseAsync(_app.Services.GetRequiredService<IServiceScopeFactory>(), AsOf, (_, periods) =>
        {
            visited.AddRange(periods);
            return Task.FromResult(true);
        }, default);

        Assert.Equal([(From, AsOf), month, sixMonths], visited);
    }

    /// <summary>The portfolio through the host's cache and the same computed from scratch (cache and snapshots untouched): equal in every figure.</summary>
    private static async Task<PartnerPortfolio> AssertUpToDateAsync(DporWebFactory host, Guid partnerId, DateOnly from, DateOnly asOf)
    {
        await using var scope = host.Scope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<PartnerScope>().Set(partnerId);
        var kept = await services.GetRequiredService<PartnerPortfolios>().GetAsync(from, asOf, default);
        var scratch = await PartnerPortfolio.LoadAsync(services.GetRequiredService<PartnerUsageQuery>(), from, asOf, withTrend: true, default);
        Assert.Equal(Json(scratch), Json(kept));
        return kept;
    }

    /// <summary>
    /// Another host on the same database: nothing in memory, as after a restart. Without loading today's portfolios at
    /// start unless asked, so that the tests of the request's own path see the request do it.
    /// </summary>
    private DporWebFactory SecondHost(bool warmAtStart = false) => new(sandbox, new Dictionary<string, string?>
    {
        ["DemoData:Enabled"] = "true",
        ["Database:Provider"] = _app.Database.Provider,
        ["Database:ConnectionString"] = _app.Database.ConnectionString,
        ["PortfolioCache:WarmAtStart"] = warmAtStart ? "true" : "false",
    }) { Clock = _clock };

    private async Task<PortfolioSnapshot> SnapshotAsync(Guid partnerId, DateOnly from, DateOnly asOf)
    {
        await using var scope = _app.Scope();
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(partnerId);
        return await DporWebFactory.Db(scope).Set<PortfolioSnapshot>().AsNoTracking().SingleAsync(s => s.From == from && s.AsOf == asOf);
    }

    private async Task<long> UsageVersionAsync(Guid partnerId)
    {
        await using var scope = _app.Scope();
        return await DporWebFactory.Db(scope).Partners.Where(p => p.Id == partnerId).Select(p => p.UsageVersion).SingleAsync();
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private Task PullAsync(Guid tenantId) => _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(tenantId, default));
}
