using System.Diagnostics;
using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Graph;
using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Notifications;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.Sandbox;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DporReports.Web.Sandbox;

/// <summary>What one run of <see cref="DemoHistory.SeedAsync"/> added; all zero when everything was already there.</summary>
public sealed record DemoHistoryRun(int TenantsConnected, int AssignmentStories, int CountFiles, int DetailDays, int Pulls, int DailyActiveDays = 0)
{
    public bool ChangedNothing => TenantsConnected == 0 && AssignmentStories == 0 && CountFiles == 0 && DetailDays == 0 && Pulls == 0
        && DailyActiveDays == 0;
}

/// <summary>
/// The demo partner's past, so a newcomer signing in as <c>adatum-admin</c> sees a populated portfolio: Fabrikam and
/// Northwind connected months ago, Adatum their verified partner of record on some subscriptions (Northwind removed one a
/// month ago), and the usage facts of every day since. Everything goes through the product's own code — consent through
/// <see cref="TenantConnections"/>, inventory through <see cref="SyncTenantInventoryJob"/> against the sandbox's Graph,
/// assignments through <see cref="PartnerOfRecordService"/> and <see cref="AssignmentVerifier"/> with the clock set back to
/// each event, facts through <see cref="UsageIngestion"/> from the sandbox's report files of those earlier days (Graph's
/// API serves the per-user detail for the last 30 days only), and the newest day through the real
/// <see cref="PullTenantUsageJob"/>. Contoso is left alone: the README's walk-through starts from it unconnected.
/// Idempotent: each step runs only when its result is missing (a customer whose ledger has any event keeps its own
/// story), and the facts are topped up to the newest refresh date after a restart on a later day.
/// </summary>
public sealed class DemoHistory(IServiceProvider services, SandboxServer sandbox, TimeProvider clock, ILogger<DemoHistory> log)
{
    // Graph's usage reports run two days behind and keep 180 days (the sandbox serves them the same way).
    private const int ReportLagDays = 2;
    private const int ReportHistoryDays = 180;

    /// <summary>The demo customers, in days before today (UTC). Fabrikam's SPB stays without a partner.</summary>
    internal static readonly IReadOnlyList<CustomerStory> Stories =
    [
        new("fabrikam-admin", ConnectedDaysAgo: 152, AssignedDaysAgo: 151, Skus: ["Office_365_E3_(no_Teams)", "SPE_E3"]),
        // All unassigned subscriptions in one step (the deleted EMS E5 is skipped), one of them removed a month ago.
        new("northwind-admin", ConnectedDaysAgo: 121, AssignedDaysAgo: 120, Skus: null, RemovedSku: "STANDARDWOFFPACK", RemovedDaysAgo: 30),
        // Microsoft's SKU mix beyond the suites (shared names, a trial, AX7, a SKU the table does not know), and a school.
        new("woodgrove-admin", ConnectedDaysAgo: 45, AssignedDaysAgo: 44, Skus: null),
        new("wingtip-admin", ConnectedDaysAgo: 35, AssignedDaysAgo: 34, Skus: null),
    ];

    public async Task<DemoHistoryRun> SeedAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        int connected = 0, stories = 0, pulls = 0, countFiles = 0, detailDays = 0, dailyDays = 0;
        foreach (var story in Stories)
        {
            if (await EnsureConnectedAsync(story, today, ct)) connected++;
            if (await EnsureAssignmentsAsync(story, today, ct)) stories++;
        }
        // The newest day first, for every customer: the portfolio has its figures before the older days are filled in.
        foreach (var story in Stories)
        {
            if (await EnsureNewestPulledAsync(story.TenantId, today, ct)) pulls++;
        }
        foreach (var story in Stories)
        {
            var (files, days, daily) = await EnsureEarlierUsageAsync(story.TenantId, today, ct);
            (countFiles, detailDays, dailyDays) = (countFiles + files, detailDays + days, dailyDays + daily);
        }
        var run = new DemoHistoryRun(connected, stories, countFiles, detailDays, pulls, dailyDays);
        log.LogInformation("Demo history: {Run} in {Elapsed:0} ms", run, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return run;
    }

    /// <summary>Connects the customer as its Global Administrator did, then, and pulls its inventory; true when it was new.</summary>
    private async Task<bool> EnsureConnectedAsync(CustomerStory story, DateOnly today, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var tenant = await sp.GetRequiredService<DporDbContext>().CustomerTenants.SingleOrDefaultAsync(t => t.Id == story.TenantId, ct);
        if (tenant is not null)
        {
            if (tenant.IsConnected)
            {
                // The sandbox forgets consents and Hangfire's in-memory storage its recurring jobs when the process stops.
                sandbox.Consents.Grant(story.TenantId);
                sp.GetRequiredService<TenantJobs>().Schedule(story.TenantId);
            }
            return false;
        }

        // The admin consent page records the grant in the sandbox; the callback then connects the tenant.
        sandbox.Consents.Grant(story.TenantId);
        var storyClock = new StoryClock(At(today, story.ConnectedDaysAgo, 9, 12));
        var tenantJobs = ActivatorUtilities.CreateInstance<TenantJobs>(sp, NoJobs.Instance);
        var connect = await ActivatorUtilities.CreateInstance<TenantConnections>(sp, tenantJobs, storyClock)
            .ConnectAsync(DemoUsers.Of(story.Admin), story.TenantId, ct);
        if (connect.Problem is { } refused) throw new InvalidOperationException($"Demo history: connecting {story.Admin}'s tenant: {refused.Message}");

        storyClock.Now += TimeSpan.FromSeconds(20);
        await SyncInventoryAsync(sp, tenantJobs, storyClock, story.TenantId, ct);
        // And today's, as the daily job keeps it.
        await sp.GetRequiredService<SyncTenantInventoryJob>().RunAsync(story.TenantId, ct);
        return true;
    }

    /// <summary>Assign, verify and remove at the story's moments, unless the customer's ledger has any event already.</summary>
    private async Task<bool> EnsureAssignmentsAsync(CustomerStory story, DateOnly today, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<DporDbContext>();
        if (await db.AssignmentEvents.AnyAsync(e => e.TenantId == story.TenantId, ct)) return false;
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.TenantId == story.TenantId && s.DisappearedAt == null).ToListAsync(ct);
        if (subscriptions.Count == 0) return false; // not connected (or its inventory never came): nothing to tell

        var storyClock = new StoryClock(At(today, story.AssignedDaysAgo, 14, 5));
        // The demo customers' administrators read Spanish, as the seed's people do: their tenants record it for their mails.
        using var spanish = Language.Use(Language.Spanish);
        var admin = DemoUsers.Of(story.Admin);
        // The product queues verification and the e-mails after each change; here the story verifies at its own moment,
        // and the minute schedule sends the e-mails.
        var service = ActivatorUtilities.CreateInstance<PartnerOfRecordService>(sp, NoJobs.Instance,
            new AssignmentMail(new NotificationOutbox(storyClock), sp.GetRequiredService<IOptions<ReportScheduleOptions>>(),
                sp.GetRequiredService<IStringLocalizer<Texts>>()), storyClock);
        if (story.Skus is null)
        {
            Require(await service.AssignUnassignedAsync(admin, DemoData.AdatumMpnId, ct), story, "assign all");
        }
        else
        {
            foreach (var sku in story.Skus)
                Require(await service.AssignAsync(admin, Find(subscriptions, sku, story).Id, DemoData.AdatumMpnId, null, ct), story, $"assign {sku}");
        }

        storyClock.Now += TimeSpan.FromSeconds(40);
        if (await ActivatorUtilities.CreateInstance<AssignmentVerifier>(sp, storyClock).VerifyTenantAsync(story.TenantId, ct) == 0)
            throw new InvalidOperationException($"Demo history: {story.Admin}'s assignments to Adatum were not verified.");

        if (story.RemovedSku is { } removed)
        {
            storyClock.Now = At(today, story.RemovedDaysAgo, 16, 30);
            Require(await service.RemoveAsync(admin, Find(subscriptions, removed, story).Id, null, ct), story, $"remove {removed}");
        }
        return true;
    }

    /// <summary>The newest refresh date through the real pull job, as the pull queued on verification and the daily ones do.</summary>
    private async Task<bool> EnsureNewestPulledAsync(Guid tenantId, DateOnly today, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var newest = today.AddDays(-ReportLagDays);
        if (!await sp.GetRequiredService<UsageIngestion>().IsEligibleAsync(tenantId, ct)
            || await sp.GetRequiredService<DporDbContext>().Set<IngestionRun>().AnyAsync(r => r.TenantId == tenantId
                && r.Report == UsageReports.ActiveUserDetail && r.Outcome == IngestionOutcome.Succeeded && r.RefreshDate == newest, ct))
            return false;
        try
        {
            await sp.GetRequiredService<PullTenantUsageJob>().RunAsync(tenantId, ct);
            return true;
        }
        catch (GraphRequestException e)
        {
            // Recorded as the tenant's failed run, as a Hangfire attempt would be; the backfill below covers the day.
            log.LogWarning("Demo history: the usage pull of tenant {TenantId} failed ({Error}); its newest day comes from the file", tenantId, e.Message);
            return false;
        }
    }

    /// <summary>
    /// The facts the daily pulls would have stored since the first verification: the tenant's daily counts of 180 days and
    /// one per-user detail snapshot per earlier refresh date, from the sandbox's files of those days.
    /// </summary>
    private async Task<(int CountFiles, int DetailDays, int DailyActiveDays)> EnsureEarlierUsageAsync(Guid tenantId, DateOnly today, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<DporDbContext>();
        var ingestion = sp.GetRequiredService<UsageIngestion>();
        if (!await ingestion.IsEligibleAsync(tenantId, ct)) return (0, 0, 0);

        var newest = today.AddDays(-ReportLagDays);
        var oldestKept = newest.AddDays(1 - ReportHistoryDays);
        var firstVerified = await CustomerAssignments.OfTenant(db, tenantId).Where(a => a.VerifiedAt != null).MinAsync(a => a.VerifiedAt, ct);
        // The first pull, queued on verification, read the report of two days before.
        var oldest = DateOnly.FromDateTime(firstVerified!.Value.UtcDateTime).AddDays(-ReportLagDays);
        if (oldest < oldestKept) oldest = oldestKept;

        var countFiles = 0;
        var countedDays = await db.Set<TenantDailyUsageFact>()
            .Where(f => f.TenantId == tenantId && f.Metric == DailyCountsReader.ActiveUsersMetric && f.Workload == Workload.Exchange
                && f.Date >= oldestKept && f.Date <= newest)
            .Select(f => f.Date).Distinct().CountAsync(ct);
        if (countedDays < ReportHistoryDays)
        {
            foreach (var report in UsageIngestion.DailyReports.Where(r => r != UsageReports.ActiveUserDetail))
            {
                await IngestAsync(ingestion, tenantId, report, ReportHistoryDays, newest, ct);
                countFiles++;
            }
        }

        var stored = (await db.Set<SubscriptionUsageFact>().Where(f => f.TenantId == tenantId && f.Date >= oldest && f.Date <= newest)
            .Select(f => f.Date).Distinct().ToListAsync(ct)).ToHashSet();
        var detailDays = 0;
        var copilot = await ingestion.HasCopilotAsync(tenantId, ct);
        // Newest first, so the dashboards' recent weeks fill in first.
        for (var day = newest; day >= oldest; day = day.AddDays(-1))
        {
            if (stored.Contains(day)) continue;
            await IngestAsync(ingestion, tenantId, UsageReports.ActiveUserDetail, 30, day, ct);
            // The Copilot report of the same day, as the pull of that day read it beside the detail.
            if (copilot) await IngestAsync(ingestion, tenantId, UsageReports.CopilotUsageUserDetail, 30, day, ct);
            detailDays++;
        }
        // Daily active users per subscription: one detail of each date, for the days the partner's MAU window covers
        // (Graph keeps the dated detail 30 days). The pull job asks for the newest of these itself.
        var dailyStored = (await db.Set<IngestionRun>().AsNoTracking()
                .Where(r => r.TenantId == tenantId && r.Report == UsageReports.ActiveUserDetailOfDate && r.Outcome == IngestionOutcome.Succeeded)
                .Select(r => r.RefreshDate).ToListAsync(ct)).ToHashSet();
        var dailyOldest = newest.AddDays(-(ActiveUserDetailAggregator.MauWindowDays - 1));
        var dailyDays = 0;
        for (var day = newest; day >= dailyOldest && day >= oldest; day = day.AddDays(-1))
        {
            if (dailyStored.Contains(day)) continue;
            using var file = new MemoryStream();
            await sandbox.Graph.Reports.WriteDetailOfDateCsvAsync(tenantId, day, newest, file, ct);
            file.Position = 0;
            var run = IngestionRun.Start(tenantId, UsageReports.ActiveUserDetailOfDate, clock.GetUtcNow());
            db.Add(run);
            await db.SaveChangesAsync(ct);
            var rows = await ingestion.PullDailyActiveAsync(tenantId, day, file, ct);
            run.Succeed(day, rows, null, clock.GetUtcNow());
            db.Update(run);
            await db.SaveChangesAsync(ct);
            dailyDays++;
        }
        return (countFiles, detailDays, dailyDays);
    }

    private async Task IngestAsync(UsageIngestion ingestion, Guid tenantId, string report, int periodDays, DateOnly refreshDate, CancellationToken ct)
    {
        using var file = new MemoryStream();
        await sandbox.Graph.Reports.WriteCsvAsync(tenantId, report, periodDays, refreshDate, file, ct);
        file.Position = 0;
        await ingestion.IngestFileAsync(tenantId, report, file, ct);
    }

    private static async Task SyncInventoryAsync(IServiceProvider sp, TenantJobs tenantJobs, TimeProvider at, Guid tenantId, CancellationToken ct)
    {
        var verifier = ActivatorUtilities.CreateInstance<AssignmentVerifier>(sp, at);
        await ActivatorUtilities.CreateInstance<SyncTenantInventoryJob>(sp, verifier, tenantJobs, at).RunAsync(tenantId, ct);
    }

    private static Subscription Find(List<Subscription> subscriptions, string sku, CustomerStory story) =>
        subscriptions.Find(s => string.Equals(s.SkuPartNumber, sku, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"Demo history: {story.Admin}'s tenant has no {sku} subscription in its inventory.");

    private static void Require<T>(Core.Shared.Outcome<T> outcome, CustomerStory story, string what)
    {
        if (outcome.Problem is { } problem) throw new InvalidOperationException($"Demo history: {story.Admin} could not {what}: {problem.Message}");
    }

    private static DateTimeOffset At(DateOnly today, int daysAgo, int hour, int minute) =>
        new(today.AddDays(-daysAgo).ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);

    /// <summary>One demo customer: whose admin acts, when it connected and named Adatum, on which SKUs (null: all unassigned).</summary>
    internal sealed record CustomerStory(string Admin, int ConnectedDaysAgo, int AssignedDaysAgo, IReadOnlyList<string>? Skus,
        string? RemovedSku = null, int RemovedDaysAgo = 0)
    {
        public Guid TenantId => SandboxDirectory.Persona(Admin).TenantId;
    }

    /// <summary>The clock the story sets to each event's moment.</summary>
    private sealed class StoryClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>
    /// Jobs the product would queue while the clock is set back are dropped: a verification or sync run now would stamp
    /// today's date on the story's events. The story does their work itself, at its own moments.
    /// </summary>
    private sealed class NoJobs : IBackgroundJobClient
    {
        public static readonly NoJobs Instance = new();

        public string Create(Job job, IState state) => "";

        public bool ChangeState(string jobId, IState state, string expectedState) => false;
    }
}

/// <summary>Sandbox personas as the signed-in users the product's services take.</summary>
internal static class DemoUsers
{
    public static SignedInUser Of(string personaKey)
    {
        var persona = SandboxDirectory.Persona(personaKey);
        return new SignedInUser(persona.TenantId, persona.ObjectId, persona.DisplayName, persona.UserPrincipalName, null, persona.Idp,
            persona.Acct == 1, new HashSet<string>(persona.Wids), new HashSet<string>(persona.AppRoles), new HashSet<string>());
    }
}
