using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Benchmarks of DporReports against the local sandbox, on the embedded default (SQLite). Run:
//   dotnet run -c Release --project bench/DporReports.Bench [inventory|usage-parse|usage-csv|ingest [tenants]|workbook|portfolio|schedule-day]
// Figures go into the closing notes of the issues that set the targets.

var which = args.FirstOrDefault() ?? "inventory";
switch (which)
{
    case "inventory": await WithSandboxAsync(InventoryAsync); break;
    case "usage-parse": return await UsageParseAsync(args[1..]);
    case "usage-csv": await UsageCsvAsync(); break;
    case "ingest": await WithSandboxAsync(sandbox => IngestAsync(sandbox, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000)); break;
    case "workbook": return await DporReports.Bench.WorkbookBenchmark.RunAsync(args[1..]);
    case "portfolio": return await DporReports.Bench.PortfolioBenchmark.RunAsync(args[1..]);
    case "schedule-day": return DporReports.Bench.ScheduleDaySimulation.Run(args[1..]);
    default: Console.Error.WriteLine($"unknown benchmark '{which}' (known: inventory, usage-parse, usage-csv, ingest [tenants], workbook, portfolio, schedule-day)"); return 2;
}
return 0;

static async Task WithSandboxAsync(Func<SandboxFixture, Task> benchmark)
{
    var sandbox = new SandboxFixture();
    await sandbox.InitializeAsync();
    try
    {
        await benchmark(sandbox);
    }
    finally
    {
        await sandbox.DisposeAsync();
    }
}

// Issue 3: what a 1,000-subscription tenant's inventory sync takes (Graph paging at 100 per page, upsert, re-verification).
static async Task InventoryAsync(SandboxFixture sandbox)
{
    var tenant = SandboxDirectory.ContosoTenantId;
    using var app = new DporWebFactory(sandbox);
    await app.ConnectedTenantAsync();
    (await sandbox.Api.PostAsJsonAsync($"_sandbox/graph/tenants/{tenant}/scale", new { subscriptions = 1000 })).EnsureSuccessStatusCode();

    var first = await TimeAsync(() => app.SyncInventoryAsync(tenant));
    var unchanged = await TimeAsync(() => app.SyncInventoryAsync(tenant));
    var samples = new List<double>();
    for (var i = 0; i < 5; i++) samples.Add(await TimeAsync(() => app.SyncInventoryAsync(tenant)));

    await using var scope = app.Scope();
    var db = DporWebFactory.Db(scope);
    var stored = await db.Subscriptions.CountAsync(s => s.TenantId == tenant && s.DisappearedAt == null);
    Console.WriteLine($"inventory sync, 1,000-subscription tenant (SQLite, sandbox Graph over HTTPS, 100 per page): {stored} active subscriptions stored");
    Console.WriteLine($"  first sync (1,000 new rows, 7 gone):   {first,8:F0} ms");
    Console.WriteLine($"  second sync (no change):               {unchanged,8:F0} ms");
    Console.WriteLine($"  steady state, 5 runs: median {Median(samples),6:F0} ms, max {samples.Max(),6:F0} ms");
}

static async Task<double> TimeAsync(Func<Task> run)
{
    var watch = Stopwatch.StartNew();
    await run();
    return watch.Elapsed.TotalMilliseconds;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

// Usage ingestion: streaming the per-user active-user detail (D30) into per-subscription counts, no sandbox and no database
// (pure parsing over a FileStream). Each size is measured in a fresh child process, so its peak working set is its own.
static async Task<int> UsageParseAsync(string[] args)
{
    if (args is ["--measure", var measurePath, var measureUsers])
    {
        await MeasureUsageParseAsync(measurePath, int.Parse(measureUsers, CultureInfo.InvariantCulture));
        return 0;
    }

    Console.WriteLine("usage-parse: getOffice365ActiveUserDetail (D30) → ActiveUserDetailAggregator.AggregateAsync over a FileStream");
    foreach (var users in new[] { 100_000, 200_000 })
    {
        var path = Path.Combine(Path.GetTempPath(), $"dpor-usage-detail-{users}-{Guid.NewGuid():N}.csv");
        try
        {
            await WriteActiveUserDetailAsync(path, users);
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(UsageCsvReader).Assembly.Location.Replace("DporReports.Core.dll", "DporReports.Bench.dll", StringComparison.Ordinal));
            }

            foreach (var argument in new[] { "usage-parse", "--measure", path, users.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            using var child = Process.Start(start)!;
            Console.Write(await child.StandardOutput.ReadToEndAsync());
            await child.WaitForExitAsync();
            if (child.ExitCode != 0) return child.ExitCode;
        }
        finally
        {
            File.Delete(path);
        }
    }

    return 0;
}

// Issue 13: the CSV reader alone against CsvHelper's and Sep's raw reads of the same 1,000,000-user file.
static async Task UsageCsvAsync()
{
    var path = Path.Combine(Path.GetTempPath(), $"dpor-usage-detail-1000000-{Guid.NewGuid():N}.csv");
    try
    {
        await WriteActiveUserDetailAsync(path, 1_000_000);
        await DporReports.Bench.UsageCsvBenchmark.RunAsync(path, ["Report Refresh Date", "User Principal Name", "Is Deleted", "Assigned Products"]);
    }
    finally
    {
        File.Delete(path);
    }
}

static async Task MeasureUsageParseAsync(string path, int users)
{
    TenantSubscription[] subscriptions = BenchSubscriptions();
    var megabytes = new FileInfo(path).Length / 1e6;
    using var process = Process.GetCurrentProcess();
    GC.Collect();
    process.Refresh();
    var peakBefore = process.PeakWorkingSet64;
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

    var runs = new List<(double Ms, long Allocated)>();
    ActiveUserSnapshot? snapshot = null;
    for (var run = 0; run < 7; run++) // the first run includes JIT; the other six are steady state
    {
        // Collect between runs (untimed): each run's garbage would otherwise stay resident until the next gen-0 collection
        // and the peak would measure the GC budget, not one aggregation's footprint.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            snapshot = await ActiveUserDetailAggregator.AggregateAsync(file, subscriptions, CancellationToken.None);
        }

        runs.Add((watch.Elapsed.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore));
    }

    process.Refresh();
    GC.Collect();
    var retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
    var steady = runs.Skip(1).ToList();
    var best = steady.Min(r => r.Ms);
    var exchange = snapshot!.Subscriptions.Where(s => s.Workload == Workload.Exchange).ToList();
    Console.WriteLine($"  {users:N0} users, {megabytes:F1} MB ({snapshot.RowsRead:N0} rows, {snapshot.Unattributed.Count} unattributed product/workload rows, " +
        $"Exchange licensed {exchange.Sum(s => s.LicensedUsers):N0} / MAU {exchange.Sum(s => s.ActiveUsers):N0})");
    Console.WriteLine($"    first run (JIT):       {runs[0].Ms,7:F0} ms  {megabytes / (runs[0].Ms / 1000),6:F0} MB/s  allocated {runs[0].Allocated / 1e6,6:F1} MB");
    Console.WriteLine($"    steady, 6 runs:  best {best,7:F0} ms  {megabytes / (best / 1000),6:F0} MB/s  median {Median(steady.Select(r => r.Ms).ToList()),6:F0} ms  " +
        $"allocated {steady.Average(r => r.Allocated) / 1e6,6:F1} MB per run");
    Console.WriteLine($"    peak working set: +{(process.PeakWorkingSet64 - peakBefore) / 1e6:F1} MB over the {peakBefore / 1e6:F1} MB before the first run " +
        $"(process peak {process.PeakWorkingSet64 / 1e6:F1} MB); managed heap retained after the runs: {retained / 1e3:F0} KB");
}

// The tenant of the generated file: pooled Office 365 E3, one of each Microsoft 365 suite, and add-ons without workloads.
static TenantSubscription[] BenchSubscriptions()
{
    HashSet<Workload> suite = [Workload.Exchange, Workload.SharePoint, Workload.Teams, Workload.Yammer, Workload.SkypeForBusiness];
    return
    [
        new(new Guid("00000000-0000-0000-0000-000000000001"), "ENTERPRISEPACK", 40_000, true, suite),
        new(new Guid("00000000-0000-0000-0000-000000000002"), "ENTERPRISEPACK", 25_000, true, suite),
        new(new Guid("00000000-0000-0000-0000-000000000003"), "ENTERPRISEPACK", 5_000, false, suite),
        new(new Guid("00000000-0000-0000-0000-000000000004"), "SPE_E3", 30_000, true, suite),
        new(new Guid("00000000-0000-0000-0000-000000000005"), "SPE_E5", 15_000, true, suite),
        new(new Guid("00000000-0000-0000-0000-000000000006"), "EMSPREMIUM", 15_000, true, new HashSet<Workload>()),
        new(new Guid("00000000-0000-0000-0000-000000000007"), "POWER_BI_PRO", 10_000, true, new HashSet<Workload>()),
        new(new Guid("00000000-0000-0000-0000-000000000008"), "DYN365_ENTERPRISE_SALES", 6_000, true, new HashSet<Workload> { Workload.SharePoint }),
        new(new Guid("00000000-0000-0000-0000-000000000009"), "INTUNE_A", 5_000, true, new HashSet<Workload>()),
    ];
}

// A realistic getOffice365ActiveUserDetail (D30) file as Graph writes it: BOM, CRLF, documented column order, quoted
// display names and multi-product fields (some with commas), ~10 % deleted users, empty and recent dates. Deterministic.
static async Task WriteActiveUserDetailAsync(string path, int users)
{
    var refresh = new DateOnly(2026, 11, 20);
    (string Products, double Share)[] mix =
    [
        ("OFFICE 365 E3", 0.40), ("MICROSOFT 365 E3", 0.20), ("MICROSOFT 365 E5+ENTERPRISE MOBILITY + SECURITY E5", 0.10),
        ("OFFICE 365 E3+POWER BI PRO", 0.10), ("DYNAMICS 365 SALES, ENTERPRISE EDITION+OFFICE 365 E3", 0.05), ("INTUNE", 0.05),
        ("MICROSOFT TEAMS EXPLORATORY", 0.05), ("", 0.05),
    ];
    string[] surnames = ["Smith", "García", "Müller", "O'Brien", "Nguyen", "Kowalski", "Dubois", "Rossi"];
    string[] given = ["Anna", "Ben", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro"];
    var random = new Random(42);
    string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    string Activity() => random.Next(5) == 0 ? "" : Date(refresh.AddDays(-random.Next(0, 45)));
    static string flag(bool on) => on ? "True" : "False";

    await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16) { NewLine = "\r\n" };
    await writer.WriteLineAsync(
        "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Has Exchange License,Has OneDrive License," +
        "Has SharePoint License,Has Skype For Business License,Has Yammer License,Has Teams License,Exchange Last Activity Date," +
        "OneDrive Last Activity Date,SharePoint Last Activity Date,Skype For Business Last Activity Date,Yammer Last Activity Date," +
        "Teams Last Activity Date,Exchange License Assign Date,OneDrive License Assign Date,SharePoint License Assign Date," +
        "Skype For Business License Assign Date,Yammer License Assign Date,Teams License Assign Date,Assigned Products");
    var row = new StringBuilder(512);
    for (var i = 0; i < users; i++)
    {
        var pick = random.NextDouble();
        var products = mix[^1].Products;
        foreach (var (candidate, share) in mix)
        {
            if ((pick -= share) < 0) { products = candidate; break; }
        }

        var suite = products.Contains("365 E", StringComparison.Ordinal) || products.Contains("TEAMS", StringComparison.Ordinal);
        var mail = suite || (products == "INTUNE" && random.Next(2) == 0); // EXCHANGE_S_FOUNDATION shows as an Exchange licence
        var deleted = random.Next(10) == 0;
        var (first, last) = (given[random.Next(given.Length)], surnames[random.Next(surnames.Length)]);
        var assigned = Date(refresh.AddDays(-random.Next(30, 900)));
        row.Clear()
            .Append(Date(refresh)).Append(',')
            .Append(first.ToLowerInvariant()).Append('.').Append(last.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal)).Append(i).Append("@contoso.com,")
            .Append('"').Append(last.Replace("\"", "\"\"", StringComparison.Ordinal)).Append(", ").Append(first).Append("\",")
            .Append(flag(deleted)).Append(',').Append(deleted ? Date(refresh.AddDays(-random.Next(1, 30))) : "").Append(',')
            .Append(flag(mail)).Append(',').Append(flag(suite)).Append(',').Append(flag(suite)).Append(",False,")
            .Append(flag(suite)).Append(',').Append(flag(suite)).Append(',')
            .Append(mail ? Activity() : "").Append(',').Append(suite ? Activity() : "").Append(',').Append(suite ? Activity() : "").Append(",,")
            .Append(suite ? Activity() : "").Append(',').Append(suite ? Activity() : "").Append(',')
            .Append(mail ? assigned : "").Append(',').Append(suite ? assigned : "").Append(',').Append(suite ? assigned : "").Append(",,")
            .Append(suite ? assigned : "").Append(',').Append(suite ? assigned : "").Append(',')
            .Append(products.Contains('+', StringComparison.Ordinal) || products.Contains(',', StringComparison.Ordinal) ? $"\"{products}\"" : products);
        await writer.WriteLineAsync(row);
    }
}

// Issue 4: ingest N sandbox tenants (median 300 users) end to end through a real Hangfire server, the sandbox's throttling
// budget off: tenants per minute, and the share of job time spent writing facts to the database.
static async Task IngestAsync(SandboxFixture sandbox, int tenants)
{
    (await sandbox.Api.PostAsJsonAsync("_sandbox/graph/synthetic-tenants", new { count = tenants, medianUsers = 300, seed = 1 })).EnsureSuccessStatusCode();
    (await sandbox.Api.PutAsJsonAsync("_sandbox/graph/reports/settings", new { budgetEnabled = false })).EnsureSuccessStatusCode();
    var ids = (await sandbox.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("_sandbox/graph/synthetic-tenants"))
        .GetProperty("tenantIds").EnumerateArray().Select(e => e.GetGuid()).Take(tenants).ToList();
    // The run's provider (DPOR_TEST_PROVIDER, as the tests): SQLite by default; on PostgreSQL Hangfire's storage is there too,
    // as a server deployment runs it (DPOR_BENCH_HANGFIRE=InMemory keeps the jobs in memory to compare the database alone).
    using var database = TestDatabase.Create(Directory.CreateTempSubdirectory("dpor-bench-").FullName);
    var hangfire = Environment.GetEnvironmentVariable("DPOR_BENCH_HANGFIRE")
        ?? (database.Provider == DporReports.Core.Data.DatabaseProviders.Sqlite ? "InMemory" : database.Provider);
    var settings = new Dictionary<string, string?>
    {
        ["Database:Provider"] = database.Provider,
        ["Database:ConnectionString"] = database.ConnectionString,
        ["Hangfire:Storage"] = hangfire,
        ["DemoData:Enabled"] = "true",
        // A line per HTTP call and token would cost more than some of what is measured.
        ["Logging:LogLevel:Default"] = "Warning",
    };

    // Set-up (not measured): connect each tenant, pull its inventory, name Adatum partner of record, verify.
    var setup = Stopwatch.StartNew();
    using (var arrange = new DporWebFactory(sandbox, settings))
    {
        _ = arrange.Services; // start the host once, before the parallel set-up uses it
        await arrange.ConnectAssignAndVerifyAsync(ids, "1234567");
        arrange.ClearAll(); // a server storage keeps the first pulls verification queued: only the measured ones run
    }
    Console.WriteLine($"set-up of {ids.Count} tenants (connect, inventory, assign, verify): {setup.Elapsed.TotalSeconds:F0} s");

    var writeMs = 0.0;
    using var listener = new System.Diagnostics.Metrics.MeterListener();
    listener.InstrumentPublished = (instrument, l) =>
    {
        if (instrument.Meter.Name == DporReports.Core.Observability.DporTelemetry.Name && instrument.Name == "dpor.usage.facts.write.duration") l.EnableMeasurementEvents(instrument);
    };
    listener.SetMeasurementEventCallback<double>((_, value, _, _) => { lock (listener) writeMs += value; });
    listener.Start();

    settings["Hangfire:Server:Enabled"] = "true";
    settings["Hangfire:Server:Workers:ingestion"] = "8";
    using var app = new DporWebFactory(sandbox, settings);
    await using (var scope = app.Scope())
    {
        var jobs = scope.ServiceProvider.GetRequiredService<Hangfire.IBackgroundJobClient>();
        var clock = Stopwatch.StartNew();
        foreach (var tenantId in ids) Hangfire.BackgroundJobClientExtensions.Enqueue<PullTenantUsageJob>(jobs, j => j.RunAsync(tenantId, CancellationToken.None));
        var expected = ids.Count * UsageIngestion.DailyReports.Count;
        var db = DporWebFactory.Db(scope);
        int done;
        do
        {
            await Task.Delay(500);
            done = await db.Set<IngestionRun>().CountAsync(r => r.Outcome != IngestionOutcome.Running);
        }
        while (done < expected && clock.Elapsed < TimeSpan.FromMinutes(20));
        var elapsed = clock.Elapsed;
        var runs = await db.Set<IngestionRun>().AsNoTracking().ToListAsync();
        var facts = await db.Set<SubscriptionUsageFact>().CountAsync();
        var jobMs = runs.Sum(r => (double)r.DurationMilliseconds);
        Console.WriteLine($"ingested {ids.Count} tenants ({runs.Count(r => r.Outcome == IngestionOutcome.Succeeded)} of {expected} report pulls succeeded, "
            + $"{runs.Sum(r => r.RowsRead):N0} CSV rows, {facts:N0} subscription facts) through Hangfire (8 workers; database {database.Provider}, jobs {hangfire}):");
        Console.WriteLine($"  wall time {elapsed.TotalSeconds:F1} s = {ids.Count / elapsed.TotalMinutes:F0} tenants per minute");
        Console.WriteLine($"  database writes: {writeMs / 1000:F1} s of {jobMs / 1000:F1} s report-pull time = {100 * writeMs / Math.Max(1, jobMs):F0} %");
        foreach (var failed in runs.Where(r => r.Outcome != IngestionOutcome.Succeeded).GroupBy(r => r.Outcome).Take(5))
            Console.WriteLine($"  {failed.Count()} {failed.Key}: {failed.First().Error}");
    }
}
