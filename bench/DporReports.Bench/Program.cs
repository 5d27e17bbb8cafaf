using System.Diagnostics;
using System.Net.Http.Json;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;

// Benchmarks of DporReports against the local sandbox, on the embedded default (SQLite). Run:
//   dotnet run -c Release --project bench/DporReports.Bench [inventory]
// Figures go into the closing notes of the issues that set the targets.

var which = args.FirstOrDefault() ?? "inventory";
var sandbox = new SandboxFixture();
await sandbox.InitializeAsync();
try
{
    switch (which)
    {
        case "inventory": await InventoryAsync(sandbox); break;
        default: Console.Error.WriteLine($"unknown benchmark '{which}' (known: inventory)"); return 2;
    }
}
finally
{
    await sandbox.DisposeAsync();
}
return 0;

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
