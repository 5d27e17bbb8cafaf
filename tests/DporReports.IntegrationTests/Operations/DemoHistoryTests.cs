using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Core.Reports;
using DporReports.Core.Tenancy;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Operations;

/// <summary>
/// The demo partner's history (the embedded default's demo data): seeded once through the product's own services with the
/// clock set back, a second run changes nothing, and the seeded windows keep design.md §2 "What a partner may see" —
/// facts exist on every day, yet only the days inside Adatum's verified windows come back.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DemoHistoryTests(DemoHistoryTests.SeededHost host) : IClassFixture<DemoHistoryTests.SeededHost>
{
    private static readonly Guid Fabrikam = SandboxDirectory.FabrikamTenantId;
    private static readonly Guid Northwind = SandboxDirectory.NorthwindTenantId;
    private DateOnly Today => host.Today;

    [Fact]
    public void FirstStart_SeedsEveryCustomerThroughTheProductsPaths()
    {
        var run = host.FirstRun;

        Assert.Equal(4, run.TenantsConnected);
        Assert.Equal(4, run.AssignmentStories);
        Assert.Equal(4, run.Pulls); // the newest day through the real pull job, over HTTP from the sandbox's Graph
        Assert.Equal(24, run.CountFiles); // six count reports of 180 days per customer
        // One detail snapshot per day from two days before the first verification (the first pull's report) up to the day
        // before the newest (today - 3): Fabrikam from today - 153, Northwind from today - 122, Woodgrove from today - 46,
        // Wingtip from today - 36.
        Assert.Equal(151 + 120 + 44 + 34, run.DetailDays);
        // The detail of each date of the MAU window (28 days) that the pull job's own backfill left for later.
        var pulledByTheJob = ReportRequestBudget.RequestsPerWindow - ReportRequestBudget.ReservedForPulls - 1;
        Assert.Equal(4 * (ActiveUserDetailAggregator.MauWindowDays - pulledByTheJob), run.DailyActiveDays);
    }

    /// <summary>
    /// design.md §3: no figure for a day exceeds the month's for the same scope. For every demo customer, every workload
    /// and every day of the MAU window, the daily active users Adatum's API shows stay at or under its MAU; only split parts
    /// of pooled subscriptions may exceed by one each (largest-remainder rounding).
    /// </summary>
    [Fact]
    public async Task DailyActiveUsers_NeverExceedTheMonthsActiveUsers_OnEveryCustomerAndDay()
    {
        using var adatum = await host.App.ApiClientAsync("adatum-admin");
        var newest = Today.AddDays(-2);
        var checkedDays = 0;
        foreach (var tenant in new[] { Fabrikam, Northwind, SandboxDirectory.WoodgroveTenantId, SandboxDirectory.WingtipTenantId })
        {
            var from = newest.AddDays(-(ActiveUserDetailAggregator.MauWindowDays - 1));
            var usage = await adatum.GetFromJsonAsync<JsonElement>($"/api/partner/customers/{tenant}/usage?from={from:yyyy-MM-dd}&to={newest:yyyy-MM-dd}");
            var subscriptions = usage.GetProperty("customer").GetProperty("subscriptions").EnumerateArray().ToList();
            var pooled = subscriptions.GroupBy(s => s.GetProperty("productName").GetString()).Where(g => g.Count() > 1).Sum(g => g.Count());
            var mau = subscriptions.SelectMany(s => s.GetProperty("workloads").EnumerateArray())
                .GroupBy(w => w.GetProperty("workload").GetString()!)
                .ToDictionary(g => g.Key, g => g.Sum(w => w.GetProperty("activeUsers").GetInt32()));
            var daily = usage.GetProperty("dailyActiveUsers").EnumerateArray().ToList();
            Assert.NotEmpty(daily);
            foreach (var d in daily)
            {
                var workload = d.GetProperty("workload").GetString()!;
                Assert.True(d.GetProperty("users").GetInt64() <= mau.GetValueOrDefault(workload) + pooled,
                    $"{tenant} {d.GetProperty("date")} {workload}: {d.GetProperty("users")} daily > {mau.GetValueOrDefault(workload)} monthly");
                checkedDays++;
            }
        }
        Assert.True(checkedDays >= 4 * 28, $"{checkedDays} customer × workload × day figures checked");
    }

    [Fact]
    public async Task SeedAgain_ChangesNothing()
    {
        var before = await host.SnapshotAsync();

        var second = await host.SeedAgainAsync();

        Assert.True(second.ChangedNothing, second.ToString());
        var after = await host.SnapshotAsync();
        Assert.Equal(before.Tenants, after.Tenants);
        Assert.Equal(before.Subscriptions, after.Subscriptions);
        Assert.Equal(before.Assignments, after.Assignments);
        Assert.Equal(before.Events, after.Events);
        Assert.Equal(before.SubscriptionFacts, after.SubscriptionFacts);
        Assert.Equal(before.DailyFacts, after.DailyFacts);
        Assert.Equal(before.DailyActiveFacts, after.DailyActiveFacts);
        Assert.Equal(before.Counts, after.Counts);
    }

    [Fact]
    public async Task SeedAgain_AfterDaysWithoutTheHost_FillsInExactlyTheMissingDaysWithTheSameFacts()
    {
        var before = await host.SnapshotAsync();
        await using (var scope = host.App.Scope())
        {
            // As if the host had been stopped for the last three report days: no facts, no pulls.
            var db = DporWebFactory.Db(scope);
            var since = Today.AddDays(-4);
            await db.Set<SubscriptionUsageFact>().Where(f => f.Date >= since).ExecuteDeleteAsync();
            await db.Set<UnattributedUsageFact>().Where(f => f.Date >= since).ExecuteDeleteAsync();
            await db.Set<TenantDailyUsageFact>().Where(f => f.Date >= since).ExecuteDeleteAsync();
            await db.Set<IngestionRun>().ExecuteDeleteAsync();
        }

        var topUp = await host.SeedAgainAsync();

        // The newest day through the pull job (its daily counts cover the last 30 days), the two before it from the files;
        // the days of daily active users the job's backfill left (its budget) from the files of those dates.
        Assert.Equal(new DemoHistoryRun(0, 0, CountFiles: 0, DetailDays: 2 * 4, Pulls: 4), topUp with { DailyActiveDays = 0 });
        Assert.InRange(topUp.DailyActiveDays, 1, 4 * ActiveUserDetailAggregator.MauWindowDays);
        var after = await host.SnapshotAsync();
        Assert.Equal(before.SubscriptionFacts, after.SubscriptionFacts);
        Assert.Equal(before.DailyActiveFacts, after.DailyActiveFacts);
        Assert.Equal(before.DailyFacts, after.DailyFacts);
        Assert.Equal(before.Counts.Unattributed, after.Counts.Unattributed);
    }

    [Fact]
    public async Task SeedAgain_GraphUnavailable_RecordsTheFailedPullAndStillFillsInTheDaysFromTheFiles()
    {
        var before = await host.SnapshotAsync();
        var newest = Today.AddDays(-2);
        await using (var scope = host.App.Scope())
        {
            var db = DporWebFactory.Db(scope);
            await db.Set<SubscriptionUsageFact>().Where(f => f.Date == newest).ExecuteDeleteAsync();
            await db.Set<UnattributedUsageFact>().Where(f => f.Date == newest).ExecuteDeleteAsync();
            await db.Set<IngestionRun>().ExecuteDeleteAsync();
        }
        host.Sandbox.Graph.AddFault(new SandboxGraphFault(null, "reports", 503, null, null, Count: 1000));
        DemoHistoryRun run;
        try
        {
            run = await host.SeedAgainAsync();
        }
        finally
        {
            host.Sandbox.Graph.ClearFaults();
        }

        // Every customer's newest day, and every day of daily active users, from the files.
        Assert.Equal(new DemoHistoryRun(0, 0, CountFiles: 0, DetailDays: 4, Pulls: 0, DailyActiveDays: 4 * ActiveUserDetailAggregator.MauWindowDays), run);
        Assert.Equal(before.SubscriptionFacts, (await host.SnapshotAsync()).SubscriptionFacts);
        Assert.Equal(before.DailyActiveFacts, (await host.SnapshotAsync()).DailyActiveFacts);
        await using (var scope = host.App.Scope())
        {
            var runs = await DporWebFactory.Db(scope).Set<IngestionRun>().AsNoTracking().ToListAsync();
            Assert.NotEmpty(runs);
            Assert.All(runs.Where(r => r.Report != UsageReports.ActiveUserDetailOfDate), r => Assert.Equal(IngestionOutcome.Failed, r.Outcome));
        }
    }

    [Fact]
    public async Task SandboxFileOfADay_IngestedDirectly_GivesTheFactsThePullOverGraphStored()
    {
        var newest = Today.AddDays(-2);
        var before = await host.SnapshotAsync();
        Assert.Contains($" {newest} ", before.SubscriptionFacts, StringComparison.Ordinal); // stored by the pull job over HTTP

        await using (var scope = host.App.Scope())
        {
            var ingestion = scope.ServiceProvider.GetRequiredService<UsageIngestion>();
            foreach (var tenant in new[] { Fabrikam, Northwind })
            {
                using var file = new MemoryStream();
                await host.Sandbox.Graph.Reports.WriteCsvAsync(tenant, UsageReports.ActiveUserDetail, 30, newest, file);
                file.Position = 0;
                await ingestion.IngestFileAsync(tenant, UsageReports.ActiveUserDetail, file, default);
            }
        }

        Assert.Equal(before.SubscriptionFacts, (await host.SnapshotAsync()).SubscriptionFacts);
    }

    [Fact]
    public async Task Ledger_TellsTheStoryWithBackdatedEvents_AndLeavesContosoAndLitwareAsTheWalkThroughExpects()
    {
        await using var scope = host.App.Scope();
        var db = DporWebFactory.Db(scope);
        var events = await db.AssignmentEvents.AsNoTracking().Where(e => e.TenantId == Fabrikam || e.TenantId == Northwind).ToListAsync();
        string Story(Guid tenant) => string.Join(",", events.Where(e => e.TenantId == tenant).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => $"{e.Kind}@{DateOnly.FromDateTime(e.At.UtcDateTime).DayNumber - Today.DayNumber}"));

        Assert.Equal("Assigned@-151,Assigned@-151,Verified@-151,Verified@-151", Story(Fabrikam));
        Assert.Equal("Assigned@-120,Assigned@-120,Verified@-120,Verified@-120,Removed@-30", Story(Northwind));
        Assert.All(events.Where(e => e.Kind is AssignmentEventKind.Assigned or AssignmentEventKind.Removed),
            e => Assert.Contains(e.ActorName, new[] { "Fiona Admin", "Nadia Admin" }));
        Assert.All(events.Where(e => e.Kind == AssignmentEventKind.Verified), e => Assert.Equal(Actor.System.DisplayName, e.ActorName));
        // The partner was told, through the outbox, at the moment of each change: one mail per assignment step of Fabrikam,
        // Northwind (assigned, then removed), Woodgrove and Wingtip.
        Assert.Equal(6, await db.OutboxMessages.CountAsync(m => m.Kind == "assignment-assigned" || m.Kind == "assignment-removed"));

        Assert.False(await db.CustomerTenants.AnyAsync(t => t.Id == SandboxDirectory.ContosoTenantId));
        var spb = await db.Subscriptions.SingleAsync(s => s.TenantId == Fabrikam && s.SkuPartNumber == "SPB");
        Assert.False(await CustomerAssignments.OfTenant(db, Fabrikam).AnyAsync(a => a.SubscriptionId == spb.Id));
        Assert.Equal(PartnerStatus.Pending, (await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.LitwareTenantId)).Status);
    }

    [Fact]
    public async Task RemovedSubscription_ItsDaysFromRemovalOn_AreNotVisible_ThoughTheirFactsAreStored()
    {
        await using var scope = host.App.Scope();
        var db = DporWebFactory.Db(scope);
        var removed = await db.Subscriptions.SingleAsync(s => s.TenantId == Northwind && s.SkuPartNumber == "STANDARDWOFFPACK");
        var removal = Today.AddDays(-30);
        Assert.True(await db.Set<SubscriptionUsageFact>().AnyAsync(f => f.SubscriptionId == removed.Id && f.Date > removal),
            "facts after the removal exist, so only the window can hide them");
        var query = await SeededHost.AdatumQueryAsync(scope);

        var windows = await query.WindowsAsync(default);
        var window = Assert.Single(windows, w => w.SubscriptionId == removed.Id);
        var lastDay = Assert.Single(await query.CustomersAsync(windows, removal.AddDays(-1), Northwind, default));
        var afterwards = new List<Guid>();
        foreach (var day in new[] { removal, removal.AddDays(1), Today.AddDays(-2) })
            afterwards.AddRange((await query.CustomersAsync(windows, day, Northwind, default)).SelectMany(c => c.Subscriptions).Select(s => s.SubscriptionId));

        Assert.Equal((Today.AddDays(-120), removal), (window.From, window.Until!.Value));
        Assert.Equal(removal.AddDays(-1), lastDay.Subscriptions.Single(s => s.SubscriptionId == removed.Id).AsOf);
        Assert.DoesNotContain(removed.Id, afterwards);
        Assert.NotEmpty(afterwards); // Northwind's other subscription stays visible
    }

    [Fact]
    public async Task DaysBeforeVerification_AreNotVisible_ThoughTheirFactsAreStored()
    {
        await using var scope = host.App.Scope();
        var db = DporWebFactory.Db(scope);
        var verified = Today.AddDays(-151);
        Assert.True(await db.Set<SubscriptionUsageFact>().AnyAsync(f => f.TenantId == Fabrikam && f.Date < verified));
        Assert.True(await db.Set<TenantDailyUsageFact>().AnyAsync(f => f.TenantId == Fabrikam && f.Date < verified.AddDays(-20)));
        var query = await SeededHost.AdatumQueryAsync(scope);

        var windows = await query.WindowsAsync(default);
        var dayBefore = await query.CustomersAsync(windows, verified.AddDays(-1), Fabrikam, default);
        var onTheDay = Assert.Single(await query.CustomersAsync(windows, verified, Fabrikam, default));
        var newest = Today.AddDays(-2);
        var daily = (await query.DailyActiveUsersAsync(windows, [Fabrikam], verified.AddDays(-20), newest, default))[Fabrikam];

        Assert.Empty(dayBefore);
        // Facts of the two days before (the first pull's report) are stored, but the first visible day is verification day.
        Assert.All(onTheDay.Subscriptions, s => Assert.Equal(verified, s.AsOf));
        // Daily active users come from the detail of each date, which Graph keeps 30 days: the MAU window's days only.
        Assert.Equal(newest.AddDays(1 - ActiveUserDetailAggregator.MauWindowDays), daily.Min(d => d.Date));
        Assert.Equal(Today.AddDays(-2), (await query.CustomersAsync(windows, Today, Fabrikam, default)).Single().AsOf);
    }

    /// <summary>
    /// Woodgrove holds both SKUs Microsoft calls "Microsoft 365 Business Basic": its page shows the name in Microsoft's
    /// spelling and says that split parts of a shared product can differ by one; a customer without a shared product
    /// gets no such note.
    /// </summary>
    [Fact]
    public async Task CustomerPage_ProductSharedBySubscriptions_SaysSplitPartsCanDifferByOne()
    {
        using var adatum = await host.App.SignInAsync("adatum-admin");

        var woodgrove = await adatum.GetStringAsync($"/partner/usage/customers/{SandboxDirectory.WoodgroveTenantId}");
        var fabrikam = await adatum.GetStringAsync($"/partner/usage/customers/{Fabrikam}");

        Assert.Contains("Microsoft 365 Business Basic", woodgrove, StringComparison.Ordinal);
        Assert.DoesNotContain("MICROSOFT 365 BUSINESS BASIC", woodgrove, StringComparison.Ordinal);
        Assert.Contains("data-pooled-note", woodgrove, StringComparison.Ordinal);
        Assert.DoesNotContain("data-pooled-note", fabrikam, StringComparison.Ordinal);
    }

    /// <summary>A host with its own sandbox (consents granted here stay out of the shared one), seeded once for the class.</summary>
    public sealed class SeededHost : IAsyncLifetime
    {
        private readonly SandboxFixture _sandbox = new();

        public DemoFactory App { get; private set; } = null!;
        public SandboxServer Sandbox => _sandbox.Server;
        public DemoHistoryRun FirstRun { get; private set; } = null!;
        public DateOnly Today { get; } = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

        public async Task InitializeAsync()
        {
            await _sandbox.InitializeAsync();
            App = new DemoFactory(_sandbox);
            FirstRun = await App.Services.GetRequiredService<DemoData>().History.WaitAsync(TimeSpan.FromSeconds(300))
                ?? throw new InvalidOperationException("The demo history did not run; see the host's log.");
        }

        public async Task DisposeAsync()
        {
            App?.Dispose();
            await _sandbox.DisposeAsync();
        }

        public Task<DemoHistoryRun> SeedAgainAsync() =>
            ActivatorUtilities.CreateInstance<DemoHistory>(App.Services, Sandbox).SeedAsync(default);

        public static async Task<PartnerUsageQuery> AdatumQueryAsync(AsyncServiceScope scope)
        {
            var adatum = await DporWebFactory.Db(scope).Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId);
            scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(adatum.Id);
            return scope.ServiceProvider.GetRequiredService<PartnerUsageQuery>();
        }

        /// <summary>Everything the seeding writes, as comparable values (no generated row ids).</summary>
        public async Task<DatabaseSnapshot> SnapshotAsync()
        {
            await using var scope = App.Scope();
            var db = DporWebFactory.Db(scope);
            return new DatabaseSnapshot(
                string.Join("\n", (await db.CustomerTenants.AsNoTracking().ToListAsync())
                    .Select(t => $"{t.Id} {t.DisplayName} {t.ConsentStatus} {t.ConnectedAt:O} {t.LastInventorySyncAt:O}").Order()),
                string.Join("\n", (await db.Subscriptions.AsNoTracking().ToListAsync())
                    .Select(s => $"{s.Id} {s.Status} {s.TotalLicenses} {s.FirstSeenAt:O} {s.PartnerOfRecordVersion}").Order()),
                string.Join("\n", (await CustomerAssignments.OfTenant(db, Fabrikam).Concat(CustomerAssignments.OfTenant(db, Northwind)).AsNoTracking().ToListAsync())
                    .Select(a => $"{a.Id} {a.SubscriptionId} {a.State} {a.AssignedAt:O} {a.VerifiedAt:O} {a.EndedAt:O}").Order()),
                string.Join("\n", (await db.AssignmentEvents.AsNoTracking().ToListAsync()).Select(e => $"{e.Id} {e.Kind} {e.SubscriptionId} {e.At:O}")),
                string.Join("\n", (await db.Set<SubscriptionUsageFact>().AsNoTracking().ToListAsync())
                    .Select(f => $"{f.SubscriptionId} {f.Workload} {f.Date} {f.Seats} {f.LicensedUsers} {f.ActiveUsers}").Order()),
                string.Join("\n", (await db.Set<TenantDailyUsageFact>().AsNoTracking().ToListAsync())
                    .Select(f => $"{f.TenantId} {f.Workload} {f.Metric} {f.Date} {f.Value}").Order()),
                string.Join("\n", (await db.Set<SubscriptionDailyUsageFact>().AsNoTracking().ToListAsync())
                    .Select(f => $"{f.SubscriptionId} {f.Workload} {f.Date} {f.ActiveUsers}").Order()),
                (await db.Set<UnattributedUsageFact>().CountAsync(), await db.OutboxMessages.CountAsync(), await db.InventorySyncRuns.CountAsync(),
                    await db.Set<IngestionRun>().CountAsync(), await db.Partners.CountAsync()));
        }
    }

    public sealed record DatabaseSnapshot(string Tenants, string Subscriptions, string Assignments, string Events, string SubscriptionFacts,
        string DailyFacts, string DailyActiveFacts, (int Unattributed, int Outbox, int InventoryRuns, int IngestionRuns, int Partners) Counts);

    /// <summary>The test host with demo data on and the sandbox registered as in-process, as the embedded default has it.</summary>
    public sealed class DemoFactory(SandboxFixture sandbox) : DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(Sandbox.Server));
        }
    }
}
