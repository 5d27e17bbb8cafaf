using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Reports;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Reports.Workbooks;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenancy;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Bench;

/// <summary>
/// Issue "Partner reports": the partner portfolio at scale. One partner (Adatum) with 1,000 customers, 3,000 subscriptions
/// and 180 days of facts (5 workloads: 2.7 million subscription facts, 900,000 tenant daily facts) in SQLite; the real host
/// on Kestrel (loopback); 20 concurrent clients against the summary API (bearer token from the sandbox) and the portfolio
/// page (cookie session from a real OpenID Connect sign-in through the sandbox's persona picker). Then the consumption
/// summary and a 90-day workload trend workbook through ReportBuilder and WorkbookWriter, in a child process so its peak
/// working set is its own.
/// </summary>
internal static partial class PortfolioBenchmark
{
    // --customers N (default 1,000; issue 13: 10,000): three subscriptions per customer on average.
    private static int CustomerCount { get; set; } = 1_000;
    private static int SubscriptionCount => CustomerCount * 3;
    // --days N (default 180): fewer days seed faster; the latest-day and 28-day reads do not grow with older history.
    private static int FactDays { get; set; } = 180;
    private const int Clients = 20;
    private const int WarmUpRequests = 200;
    // --requests N (default 2,000): requests per measured run; fewer keep a 10,000-customer run inside an hour on 2 cores.
    private static int MeasuredRequests { get; set; } = 2_000;
    // A measured run (service or floor) also lasts at least this long: a floor of 8,000 req/s finishes 300 requests in 40 ms,
    // where one garbage collection halves or doubles the figure.
    private static readonly TimeSpan MeasuredAtLeast = TimeSpan.FromSeconds(3);
    // --only TEXT: measure only the requests whose name contains it (e.g. "GET /partner/usage"), for a profile of one of them.
    private static string? Only { get; set; }
    // --pulls N (default 5): rounds of "one customer's new pull, then the next request"; more give its percentiles (and a
    // profiler something to sample).
    private static int PullRounds { get; set; } = 5;
    private const string Persona = "adatum-admin";

    private static readonly string[] CustomerNames =
        ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Wingtip", "Woodgrove", "Litware", "Proseware", "Lamna", "Alpine Ski House"];

    private static readonly (string Sku, string[] Plans)[] Products =
    [
        ("ENTERPRISEPACK", ["EXCHANGE_S_ENTERPRISE", "SHAREPOINTENTERPRISE", "TEAMS1", "YAMMER_ENTERPRISE", "MCOSTANDARD"]),
        ("SPE_E3", ["EXCHANGE_S_ENTERPRISE", "SHAREPOINTENTERPRISE", "TEAMS1", "YAMMER_ENTERPRISE", "MCOSTANDARD"]),
        ("SPE_E5", ["EXCHANGE_S_ENTERPRISE", "SHAREPOINTENTERPRISE", "TEAMS1", "YAMMER_ENTERPRISE", "MCOSTANDARD"]),
        ("SPB", ["EXCHANGE_S_STANDARD", "SHAREPOINTSTANDARD", "TEAMS1", "YAMMER_ENTERPRISE", "MCOSTANDARD"]),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--workbooks", var seeded])
        {
            await WithSandboxAsync(sandbox => WorkbooksAsync(sandbox, seeded));
            return 0;
        }
        var at = Array.IndexOf(args, "--customers");
        if (at >= 0) CustomerCount = int.Parse(args[at + 1], CultureInfo.InvariantCulture);
        var requests = Array.IndexOf(args, "--requests");
        if (requests >= 0) MeasuredRequests = int.Parse(args[requests + 1], CultureInfo.InvariantCulture);
        var days = Array.IndexOf(args, "--days");
        if (days >= 0) FactDays = int.Parse(args[days + 1], CultureInfo.InvariantCulture);
        var only = Array.IndexOf(args, "--only");
        if (only >= 0) Only = args[only + 1];
        var pullRounds = Array.IndexOf(args, "--pulls");
        if (pullRounds >= 0) PullRounds = int.Parse(args[pullRounds + 1], CultureInfo.InvariantCulture);
        // --postgres: the database on the PostgreSQL server named by DPOR_TEST_POSTGRES (a fresh database, as the integration
        // tests make it), e.g. bash tests/postgres.sh dotnet run -c Release --project bench/DporReports.Bench -- portfolio --postgres
        Postgres = args.Contains("--postgres");
        if (Postgres)
        {
            if (Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable) is null)
                throw new InvalidOperationException($"--postgres needs {TestDatabase.PostgresVariable}: run it under tests/postgres.sh");
            Environment.SetEnvironmentVariable(TestDatabase.ProviderVariable, "PostgreSql");
        }
        // The workbooks' child process reopens the SQLite file; on PostgreSQL the database goes with the host.
        var skipWorkbooks = args.Contains("--skip-workbooks") || Postgres;
        // --database FILE (SQLite): seeded there when missing, reused as it is when present (same day: the facts are dated
        // from today), and kept; a profile of one request then needs no 7-minute seeding.
        var reuse = Array.IndexOf(args, "--database");
        var work = reuse >= 0 ? null : Path.Combine(Path.GetTempPath(), $"dpor-bench-portfolio-{Guid.NewGuid():N}");
        if (work is not null) Directory.CreateDirectory(work);
        var database = work is null ? Path.GetFullPath(args[reuse + 1]) : Path.Combine(work, "dpor.db");
        var reused = !Postgres && File.Exists(database);
        try
        {
            await WithSandboxAsync(sandbox => ServeAsync(sandbox, database, reused));
            return skipWorkbooks ? 0 : await WorkbooksInChildAsync(database);
        }
        finally
        {
            // DPOR_BENCH_KEEP=1 keeps the seeded database and the workbooks for a look (sqlite3, Excel).
            if (work is null) Console.WriteLine($"  kept: {database}");
            else if (Environment.GetEnvironmentVariable("DPOR_BENCH_KEEP") is null) Directory.Delete(work, recursive: true);
            else Console.WriteLine($"  kept: {work}");
        }
    }

    private static async Task WithSandboxAsync(Func<SandboxFixture, Task> run)
    {
        var sandbox = new SandboxFixture();
        await sandbox.InitializeAsync();
        try
        {
            await run(sandbox);
        }
        finally
        {
            await sandbox.DisposeAsync();
        }
    }

    private static bool Postgres { get; set; }

    private static Dictionary<string, string?> Settings(string database)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DemoData:Enabled"] = "true",
            // Information-level logging to the console would measure the console, not the service.
            ["Logging:LogLevel:Default"] = "Warning",
            // The product's wait, not the tests' (which see figures only): a period still being computed after it answers
            // with a page that says so; the cold figures below are the time until the page shows them.
            ["PortfolioCache:PageWaitSeconds"] = new PortfolioCacheOptions().PageWaitSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (!Postgres) settings["Database:ConnectionString"] = $"Data Source={database}";
        return settings;
    }


    private static async Task ServeAsync(SandboxFixture sandbox, string database, bool reused)
    {
        var timings = new ServerTimings();
        using var app = new KestrelHost(sandbox, Settings(database), timings);
        app.Start();
        Console.WriteLine($"portfolio: {CustomerCount:N0} customers, {SubscriptionCount:N0} subscriptions, {FactDays} days × 5 workloads, one partner; " +
            $"{(Postgres ? "PostgreSQL" : "SQLite")}, real host on Kestrel ({app.BaseUrl}), {Environment.ProcessorCount} cores");

        var seeding = Stopwatch.StartNew();
        var (subscriptionFacts, dailyFacts, tenantFacts) = reused ? (0, 0, 0) : await SeedAsync(app);
        if (reused) Console.WriteLine($"  reused the seeded database {database} ({await DatabaseBytesAsync(app, database) / 1e6:F0} MB)");
        else Console.WriteLine($"  seeded {subscriptionFacts:N0} subscription facts, {dailyFacts:N0} daily active user facts and {tenantFacts:N0} tenant daily facts in {seeding.Elapsed.TotalSeconds:F0} s " +
            $"(database {await DatabaseBytesAsync(app, database) / 1e6:F0} MB)");

        var computations = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DporReports.Core.Observability.DporTelemetry.Name && instrument.Name == "dpor.portfolio.compute.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => computations.Enqueue(value));
        listener.Start();

        using var api = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseUrl, Timeout = TimeSpan.FromMinutes(10) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await sandbox.TokenAsync(Persona));
        using var page = await SignInAsync(app.BaseUrl);

        // Cold: the first request computes the portfolio (and JITs the queries); the page's first request renders from the
        // portfolio the API just computed (same partner, period and day), so it is the page's own cold cost.
        var apiCold = await TimeRequestAsync(api, ApiUrl(0));
        var summary = JsonDocument.Parse(await api.GetStringAsync(ApiUrl(0))).RootElement;
        var (pageCold, pageFirstAnswer) = await TimeToFiguresAsync(page, PageUrl(0));
        Console.WriteLine($"  portfolio as of {summary.GetProperty("asOf").GetString()}: {summary.GetProperty("customers").GetInt32():N0} customers, " +
            $"{summary.GetProperty("subscriptions").GetInt32():N0} subscriptions, {summary.GetProperty("seats").GetInt32():N0} seats, overall usage " +
            $"{summary.GetProperty("overallUsage").GetDecimal():P1} (change " +
            $"{(summary.GetProperty("overallUsageChange") is { ValueKind: JsonValueKind.Number } change ? $"{change.GetDecimal() * 100:+0.0;-0.0} points" : "—")})");
        Console.WriteLine($"  cold: first GET /api/partner/usage/summary {apiCold,6:F0} ms (computes the portfolio); first GET /partner/usage {pageCold,6:F0} ms to its figures " +
            $"({pageFirstAnswer})");

        var served = 0L;
        void Memory(string after)
        {
            using var self = Process.GetCurrentProcess();
            Console.WriteLine($"    memory after {after} ({served:N0} requests so far): working set {self.WorkingSet64 / 1e6:F0} MB, " +
                $"managed heap {GC.GetTotalMemory(forceFullCollection: false) / 1e6:F0} MB (host and clients share this process)");
        }
        Memory("the cold requests");
        await RestartAndNextDayAsync(sandbox, app, database);
        // One customer's new pull: its facts of the newest day change, and its partners' usage version rises in the same
        // transaction (what UsageIngestion does); the next summary request must show it.
        var (tenantId, tenantName) = await CurrentCustomerAsync(app);
        var pulls = new List<(double Client, double Server, int Computations)>();
        var pagePulls = new List<(double Client, double Server)>();
        for (var pull = 0; pull < PullRounds; pull++)
        {
            await RecordOnePullAsync(app, tenantId);
            var before = computations.Count;
            timings.Clear();
            var next = await TimeRequestAsync(api, ApiUrl(0));
            pulls.Add((next, (await timings.SnapshotAsync(1)).Single(), computations.Count - before));
            // The page after the same pull: the API brought the period up to date, the page also the previous period's.
            await RecordOnePullAsync(app, tenantId);
            timings.Clear();
            var nextPage = await TimeRequestAsync(page, PageUrl(0));
            pagePulls.Add((nextPage, (await timings.SnapshotAsync(1)).Single()));
        }
        Console.WriteLine($"  one customer's new pull, then the next page request (both periods updated), {PullRounds} times: client " +
            $"{Rounds(pagePulls.Select(p => p.Client))} ms, server {Rounds(pagePulls.Select(p => p.Server))} ms");
        var shown = JsonDocument.Parse(await api.GetStringAsync($"api/partner/usage/summary?q={Uri.EscapeDataString(tenantName)}")).RootElement;
        Console.WriteLine($"  one customer's new pull ({tenantName}), then the next summary request, {PullRounds} times: client " +
            $"{Rounds(pulls.Select(p => p.Client))} ms, server {Rounds(pulls.Select(p => p.Server))} ms, " +
            $"computations {string.Join(", ", pulls.Select(p => p.Computations).Distinct())}; the customer's row is in the answer: " +
            $"{shown.GetProperty("items").EnumerateArray().Any(c => c.GetProperty("tenantName").GetString() == tenantName)}");

        // A cache miss in steady state under load: new data while 20 clients ask.
        var computed = computations.Count;
        await RecordOnePullAsync(app, tenantId);
        var miss = await LoadAsync(api, ApiUrl, Clients);
        Console.WriteLine($"  after new data: {Clients} concurrent summary requests → {computations.Count - computed} computation(s); " +
            $"slowest request {miss.Latencies.Max(),6:F0} ms");
        // Issue 14: "where to help" beside the portfolio, cold (computes every subscription's adoption signals) and under load.
        var helpCold = await TimeRequestAsync(api, HelpApiUrl(0));
        var help = JsonDocument.Parse(await api.GetStringAsync(HelpApiUrl(0))).RootElement;
        Console.WriteLine($"  cold: first GET /api/partner/help {helpCold,6:F0} ms (computes the adoption signals of " +
            $"{help.GetProperty("subscriptions").GetInt32():N0} subscriptions: {help.GetProperty("items").GetArrayLength():N0} items)");
        foreach (var (name, client, url) in new (string, HttpClient, Func<int, string>)[]
                 {
                     ("GET /api/partner/usage/summary", api, ApiUrl), ("GET /partner/usage", page, PageUrl),
                     ("GET /api/partner/help", api, HelpApiUrl), ("GET /partner/help", page, HelpPageUrl),
                 })
        {
            if (Only is not null && !name.Contains(Only, StringComparison.Ordinal)) continue;
            await LoadAsync(client, url, WarmUpRequests);
            // One client alone first: the cost of a request without queueing behind 19 others for two cores.
            timings.Clear();
            var alone = await LoadAsync(client, url, 200, clients: 1);
            var aloneServer = await timings.SnapshotAsync(200);
            timings.Clear();
            var allocated = GC.GetTotalAllocatedBytes();
            var run = await LoadAsync(client, url, MeasuredRequests, atLeast: MeasuredAtLeast);
            var runAllocated = (GC.GetTotalAllocatedBytes() - allocated) / run.Count;
            var server = await timings.SnapshotAsync(run.Count);
            served += WarmUpRequests + 200 + run.Count;
            Console.WriteLine($"  {name}: {run.Count:N0} requests, {Clients} concurrent clients (after {WarmUpRequests} warm-up): " +
                $"{run.Count / run.Elapsed.TotalSeconds:F0} req/s, {run.Failures} failed");
            Console.WriteLine($"    client:  p50 {P(run.Latencies, 50),6:F1} ms  p95 {P(run.Latencies, 95),6:F1} ms  p99 {P(run.Latencies, 99),6:F1} ms  max {run.Latencies.Max(),6:F1} ms");
            Console.WriteLine($"    server:  p50 {P(server, 50),6:F1} ms  p95 {P(server, 95),6:F1} ms  p99 {P(server, 99),6:F1} ms  max {server.Max(),6:F1} ms");
            Console.WriteLine($"    one client alone (200 requests): client p50 {P(alone.Latencies, 50),5:F1} ms, server p50 {P(aloneServer, 50),5:F1} ms, " +
                $"{200 / alone.Elapsed.TotalSeconds:F0} req/s");

            // The serving floor: the same bodies, captured just now, replayed by a middleware in front of everything (same
            // host, same clients, at least as many requests and as long): what Kestrel and the clients cost without the service's work.
            // Every URL function repeats within 120 request numbers.
            foreach (var distinct in Enumerable.Range(0, 1_000).Select(url).Distinct())
            {
                using var response = await client.GetAsync(distinct);
                timings.Floor["/" + distinct] = (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.ToString() ?? "text/plain");
            }
            timings.Clear();
            allocated = GC.GetTotalAllocatedBytes();
            var floor = await LoadAsync(client, i => "floor/" + url(i), MeasuredRequests, atLeast: MeasuredAtLeast);
            var floorAllocated = (GC.GetTotalAllocatedBytes() - allocated) / floor.Count;
            var floorServer = await timings.SnapshotAsync(floor.Count);
            served += floor.Count;
            Console.WriteLine($"    floor (captured bodies replayed, {timings.Floor.Count} distinct, {timings.Floor.Values.Average(b => b.Body.Length) / 1e3:F0} KB on average): " +
                $"{floor.Count:N0} requests, {floor.Count / floor.Elapsed.TotalSeconds:F0} req/s, client p95 {P(floor.Latencies, 95):F1} ms, server p95 {P(floorServer, 95):F2} ms; " +
                $"service throughput = floor / {(floor.Count / floor.Elapsed.TotalSeconds) / (run.Count / run.Elapsed.TotalSeconds):F1}");
            // Host and clients share the process: the difference is what the service itself allocates per request.
            Console.WriteLine($"    allocated per request (host and clients): service {runAllocated / 1e3:F0} KB, floor {floorAllocated / 1e3:F0} KB");
            timings.Floor.Clear();
            Memory(name);
        }

        if (Only is not null) return; // a profile of one request: the rounds below would only dilute it

        // More of the same requests: the memory of a warm host must not grow with their number.
        for (var round = 1; round <= 3; round++)
        {
            await LoadAsync(api, ApiUrl, MeasuredRequests);
            await LoadAsync(page, PageUrl, MeasuredRequests);
            served += 2 * MeasuredRequests;
            Memory($"round {round} of {2 * MeasuredRequests:N0} more");
        }

        var (sixMonths, firstAnswer) = await TimeToFiguresAsync(page, "partner/usage?period=6m");
        Console.WriteLine($"  first GET /partner/usage?period=6m (computes a 6-month trend): figures after {sixMonths,6:F0} ms ({firstAnswer})");
        Console.WriteLine($"  portfolio computations: {computations.Count}, {string.Join(", ", computations.Select(c => $"{c:F0} ms"))}");
    }

    /// <summary>
    /// Issue 13's "first request after start": a second host on the same database (nothing in memory, as after a restart)
    /// starts from the snapshots the first host wrote; then the job that writes tomorrow's snapshots before midnight, and
    /// the new day's first portfolio from it.
    /// </summary>
    private static async Task RestartAndNextDayAsync(SandboxFixture sandbox, DporWebFactory first, string database)
    {
        var settings = new Dictionary<string, string?>(Settings(database));
        if (Postgres)
        {
            // The first host's PostgreSQL database (on SQLite, Settings names the seeded file already).
            settings["Database:Provider"] = first.Database.Provider;
            settings["Database:ConnectionString"] = first.Database.ConnectionString;
        }
        var started = Stopwatch.StartNew();
        using var second = new KestrelHost(sandbox, settings, new ServerTimings());
        second.Start();
        var up = started.Elapsed.TotalMilliseconds;
        using var api = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = second.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await sandbox.TokenAsync(Persona));
        using var page = await SignInAsync(second.BaseUrl);
        var apiFirst = await TimeRequestAsync(api, ApiUrl(0));
        var pageFirst = await TimeRequestAsync(page, PageUrl(0));
        var customers = JsonDocument.Parse(await api.GetStringAsync(ApiUrl(0))).RootElement.GetProperty("customers").GetInt32();
        Console.WriteLine($"  restart: a second host on the same database (up in {up:F0} ms): first GET /api/partner/usage/summary {apiFirst,6:F0} ms, " +
            $"first GET /partner/usage {pageFirst,6:F0} ms (both from the portfolio snapshots, then the customers changed since; {customers:N0} customers)");

        await using var scope = second.Scope();
        var services = scope.ServiceProvider;
        var partnerId = await DporWebFactory.Db(scope).Partners.Where(p => p.TenantId == SandboxDirectory.AdatumTenantId).Select(p => p.Id).SingleAsync();
        services.GetRequiredService<PartnerScope>().Set(partnerId);
        var snapshots = await DporWebFactory.Db(scope).Set<PortfolioSnapshot>()
            .Select(s => new { s.From, s.AsOf, Bytes = s.Data.Length }).ToListAsync();
        Console.WriteLine($"  snapshots: {string.Join(", ", snapshots.Select(s => $"{s.From:MM-dd}..{s.AsOf:MM-dd} {s.Bytes / 1e6:F1} MB"))}");
        var warming = Stopwatch.StartNew();
        var periods = await services.GetRequiredService<WarmPortfolioSnapshotsJob>().RunAsync(CancellationToken.None);
        var warmed = warming.Elapsed.TotalSeconds;
        await RecordOnePullAsync(second, (await CurrentCustomerAsync(second)).TenantId);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var tomorrow = Stopwatch.StartNew();
        await services.GetRequiredService<PartnerPortfolios>().GetAsync(today.AddDays(-26), today.AddDays(1), CancellationToken.None);
        Console.WriteLine($"  next day: the warming job wrote {periods} periods' snapshots for tomorrow in {warmed:F0} s (a worker, before midnight); " +
            $"after one more pull, tomorrow's first summary portfolio took {tomorrow.Elapsed.TotalMilliseconds:F0} ms");
    }

    private static async Task<long> DatabaseBytesAsync(DporWebFactory app, string database)
    {
        if (!Postgres) return new FileInfo(database).Length;
        await using var scope = app.Scope();
        return await DporWebFactory.Db(scope).Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync();
    }

    /// <summary>A customer with a current, unsuspended verified window of Adatum: the tenant a new pull is recorded for.</summary>
    private static async Task<(Guid TenantId, string Name)> CurrentCustomerAsync(DporWebFactory app)
    {
        await using var scope = app.Scope();
        var db = DporWebFactory.Db(scope);
        var partnerId = await db.Partners.Where(p => p.TenantId == SandboxDirectory.AdatumTenantId).Select(p => p.Id).SingleAsync();
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(partnerId);
        var tenantId = await db.Assignments.Where(a => a.EndedAt == null && a.VerifiedAt != null && a.State == AssignmentState.Verified)
            .OrderBy(a => a.TenantId).Select(a => a.TenantId).FirstAsync();
        return (tenantId, await db.CustomerTenants.Where(t => t.Id == tenantId).Select(t => t.DisplayName).SingleAsync());
    }

    /// <summary>What one tenant's pull writes, in one transaction: its newest facts change and its partners' usage version rises.</summary>
    private static async Task RecordOnePullAsync(DporWebFactory app, Guid tenantId)
    {
        await using var scope = app.Scope();
        var db = DporWebFactory.Db(scope);
        // Through the execution strategy, as the ingestion writes: PostgreSQL's retrying strategy refuses a bare transaction.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var newest = await db.Set<SubscriptionUsageFact>().Where(f => f.TenantId == tenantId).MaxAsync(f => f.Date);
            await db.Set<SubscriptionUsageFact>().Where(f => f.TenantId == tenantId && f.Date == newest)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.ActiveUsers, f => f.ActiveUsers + 1));
            await db.Set<SubscriptionDailyUsageFact>().Where(f => f.TenantId == tenantId && f.Date == newest)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.ActiveUsers, f => f.ActiveUsers + 1));
            // Exactly what the ingestion's facts transaction ends with: the partners' usage version rises, the tenant is named.
            await TenantUsageChange.RecordAsync(db, tenantId, CancellationToken.None);
            await transaction.CommitAsync();
        });
    }

    private static string ApiUrl(int i) => (i % 6) switch
    {
        0 => "api/partner/usage/summary",
        1 => $"api/partner/usage/summary?page={1 + (i % 20)}",
        2 => "api/partner/usage/summary?sort=change&dir=desc",
        3 => "api/partner/usage/summary?below=40&sort=usage",
        4 => $"api/partner/usage/summary?q={CustomerNames[i % CustomerNames.Length]}",
        _ => $"api/partner/usage/summary?sort=teams&dir=desc&page={1 + (i % 5)}",
    };

    private static string PageUrl(int i) => (i % 6) switch
    {
        0 => "partner/usage",
        1 => $"partner/usage?page={1 + (i % 40)}",
        2 => "partner/usage?sort=change&dir=desc",
        3 => "partner/usage?below=40&sort=usage",
        4 => $"partner/usage?q={CustomerNames[i % CustomerNames.Length]}",
        _ => $"partner/usage?sort=teams&dir=desc&page={1 + (i % 5)}",
    };

    private static string HelpApiUrl(int i) => "api/partner/help";

    private static string HelpPageUrl(int i) => (i % 3) switch
    {
        0 => "partner/help",
        1 => $"partner/help?page={1 + (i % 10)}",
        _ => "partner/help?reason=UnassignedSeats",
    };

    private sealed record LoadRun(TimeSpan Elapsed, List<double> Latencies, int Failures)
    {
        public int Count => Latencies.Count;
    }

    /// <summary>
    /// A bounded load loop: <paramref name="clients"/> workers take the next request number until <paramref name="total"/> are
    /// done and <paramref name="atLeast"/> has passed.
    /// </summary>
    private static async Task<LoadRun> LoadAsync(HttpClient client, Func<int, string> url, int total, int clients = Clients, TimeSpan atLeast = default)
    {
        var next = -1;
        var failures = 0;
        var latencies = new ConcurrentBag<double>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total || watch.Elapsed < atLeast)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url(i), HttpCompletionOption.ResponseContentRead);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
            }
        })));
        return new LoadRun(watch.Elapsed, [.. latencies], failures);
    }

    private static async Task<double> TimeRequestAsync(HttpClient client, string url)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// The time until a page shows its figures, and until its first answer: a period still being computed after the page's
    /// wait answers with a page saying so (<c>data-preparing</c>), which updates itself; asked again until it shows them.
    /// </summary>
    private static async Task<(double Figures, string FirstAnswer)> TimeToFiguresAsync(HttpClient client, string url)
    {
        var started = Stopwatch.GetTimestamp();
        string? first = null;
        while (true)
        {
            var body = await client.GetStringAsync(url);
            var preparing = body.Contains("data-preparing", StringComparison.Ordinal);
            first ??= preparing ? $"the first answer, after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms, said they were being prepared" : "the first answer had them";
            if (!preparing) return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, first);
            await Task.Delay(250);
        }
    }

    /// <summary>Each round's figure, or with more than five its median, 95th percentile and maximum.</summary>
    private static string Rounds(IEnumerable<double> values)
    {
        var all = values.ToList();
        return all.Count <= 5
            ? string.Join(", ", all.Select(v => $"{v:F0}"))
            : $"p50 {P(all, 50):F0}, p95 {P(all, 95):F0}, max {all.Max():F0}, over 100 in {all.Count(v => v > 100)} of {all.Count}";
    }

    private static double P(IReadOnlyCollection<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1];
    }

    /// <summary>
    /// The real OpenID Connect sign-in as a browser does it (the app's challenge, the sandbox's persona picker, its form_post
    /// back to /signin-oidc), with cookies carried by hand: the correlation cookies are Secure, which .NET's cookie container
    /// keeps off plain-http loopback, while browsers allow them on loopback.
    /// </summary>
    private static async Task<HttpClient> SignInAsync(Uri app)
    {
        var cookies = new Dictionary<string, string>();
        using var raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app };
        void Keep(HttpResponseMessage response)
        {
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';', 2)[0].Split('=', 2);
                if (header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) cookies.Remove(pair[0]);
                else cookies[pair[0]] = pair[1];
            }
        }
        HttpRequestMessage WithCookies(HttpRequestMessage request)
        {
            if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            return request;
        }

        using var challenge = await raw.SendAsync(WithCookies(new HttpRequestMessage(HttpMethod.Get, "account/signin?returnUrl=%2Fpartner%2Fusage")));
        Keep(challenge);
        var authorize = challenge.Headers.Location ?? throw new InvalidOperationException($"sign-in answered {(int)challenge.StatusCode}");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var picker = await browser.GetStringAsync(authorize);
        var fields = BrowserSignIn.HiddenFields(picker);
        fields["persona"] = Persona;
        using var chosen = await browser.PostAsync(new Uri(authorize.GetLeftPart(UriPartial.Path)), new FormUrlEncodedContent(fields));
        var formPost = await chosen.Content.ReadAsStringAsync();
        var action = new Uri(WebUtility.HtmlDecode(FormAction().Match(formPost).Groups["action"].Value));
        using var callback = await raw.SendAsync(WithCookies(new HttpRequestMessage(HttpMethod.Post, action.PathAndQuery)
            { Content = new FormUrlEncodedContent(BrowserSignIn.HiddenFields(formPost)) }));
        Keep(callback);
        if (callback.StatusCode != HttpStatusCode.Redirect || !cookies.Keys.Any(k => k.StartsWith("dpor.session", StringComparison.Ordinal)))
            throw new InvalidOperationException($"/signin-oidc answered {(int)callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}");
        // The first page sets the antiforgery cookie its forms need; a browser sends it with every later request. The home
        // page, so that the portfolio's first request is still the measured cold one.
        using (var first = await raw.SendAsync(WithCookies(new HttpRequestMessage(HttpMethod.Get, "")))) Keep(first);

        var session = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app, Timeout = TimeSpan.FromMinutes(10) };
        session.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        return session;
    }

    [GeneratedRegex("<form\\b[^>]*action=\"(?<action>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    /// <summary>
    /// Bench data, straight into the database: tenants, subscriptions, assignments and ledger events as EF entities (through
    /// their own factory methods), facts through one prepared statement whose table and columns come from the EF model.
    /// Variety: 15 % of windows start mid-period, 3 % were removed, 4 % had a suspension, 1 % are suspended now.
    /// </summary>
    private static async Task<(long SubscriptionFacts, long DailyFacts, long TenantFacts)> SeedAsync(DporWebFactory app)
    {
        var now = TimeProvider.System.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var lastFactDay = today.AddDays(-2); // Graph's usage reports run two days behind
        var firstFactDay = lastFactDay.AddDays(1 - FactDays);
        DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero);
        var random = new Random(20261124);
        var actor = new Actor(Guid.NewGuid(), Guid.NewGuid(), "Bench Admin");

        await using var scope = app.Scope();
        var db = DporWebFactory.Db(scope);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var partner = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId);
        var subscriptions = new List<(Guid Tenant, Guid Id, int Seats)>();
        for (var c = 0; c < CustomerCount; c++)
        {
            var tenant = CustomerTenant.Create(Guid.NewGuid(), string.Create(CultureInfo.InvariantCulture, $"{CustomerNames[c % CustomerNames.Length]} {c:D4} Ltd"));
            tenant.Connect(actor, Core.Languages.Language.English, At(today.AddDays(-400)));
            db.Add(tenant);
            // 1 to 5 subscriptions, cycling: 3 on average, 3,000 in all.
            var count = 1 + ((c * 7) % 5);
            for (var s = 0; s < count; s++)
            {
                var (sku, plans) = Products[random.Next(Products.Length)];
                var seats = 10 + (int)Math.Exp(random.NextDouble() * 7.5);
                var subscription = Subscription.Discover(Guid.NewGuid(), tenant.Id, At(today.AddDays(-400)));
                subscription.Refresh(null, ProductCatalog.Microsoft.Skus.First(k => k.PartNumber == sku).SkuId, sku, SubscriptionStatus.Enabled, seats, false, null,
                    [.. plans.Select(p => new ServicePlan(Guid.NewGuid(), p, "Success"))], seats, ProductCatalog.Microsoft);
                db.Add(subscription);
                subscriptions.Add((tenant.Id, subscription.Id, seats));
                SeedAssignment(db, random, partner, tenant.Id, subscription.Id, actor, today, At);
            }
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync();

        // Facts: per subscription and workload a starting adoption and a drift over the period; tenant daily active users
        // follow the week (weekends low). The curves are drawn here; the rows (issue 13: 10,000 customers × 180 days is 32
        // million subscription facts, ~45 minutes row by row) are made by the database from them, set-based.
        var workloads = Enum.GetValues<Workload>();
        (double Low, double High)[] adoption = [(0.6, 0.95), (0.2, 0.8), (0.3, 0.9), (0.0, 0.25), (0.0, 0.1)]; // in Workload order
        var curves = subscriptions.SelectMany(s => workloads.Select(w =>
        {
            var (low, high) = adoption[(int)w % adoption.Length];
            return new Curve(s.Tenant, s.Id, w, s.Seats, (int)(s.Seats * (0.85 + (random.NextDouble() * 0.15))), low + (random.NextDouble() * (high - low)),
                (random.NextDouble() * 0.35) - 0.15);
        })).ToList();
        await FactSeeding.RunAsync(db, curves, firstFactDay, FactDays);
        long subscriptionFacts = (long)curves.Count * FactDays, dailyFacts = subscriptionFacts, tenantFacts = (long)CustomerCount * workloads.Length * FactDays;

        // The facts went in by SQL: check EF reads them back (same Guid, enum and date encodings) before measuring anything.
        var probe = subscriptions[0].Id;
        var readBack = await db.Set<SubscriptionUsageFact>().CountAsync(f => f.SubscriptionId == probe && f.Workload == Workload.Teams);
        var dailyBack = await db.Set<SubscriptionDailyUsageFact>().CountAsync(f => f.SubscriptionId == probe && f.Workload == Workload.Teams);
        if (readBack != FactDays || dailyBack != FactDays)
            throw new InvalidOperationException($"seeded facts do not read back through EF ({readBack} and {dailyBack} of {FactDays})");
        return (subscriptionFacts, dailyFacts, tenantFacts);
    }

    private static void SeedAssignment(Microsoft.EntityFrameworkCore.DbContext db, Random random, Core.Partners.Partner partner, Guid tenantId,
        Guid subscriptionId, Actor actor, DateOnly today, Func<DateOnly, DateTimeOffset> at)
    {
        var pick = random.NextDouble();
        var verified = pick < 0.15 ? today.AddDays(-random.Next(20, 170)) : today.AddDays(-400);
        var assignment = Assignment.Start(tenantId, subscriptionId, partner.Id, "1234567", actor, qualified: true, at(verified));
        (Guid, Guid, string)? self = (assignment.Id, partner.Id, partner.DisplayName);
        assignment.Verify(at(verified));
        db.Add(assignment);
        db.Add(AssignmentEvent.Record(AssignmentEventKind.Assigned, tenantId, subscriptionId, actor, at(verified), null, self));
        db.Add(AssignmentEvent.Record(AssignmentEventKind.Verified, tenantId, subscriptionId, Actor.System, at(verified), self, self));
        var fate = random.NextDouble();
        if (fate < 0.03)
        {
            var removed = today.AddDays(-random.Next(5, 90));
            if (removed <= verified) removed = verified.AddDays(1);
            assignment.End(AssignmentEndReason.Removed, at(removed));
            db.Add(AssignmentEvent.Record(AssignmentEventKind.Removed, tenantId, subscriptionId, actor, at(removed), self, null));
        }
        else if (fate < 0.07)
        {
            var suspended = today.AddDays(-random.Next(25, 160));
            if (suspended <= verified) suspended = verified.AddDays(2);
            var resumed = suspended.AddDays(random.Next(3, 20));
            db.Add(AssignmentEvent.Record(AssignmentEventKind.Suspended, tenantId, subscriptionId, Actor.System, at(suspended), self, self));
            db.Add(AssignmentEvent.Record(AssignmentEventKind.Resumed, tenantId, subscriptionId, Actor.System, at(resumed), self, self));
        }
        else if (fate < 0.08)
        {
            // Suspended now, since a day on which facts exist: its figures fall back to the last day before the suspension.
            var suspended = today.AddDays(-random.Next(3, 15));
            assignment.Suspend(at(suspended));
            db.Add(AssignmentEvent.Record(AssignmentEventKind.Suspended, tenantId, subscriptionId, Actor.System, at(suspended), self, self));
        }
    }


    private static async Task<int> WorkbooksInChildAsync(string database)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(PortfolioBenchmark).Assembly.Location);
        foreach (var argument in new[] { "portfolio", "--workbooks", database }) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        Console.Write(await child.StandardOutput.ReadToEndAsync());
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    /// <summary>The two workbooks partners run most, for all customers, through the same builder and writer the job uses.</summary>
    private static async Task WorkbooksAsync(SandboxFixture sandbox, string database)
    {
        using var app = new DporWebFactory(sandbox, Settings(database));
        using var process = Process.GetCurrentProcess();
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var catalog = app.Services.GetRequiredService<ReportCatalog>();
        process.Refresh();
        Console.WriteLine($"  workbooks (child process; host started, peak working set so far {process.PeakWorkingSet64 / 1e6:F0} MB), period {today.AddDays(-89):yyyy-MM-dd} to {today:yyyy-MM-dd}:");
        var total = Stopwatch.StartNew();
        foreach (var reportId in new[] { "consumption-summary", "workload-trend" })
        {
            var path = Path.Combine(Path.GetDirectoryName(database)!, $"{reportId}.xlsx");
            var watch = Stopwatch.StartNew();
            int rows;
            await using (var scope = app.Scope())
            {
                var services = scope.ServiceProvider;
                var partnerId = await DporWebFactory.Db(scope).Partners.Where(p => p.TenantId == SandboxDirectory.AdatumTenantId).Select(p => p.Id).SingleAsync();
                services.GetRequiredService<PartnerScope>().Set(partnerId);
                var document = await services.GetRequiredService<ReportBuilder>().BuildAsync(catalog.Find(reportId)!, today.AddDays(-89), today, [],
                    "bench@adatum.example", TimeProvider.System.GetUtcNow(), Core.Languages.Language.English, CancellationToken.None);
                rows = document.Sheets.Sum(s => s.Rows.Count());
                await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await WorkbookWriter.WriteAsync(document, file, CancellationToken.None);
            }
            process.Refresh();
            Console.WriteLine($"    {reportId,-20} {rows,9:N0} rows  {watch.Elapsed.TotalSeconds,5:F1} s  file {new FileInfo(path).Length / 1e6,5:F1} MB  " +
                $"process peak working set {process.PeakWorkingSet64 / 1e6:F0} MB");
        }
        Console.WriteLine($"    both: {total.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Server-side time of each request, from the host's first middleware to the end of its response.</summary>
    private sealed class ServerTimings
    {
        private ConcurrentQueue<double> _samples = new();

        public void Record(double milliseconds) => _samples.Enqueue(milliseconds);

        public void Clear() => _samples = new ConcurrentQueue<double>();

        /// <summary>
        /// The samples once <paramref name="expected"/> are in: a response with a Content-Length reaches the client as its last
        /// byte is written, a moment before the middleware records its time.
        /// </summary>
        public async Task<List<double>> SnapshotAsync(int expected)
        {
            var waited = Stopwatch.StartNew();
            while (_samples.Count < expected && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(1);
            return [.. _samples];
        }

        /// <summary>The serving floor's bodies by path and query (<c>/floor/</c> stripped).</summary>
        public ConcurrentDictionary<string, (byte[] Body, string ContentType)> Floor { get; } = new();
    }

    /// <summary>The real host (Program) on Kestrel at a loopback port, with a timing middleware in front of everything.</summary>
    private sealed class KestrelHost(SandboxFixture sandbox, IDictionary<string, string?> settings, ServerTimings timings)
        : DporWebFactory(sandbox, settings)
    {
        public Uri BaseUrl { get; private set; } = null!;

        public void Start()
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new TimingFilter(timings)));
        }
    }

    private sealed class TimingFilter(ServerTimings timings) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate inner) =>
            {
                var started = Stopwatch.GetTimestamp();
                var path = context.Request.Path.Value ?? "";
                if (path.StartsWith("/floor/", StringComparison.Ordinal)
                    && timings.Floor.TryGetValue(path["/floor".Length..] + context.Request.QueryString.Value, out var captured))
                {
                    context.Response.ContentType = captured.ContentType;
                    context.Response.ContentLength = captured.Body.Length;
                    await context.Response.Body.WriteAsync(captured.Body);
                }
                else
                {
                    await inner(context);
                }
                timings.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            });
            next(app);
        };
    }
}
