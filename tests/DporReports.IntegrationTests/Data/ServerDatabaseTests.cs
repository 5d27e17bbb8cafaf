using System.Net;
using System.Net.Http.Json;
using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Notifications;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenancy;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DporReports.IntegrationTests.Data;

/// <summary>
/// What a server database does differently from SQLite, checked on the real server of the run (PostgreSQL in CI, SQL
/// Server when one is configured): row locks instead of one database-wide writer, its own error codes, real date and
/// time types, case-sensitive text, and Hangfire's storage beside the product's tables. Skipped on SQLite.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ServerDatabaseTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public Task InitializeAsync() => TestDatabase.RunProvider == DatabaseProviders.Sqlite ? Task.CompletedTask : _app.ConnectedTenantAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Two units of work change one subscription's partner of record from the same version: the token lets one through.</summary>
    [ServerDatabaseFact]
    public async Task ConcurrencyToken_TwoWritersFromTheSameVersion_ExactlyOneSaves()
    {
        await using var first = _app.Scope();
        await using var second = _app.Scope();
        var subscriptionId = await DporWebFactory.Db(first).Subscriptions.Where(s => s.TenantId == Contoso).Select(s => s.Id).FirstAsync();
        var a = await DporWebFactory.Db(first).Subscriptions.SingleAsync(s => s.Id == subscriptionId);
        var b = await DporWebFactory.Db(second).Subscriptions.SingleAsync(s => s.Id == subscriptionId);
        a.PartnerOfRecordChanged();
        b.PartnerOfRecordChanged();

        var saves = await Task.WhenAll(SaveAsync(DporWebFactory.Db(first)), SaveAsync(DporWebFactory.Db(second)));

        Assert.Equal([false, true], saves.Select(s => s is null).Order());
        Assert.IsType<DbUpdateConcurrencyException>(saves.Single(s => s is not null));
        Assert.True(saves.Single(s => s is not null)!.IsConflict());
    }

    /// <summary>
    /// Admins racing on one subscription round after round, each naming a partner other than the current one (naming the
    /// current one is a no-op by design): every round one wins, the other gets 409, and nothing doubles.
    /// </summary>
    [ServerDatabaseFact]
    public async Task Assign_AdminsRaceRoundAfterRound_OneWinsEachRoundTheOtherGets409()
    {
        var given = new Given(_app);
        var partners = new Dictionary<string, string> { ["Adatum Consulting"] = DemoData.AdatumMpnId };
        foreach (var name in new[] { "Race Partner One", "Race Partner Two" })
            partners[name] = (await given.ApprovedPartnerAsync(name)).MpnIds[0];
        using var first = await _app.ApiClientAsync("contoso-admin");
        using var second = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await first.ActiveSubscriptionIdsAsync())[0];
        const int rounds = 4;

        for (var round = 0; round < rounds; round++)
        {
            var current = await first.SubscriptionAsync(subscription);
            var version = current.GetProperty("version").GetGuid();
            var contenders = partners.Where(p => p.Key != current.PartnerName()).Select(p => p.Value).Take(2).ToArray();
            var responses = await Task.WhenAll(first.AssignAsync(subscription, contenders[0], version), second.AssignAsync(subscription, contenders[1], version));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            Assert.Equal("changed_meanwhile", await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).CodeAsync());
        }

        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        Assert.Single(await CustomerAssignments.CurrentOfTenant(db, Contoso).Where(a => a.SubscriptionId == subscription).ToListAsync());
        Assert.Equal(rounds, (await first.HistoryAsync()).Length); // assigned once, then changed once per later round
    }

    /// <summary>The one-current-assignment index is a real filtered unique index on the server, and its refusal is recognised.</summary>
    [ServerDatabaseFact]
    public async Task UniqueIndex_SecondCurrentAssignment_IsRefusedAndRecognisedAsAUniqueViolation()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var adatum = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId);
        db.Assignments.Add(Assignment.Start(Contoso, subscription, adatum.Id, DemoData.AdatumMpnId, Core.Identity.Actor.System, qualified: true,
            TimeProvider.System.GetUtcNow()));

        var error = await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(error.IsUniqueViolation(), error.InnerException?.Message);
    }

    /// <summary>Two organisations register the same Partner ID at the same moment: the key decides, the loser gets 409.</summary>
    [ServerDatabaseFact]
    public async Task Register_TwoOrganisationsClaimOnePartnerIdAtOnce_OneIsCreatedTheOtherGets409()
    {
        var given = new Given(_app);
        var mpnId = Given.NewMpnId();
        var (one, _) = await given.NewTenantUserAsync("Partner.Admin", "One Admin");
        var (two, _) = await given.NewTenantUserAsync("Partner.Admin", "Two Admin");

        var responses = await Task.WhenAll(
            one.PostAsJsonAsync("/api/partner/registration", new { displayName = "One", notificationEmail = "dpor@one.example", partnerIds = new[] { mpnId } }),
            two.PostAsJsonAsync("/api/partner/registration", new { displayName = "Two", notificationEmail = "dpor@two.example", partnerIds = new[] { mpnId } }));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Equal("partner_id_taken", await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).CodeAsync());
        await using var scope = _app.Scope();
        Assert.Equal(1, await DporWebFactory.Db(scope).PartnerMpnIds.CountAsync(m => m.Value == mpnId));
        one.Dispose();
        two.Dispose();
    }

    /// <summary>
    /// A retried pull beside a slow original (Hangfire's own lock bypassed, as when two workers' storages disagree): both
    /// finish, every report succeeds, and the facts are exactly those of one pull.
    /// </summary>
    [ServerDatabaseFact]
    public async Task Pull_TwoConcurrentPullsOfOneTenant_BothSucceedAndLeaveOneSetOfFacts()
    {
        await VerifyAdatumAsync();

        await Task.WhenAll(PullAsync(), PullAsync());
        var afterRace = await _app.UsageFactsAsync();
        await PullAsync();

        Assert.NotEmpty(afterRace);
        Assert.Equal(afterRace, await _app.UsageFactsAsync());
        Assert.Equal(afterRace.Count, afterRace.Select(f => (f.Item1, f.Item2, f.Item3)).Distinct().Count());
        await using var scope = _app.Scope();
        var runs = await DporWebFactory.Db(scope).Set<IngestionRun>().Where(r => r.TenantId == Contoso).ToListAsync();
        // Each pull's daily reports, then the detail of the dates its backfill found room for (run records of their own).
        Assert.Equal(3 * UsageIngestion.DailyReports.Count, runs.Count(r => r.Report != UsageReports.ActiveUserDetailOfDate));
        Assert.All(runs, r => Assert.True(r.Outcome == IngestionOutcome.Succeeded, $"{r.Report}: {r.Outcome} {r.Error}"));
    }

    /// <summary>
    /// Text comparison is case-sensitive on PostgreSQL (and may be on SQL Server): the partner's customer search still
    /// matches names in any case, because it compares with an ordinal case-insensitive rule, not the database's collation.
    /// </summary>
    [ServerDatabaseFact]
    public async Task CustomerSearch_QueryInAnotherCase_StillFindsTheCustomer()
    {
        await VerifyAdatumAsync();
        using var adatum = await _app.SignInAsync("adatum-admin");
        var customerLink = $"/partner/usage/customers/{Contoso}";

        var lower = await adatum.GetStringAsync("/partner/usage?q=contoso");
        var mixed = await adatum.GetStringAsync("/partner/usage?q=cOnToSo");
        var other = await adatum.GetStringAsync("/partner/usage?q=fabrikam");

        Assert.Contains(customerLink, lower, StringComparison.Ordinal);
        Assert.Contains(customerLink, mixed, StringComparison.Ordinal);
        Assert.DoesNotContain(customerLink, other, StringComparison.Ordinal);
    }

    /// <summary>
    /// Dates stay the calendar day they were (no shift through a time zone), instants stay the same instant whatever
    /// offset they were written with, and the database orders instants, not local clock readings.
    /// </summary>
    [ServerDatabaseFact]
    public async Task DatesAndInstants_WrittenWithOffsets_RoundTripAndOrderByInstant()
    {
        var leapDay = new DateOnly(2024, 2, 29);
        // Local readings in the opposite order of the instants: 23:30 at -05:00 is after 09:00 at +14:00 and 02:00 UTC.
        var instants = new[]
        {
            new DateTimeOffset(2024, 2, 29, 9, 0, 0, TimeSpan.FromHours(14)),  // 2024-02-28 19:00 UTC
            new DateTimeOffset(2024, 2, 29, 2, 0, 0, TimeSpan.Zero),           // 2024-02-29 02:00 UTC
            new DateTimeOffset(2024, 2, 29, 23, 30, 0, TimeSpan.FromHours(-5)), // 2024-03-01 04:30 UTC
        };
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            foreach (var (at, i) in instants.Select((at, i) => (at, i)))
            {
                var run = IngestionRun.Start(Contoso, $"round-trip-{i}", at);
                run.Succeed(leapDay.AddDays(i), rows: i, namesConcealed: null, at.AddMinutes(1));
                db.Add(run);
            }
            await db.SaveChangesAsync();
        }

        await using (var scope = _app.Scope())
            await AssertRoundTripAsync(DporWebFactory.Db(scope), instants, leapDay);
        if (TestDatabase.RunProvider == DatabaseProviders.PostgreSql)
        {
            // A session at UTC+14: a value that depended on the session's time zone would read differently here.
            var kiritimati = new NpgsqlConnectionStringBuilder(_app.Database.ConnectionString) { Timezone = "Pacific/Kiritimati" }.ConnectionString;
            await using var far = new PostgreSqlDporDbContext(
                new DbContextOptionsBuilder<PostgreSqlDporDbContext>().UseNpgsql(kiritimati).Options, new PartnerScope());
            await AssertRoundTripAsync(far, instants, leapDay);
        }
    }

    private static async Task AssertRoundTripAsync(DporDbContext db, DateTimeOffset[] instants, DateOnly leapDay)
    {
        var runs = await db.Set<IngestionRun>().Where(r => r.Report.StartsWith("round-trip-")).OrderBy(r => r.StartedAt).ToListAsync();
        Assert.Equal(["round-trip-0", "round-trip-1", "round-trip-2"], runs.Select(r => r.Report));
        Assert.Equal(instants.Select(i => i.UtcTicks), runs.Select(r => r.StartedAt.UtcTicks));
        Assert.Equal([leapDay, leapDay.AddDays(1), leapDay.AddDays(2)], runs.Select(r => r.RefreshDate!.Value));
        var sinceMarch = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal("round-trip-2", (await db.Set<IngestionRun>().SingleAsync(r => r.Report.StartsWith("round-trip-") && r.StartedAt >= sinceMarch)).Report);
        Assert.Equal("round-trip-0", (await db.Set<IngestionRun>().SingleAsync(r => r.RefreshDate == leapDay)).Report);
    }

    /// <summary>A large table read in pages by its key: every row exactly once, in the database's order, and streamed whole.</summary>
    [ServerDatabaseFact]
    public async Task LargeRead_PagedByKey_ReturnsEveryRowOnceInOrder()
    {
        const int days = 400, metrics = 10;
        var start = new DateOnly(2023, 1, 1);
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var workload in Enum.GetValues<Workload>())
                for (var m = 0; m < metrics; m++)
                    db.AddRange(Enumerable.Range(0, days).Select(d =>
                        TenantDailyUsageFact.Of(Contoso, new DailyWorkloadValue(start.AddDays(d), workload, $"Metric{m:00}", d * 10 + m))));
            await db.SaveChangesAsync();
        }
        var expected = Enum.GetValues<Workload>().Length * metrics * days;
        const int pageSize = 1000;

        await using var read = _app.Scope();
        var facts = DporWebFactory.Db(read).Set<TenantDailyUsageFact>().AsNoTracking().Where(f => f.TenantId == Contoso)
            .OrderBy(f => f.Workload).ThenBy(f => f.Metric).ThenBy(f => f.Date);
        var paged = new List<(Workload, string, DateOnly, long)>();
        for (var page = 0; ; page++)
        {
            var rows = await facts.Skip(page * pageSize).Take(pageSize).Select(f => new { f.Workload, f.Metric, f.Date, f.Value }).ToListAsync();
            paged.AddRange(rows.Select(r => (r.Workload, r.Metric, r.Date, r.Value)));
            if (rows.Count < pageSize) break;
        }
        var streamed = new List<(Workload, string, DateOnly, long)>();
        await foreach (var f in facts.AsAsyncEnumerable()) streamed.Add((f.Workload, f.Metric, f.Date, f.Value));

        Assert.Equal(expected, paged.Count);
        Assert.Equal(expected, paged.Distinct().Count());
        Assert.Equal(streamed, paged);
        Assert.Equal(Enumerable.Range(0, days).Select(d => start.AddDays(d)), paged.Take(days).Select(p => p.Item3));
    }

    /// <summary>Hangfire on the run's server: its schema 'hangfire' is installed beside the product's tables and jobs run through it.</summary>
    [ServerDatabaseFact]
    public async Task HangfireStorage_OnTheServer_InstallsItsSchemaAndRunsJobs()
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["Hangfire:Storage"] = TestDatabase.RunProvider,
            ["Hangfire:Server:Enabled"] = "true",
        });
        using var client = app.CreateClient();
        var ready = await client.GetStringAsync("/health/ready");
        Assert.Contains("\"hangfire-storage\":{\"status\":\"Healthy\"", ready, StringComparison.Ordinal);
        await using var scope = app.Scope();
        var db = DporWebFactory.Db(scope);
        Assert.Equal(1, await db.Database.SqlQueryRaw<int>(
            "SELECT COUNT(*) AS \"Value\" FROM information_schema.schemata WHERE schema_name = 'hangfire'").SingleAsync());

        var id = scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>().Enqueue<SendNotificationsJob>(j => j.RunAsync(CancellationToken.None));

        var monitoring = scope.ServiceProvider.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        string? state = null;
        while (TimeProvider.System.GetUtcNow() < deadline && (state = monitoring.JobDetails(id)?.History.FirstOrDefault()?.StateName) != "Succeeded")
            await Task.Delay(200);
        Assert.Equal("Succeeded", state);
    }

    /// <summary>
    /// With schema preparation off (Production's default) the host creates no Hangfire tables, and on a database without
    /// them it stops at once saying what to install, rather than timing out on a lock table that is not there.
    /// </summary>
    [ServerDatabaseFact]
    public async Task HangfireStorage_SchemaPreparationOffAndNoSchema_RefusesToStartAndCreatesNothing()
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["Hangfire:Storage"] = TestDatabase.RunProvider,
            ["Hangfire:PrepareSchema"] = "false",
        });

        var error = Assert.ThrowsAny<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("Hangfire:PrepareSchema is off", error.Message, StringComparison.Ordinal);
        Assert.Contains("no 'hangfire' schema", error.Message, StringComparison.Ordinal);
        var connectionString = app.Database.ConnectionString;
        await using var db = TestDatabase.RunProvider == DatabaseProviders.PostgreSql
            ? (DporDbContext)new PostgreSqlDporDbContext(new DbContextOptionsBuilder<PostgreSqlDporDbContext>().UseNpgsql(connectionString).Options, new PartnerScope())
            : new SqlServerDporDbContext(new DbContextOptionsBuilder<SqlServerDporDbContext>().UseSqlServer(connectionString).Options, new PartnerScope());
        Assert.Equal(0, await db.Database.SqlQueryRaw<int>(
            "SELECT COUNT(*) AS \"Value\" FROM information_schema.schemata WHERE schema_name = 'hangfire'").SingleAsync());
    }

    private async Task VerifyAdatumAsync()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        (await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = DemoData.AdatumMpnId })).EnsureSuccessStatusCode();
        await _app.RunJobAsync<VerifyAssignmentJob>(j => j.RunAsync(Contoso, default));
    }

    private Task PullAsync() => _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(Contoso, default));

    private static async Task<DbUpdateException?> SaveAsync(DporDbContext db)
    {
        try
        {
            await db.SaveChangesAsync();
            return null;
        }
        catch (DbUpdateException e)
        {
            return e;
        }
    }
}
