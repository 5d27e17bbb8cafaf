using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Adoption;
using DporReports.Core.Assignments;
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
/// Issue 13: a kept portfolio is brought up to date by reading again only the customers whose facts or windows changed.
/// After each change — a real pull through the sandbox's Graph, each kind of assignment change through the product's own
/// API and jobs — the updated portfolio must equal one computed from scratch (<see cref="PartnerPortfolio.LoadAsync(PartnerUsageQuery, DateOnly, DateOnly, bool, CancellationToken)"/>,
/// which neither reads nor writes the cache): every customer's and subscription's figures, the totals and the trend.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PortfolioUpdateTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private static readonly DateOnly AsOf = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
    private static readonly DateOnly From = AsOf.AddDays(-27);
    // Windows verified ten days ago, so the sandbox's facts (refresh date two days back, and the days before it) are visible.
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow().AddDays(-10));
    private DporWebFactory _app = null!;
    private Guid _adatum;
    private Guid[] _contoso = [];

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" }) { Clock = _clock };
        await _app.ConnectedTenantAsync();
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        _contoso = await admin.ActiveSubscriptionIdsAsync();
        await using var scope = _app.Scope();
        _adatum = await DporWebFactory.Db(scope).Partners.Where(p => p.TenantId == SandboxDirectory.AdatumTenantId).Select(p => p.Id).SingleAsync();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Pull_OfOneCustomer_ReadsOnlyThatCustomerAgain_AndEqualsThePortfolioFromScratch()
    {
        await _app.AssignAndVerifyAsync(_contoso[0], DemoData.AdatumMpnId);
        await _app.AssignAndVerifyAsync(_contoso[1], DemoData.AdatumMpnId);
        await _app.CustomerOfAsync("fabrikam-admin", DemoData.AdatumMpnId);
        await _app.CustomerOfAsync("northwind-admin", DemoData.AdatumMpnId);
        Today();
        await PullAsync(SandboxDirectory.FabrikamTenantId);
        await PullAsync(SandboxDirectory.NorthwindTenantId);
        using var computations = new PortfolioComputations();

        var before = await AssertUpToDateAsync();
        await PullAsync(Contoso);
        var after = await AssertUpToDateAsync();

        Assert.Equal(3, before.Customers.Count);
        Assert.Null(before.Customers.Single(c => c.TenantId == Contoso).AsOf); // no facts before its first pull
        Assert.NotNull(after.Customers.Single(c => c.TenantId == Contoso).AsOf);
        Assert.NotEqual(Json(before.Trend), Json(after.Trend));
        Assert.Equal(2, computations.Count);
        Assert.Equal(1, computations.Updates);
        Assert.Equal(1, computations.TenantsRecomputed); // the pull's many reports and days: one tenant
        // The other customers' rows are the kept ones, not read again.
        Assert.Same(before.Customers.Single(c => c.TenantId == SandboxDirectory.FabrikamTenantId),
            after.Customers.Single(c => c.TenantId == SandboxDirectory.FabrikamTenantId));
    }

    [Fact]
    public async Task Assignments_MadeVerifiedChangedSuspendedRemoved_EachUpdateEqualsThePortfolioFromScratch()
    {
        await _app.AssignAndVerifyAsync(_contoso[0], DemoData.AdatumMpnId);
        await _app.CustomerOfAsync("fabrikam-admin", DemoData.AdatumMpnId);
        Today();
        await PullAsync(Contoso);
        await PullAsync(SandboxDirectory.FabrikamTenantId);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        using var computations = new PortfolioComputations();
        var first = await AssertUpToDateAsync();
        Assert.NotNull(first.Customers.Single(c => c.TenantId == Contoso).AsOf);
        Assert.Equal([_contoso[0]], first.Customers.Single(c => c.TenantId == Contoso).Subscriptions.Select(s => s.SubscriptionId));

        // Made (pending verification: nothing visible yet, but the ledger moved).
        (await admin.AssignAsync(_contoso[1], DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        await AssertUpToDateAsync();
        // Verified: the second subscription is the partner's from today.
        await _app.RunJobAsync<VerifyAssignmentJob>(j => j.RunAsync(Contoso, default));
        var verified = await AssertUpToDateAsync();
        Assert.Equal(2, verified.Customers.Single(c => c.TenantId == Contoso).SubscriptionCount);
        // Changed to another partner: gone from this partner's portfolio at once.
        (await admin.AssignAsync(_contoso[1], DemoData.LitwareMpnId)).EnsureSuccessStatusCode();
        var changed = await AssertUpToDateAsync();
        Assert.Equal(1, changed.Customers.Single(c => c.TenantId == Contoso).SubscriptionCount);
        // Seats bought: the inventory sync's new licence count shows in the kept portfolio too (not only after a pull).
        await sandbox.Api.PatchAsJsonAsync($"_sandbox/graph/tenants/{Contoso}/subscriptions/{_contoso[0]}", new { totalLicenses = 777 });
        await _app.SyncInventoryAsync(Contoso);
        var bought = await AssertUpToDateAsync();
        Assert.Equal(777, bought.Customers.Single(c => c.TenantId == Contoso).Subscriptions.Single(s => s.SubscriptionId == _contoso[0]).Details!.TotalLicenses);
        // Suspended by the inventory sync.
        await sandbox.SetSubscriptionStatusAsync(Contoso, _contoso[0], "Suspended");
        await _app.SyncInventoryAsync(Contoso);
        await AssertUpToDateAsync();
        // Removed: the customer has no window left on the day.
        (await admin.RemoveAsync(_contoso[0])).EnsureSuccessStatusCode();
        var removed = await AssertUpToDateAsync();
        Assert.DoesNotContain(removed.Customers, c => c.TenantId == Contoso);
        Assert.Same(first.Customers.Single(c => c.TenantId == SandboxDirectory.FabrikamTenantId),
            removed.Customers.Single(c => c.TenantId == SandboxDirectory.FabrikamTenantId));

        Assert.Equal(7, computations.Count);
        Assert.Equal(6, computations.Updates);
    }

    /// <summary>
    /// Pulls of tenants the partner never held a window in leave its kept portfolio as it is: with thousands of pulls a day
    /// across all tenants, anything broader would recompute a large partner's portfolio every few seconds.
    /// </summary>
    [Fact]
    public async Task Pull_OfATenantThatIsAnotherPartnersCustomer_ComputesNothing()
    {
        await _app.AssignAndVerifyAsync(_contoso[0], DemoData.AdatumMpnId);
        await _app.CustomerOfAsync("woodgrove-admin", DemoData.LitwareMpnId);
        Today();
        await PullAsync(Contoso);
        using var computations = new PortfolioComputations();

        var before = await AssertUpToDateAsync();
        await PullAsync(SandboxDirectory.WoodgroveTenantId);
        var after = await AssertUpToDateAsync();

        Assert.Same(before, after);
        Assert.NotNull(Assert.Single(after.Customers).AsOf);
        Assert.Equal(1, computations.Count);
        Assert.Equal(0, computations.TenantsRecomputed);
    }

    /// <summary>
    /// The kept portfolio through the partner's cache (what the dashboard and the API read) and the same portfolio computed
    /// from scratch in the same scope; they must be equal in every figure.
    /// </summary>
    private async Task<PartnerPortfolio> AssertUpToDateAsync()
    {
        await using var scope = _app.Scope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<PartnerScope>().Set(_adatum);
        var kept = await services.GetRequiredService<PartnerPortfolios>().GetAsync(From, AsOf, default);
        var scratch = await PartnerPortfolio.LoadAsync(services.GetRequiredService<PartnerUsageQuery>(), From, AsOf, withTrend: true, default);
        Assert.Equal(Json(scratch), Json(kept));
        // Each customer's small trend: from the kept parts (no database read) as from the facts through the windows.
        var usage = services.GetRequiredService<PartnerUsageQuery>();
        var tenants = kept.Customers.Select(c => c.TenantId).ToList();
        Assert.NotNull(kept.TenantTrends);
        Assert.Equal(Json((await PartnerDashboard.CustomerTrendsAsync(usage, scratch, tenants, From, AsOf, default)).OrderBy(t => t.Key)),
            Json((await PartnerDashboard.CustomerTrendsAsync(usage, kept, tenants, From, AsOf, default)).OrderBy(t => t.Key)));
        // The adoption signals are kept beside the portfolio under the same version and updated the same way.
        var adoption = services.GetRequiredService<AdoptionQuery>();
        var keptSignals = await adoption.PartnerSignalsAsync(AsOf, default);
        var scratchSignals = await adoption.ComputePartnerSignalsAsync(AsOf, default);
        Assert.Equal(Json(scratchSignals.OrderBy(s => s.SubscriptionId)), Json(keptSignals.OrderBy(s => s.SubscriptionId)));
        return kept;
    }

    private void Today() => _clock.SetUtcNow(TimeProvider.System.GetUtcNow());

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private Task PullAsync(Guid tenantId) => _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(tenantId, default));
}
