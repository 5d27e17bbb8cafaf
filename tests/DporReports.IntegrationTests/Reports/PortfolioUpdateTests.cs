using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Adoption;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
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
    /// Every assignment change raises the usage version of the partners it names (before and after) and records the tenant
    /// at their new versions, in its own transaction: the data version then orders assignment changes by commit.
    /// </summary>
    [Fact]
    public async Task AssignmentChanges_RaiseTheNamedPartnersVersions_AndRecordTheTenantAtThem()
    {
        var litware = await PartnerIdAsync(SandboxDirectory.LitwareTenantId);
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var (adatum0, litware0) = (await VersionAsync(_adatum), await VersionAsync(litware));

        (await admin.AssignAsync(_contoso[1], DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        var (adatum1, litware1) = (await VersionAsync(_adatum), await VersionAsync(litware));
        (await admin.AssignAsync(_contoso[1], DemoData.LitwareMpnId)).EnsureSuccessStatusCode();
        var (adatum2, litware2) = (await VersionAsync(_adatum), await VersionAsync(litware));
        (await admin.RemoveAsync(_contoso[1])).EnsureSuccessStatusCode();
        var (adatum3, litware3) = (await VersionAsync(_adatum), await VersionAsync(litware));

        Assert.Equal((adatum0.Partner + 1, litware0.Partner), (adatum1.Partner, litware1.Partner)); // assigned to Adatum
        Assert.Equal(adatum1.Partner, adatum1.Tenant);
        Assert.Equal((adatum1.Partner + 1, litware1.Partner + 1), (adatum2.Partner, litware2.Partner)); // changed: both named
        Assert.Equal((adatum2.Partner, litware2.Partner), (adatum2.Tenant, litware2.Tenant));
        Assert.Equal((adatum2.Partner, litware2.Partner + 1), (adatum3.Partner, litware3.Partner)); // removed from Litware
        Assert.Equal(litware3.Partner, litware3.Tenant);
    }

    /// <summary>
    /// The race a newest-event-id version has on a server database: a removal takes a lower event id but commits after a
    /// higher one. Kept at the higher id, the portfolio would keep the removed customer. The removal now holds the partner's
    /// row until it commits, so the later change waits for it, and the kept portfolio follows both.
    /// </summary>
    [ServerDatabaseFact]
    public async Task Removal_CommittingAfterALaterChangeOfTheSamePartner_StillReachesTheKeptPortfolio()
    {
        await _app.AssignAndVerifyAsync(_contoso[0], DemoData.AdatumMpnId);
        await _app.CustomerOfAsync("fabrikam-admin", DemoData.AdatumMpnId);
        Today();
        await PullAsync(Contoso);
        Assert.Contains((await AssertUpToDateAsync()).Customers, c => c.TenantId == Contoso);

        // The removal: its event is written (and takes its id) in a transaction left open. A server database's retrying
        // strategy runs user transactions only inside it.
        await using var removal = _app.Scope();
        var db = DporWebFactory.Db(removal);
        using var fabrikam = await _app.ApiClientAsync("fabrikam-admin");
        var fabrikamSubscription = (await fabrikam.ActiveSubscriptionIdsAsync())[0];
        PartnerPortfolio during = null!;
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var current = await CustomerAssignments.CurrentOfTenant(db, Contoso).SingleAsync(a => a.SubscriptionId == _contoso[0]);
            current.End(AssignmentEndReason.Removed, TimeProvider.System.GetUtcNow());
            db.AssignmentEvents.Add(AssignmentEvent.Record(AssignmentEventKind.Removed, Contoso, _contoso[0], Actor.System, TimeProvider.System.GetUtcNow(),
                before: (current.Id, _adatum, "Adatum"), after: null));
            await TenantUsageChange.SaveAssignmentChangesAsync(db, Contoso, [_adatum], default);
            // A later change of the same partner, through the product: it waits for the removal's commit.
            var later = fabrikam.RemoveAsync(fabrikamSubscription);
            await Task.WhenAny(later, Task.Delay(TimeSpan.FromSeconds(2)));
            Assert.False(later.IsCompleted, "the later change committed before the open removal");
            during = await AssertUpToDateAsync();
            await transaction.CommitAsync();
            (await later).EnsureSuccessStatusCode();
        });
        var after = await AssertUpToDateAsync();

        Assert.Contains(during.Customers, c => c.TenantId == Contoso); // the removal was not committed yet
        Assert.DoesNotContain(after.Customers, c => c.TenantId == Contoso);
    }

    private async Task<Guid> PartnerIdAsync(Guid tenantId)
    {
        await using var scope = _app.Scope();
        return await DporWebFactory.Db(scope).Partners.Where(p => p.TenantId == tenantId).Select(p => p.Id).SingleAsync();
    }

    /// <summary>The partner's usage version, and the version Contoso is recorded at for it (0 when not recorded).</summary>
    private async Task<(long Partner, long Tenant)> VersionAsync(Guid partnerId)
    {
        await using var scope = _app.Scope();
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(partnerId);
        var db = DporWebFactory.Db(scope);
        return (await db.Partners.Where(p => p.Id == partnerId).Select(p => p.UsageVersion).SingleAsync(),
            await db.Set<TenantUsageChange>().Where(c => c.TenantId == Contoso).Select(c => c.UsageVersion).SingleOrDefaultAsync());
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
