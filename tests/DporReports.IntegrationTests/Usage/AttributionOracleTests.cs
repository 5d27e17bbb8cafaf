using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using DporReports.Core.Assignments;
using DporReports.Core.Subscriptions.Licensing;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.VisualBasic.FileIO;

namespace DporReports.IntegrationTests.Usage;

/// <summary>
/// The oracle: a tenant holding 30+ SKUs drawn from Microsoft's table (pooled subscriptions, a name two SKUs share, a
/// trial, a suspended one) and 1,500 users, pulled through the real job. Expected licensed users, MAU, PAU and daily
/// active users are computed here from design.md §3's definitions over the sandbox's own files and inventory — names
/// from the table, workloads from the plans by this test's own reading of the plan names, splits by this test's own
/// largest remainder — never by calling the product's attribution. Every cell must agree.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class AttributionOracleTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly Guid Tenant = SandboxDirectory.WoodgroveTenantId;
    private static readonly string[] Workloads = ["Exchange", "SharePoint", "Teams", "Yammer", "Skype For Business"];
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public async Task InitializeAsync()
    {
        await sandbox.ResetGraphAsync();
        var graph = sandbox.Server.Graph;
        var picked = PickSkus();
        for (var i = 0; i < picked.Count; i++)
        {
            var part = picked[i];
            graph.AddSubscription(Tenant, part, 7 + (i * 13 % 90), isTrial: i == 5);
            if (i % 9 == 0) graph.AddSubscription(Tenant, part, 3 + i); // pooled: two subscriptions of one SKU
        }
        graph.AddSubscription(Tenant, picked[1], 40, status: "Suspended");
        graph.Reports.SetUserCount(Tenant, 1500);
        await _app.ConnectOtherTenantAsync("woodgrove-admin");
        using var admin = await _app.ApiClientAsync("woodgrove-admin");
        (await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = DemoData.AdatumMpnId })).EnsureSuccessStatusCode();
        await _app.RunJobAsync<VerifyAssignmentJob>(j => j.RunAsync(Tenant, default));
        graph.Reports.ResetBudget();
        await _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(Tenant, default));
        graph.Reports.ResetBudget();
    }

    public async Task DisposeAsync()
    {
        await sandbox.ResetGraphAsync();
        sandbox.Server.Graph.Reports.ResetBudget();
        _app.Dispose();
    }

    [Fact]
    public async Task LicensedMauPauAndUsage_EqualTheDefinitions_InEveryCell()
    {
        var inventory = Inventory();
        var rows = await SandboxReports.DownloadAsync(sandbox, Tenant, "getOffice365ActiveUserDetail(period='D30')");
        var refresh = DateOnly.Parse(rows[1]["Report Refresh Date"], CultureInfo.InvariantCulture);
        var expected = Expected(inventory, rows.Skip(1), last => last >= refresh.AddDays(-27) && last <= refresh);

        await using var scope = _app.Scope();
        var facts = await DporWebFactory.Db(scope).Set<SubscriptionUsageFact>().AsNoTracking()
            .Where(f => f.TenantId == Tenant && f.Date == refresh).ToListAsync();
        var actual = facts.ToDictionary(f => (f.SubscriptionId, Name(f.Workload)), f => (f.Seats, f.LicensedUsers, f.ActiveUsers));
        // Users active in the 90 days ending on the refresh date (the "inactive for 90 days" signal's complement).
        var active90 = Expected(inventory, rows.Skip(1), last => last >= refresh.AddDays(-89) && last <= refresh);
        var actual90 = facts.ToDictionary(f => (f.SubscriptionId, Name(f.Workload)), f => f.ActiveUsers90Days);

        Assert.True(inventory.Select(s => s.SkuPartNumber).Distinct().Count() >= 30, "the tenant holds at least 30 SKUs of the table");
        Assert.True(expected.Count >= 100, $"{expected.Count} subscription × workload cells");
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        var differences = expected.Where(e => actual[e.Key] != (e.Value.Pau, e.Value.Licensed, e.Value.Active)).ToList();
        Assert.Empty(differences);
        Assert.DoesNotContain(active90, e => actual90[e.Key] != e.Value.Active);
        Assert.Contains(active90, e => e.Value.Active > expected[e.Key].Active); // some people were last active 28–89 days ago
        // Usage % is MAU / PAU of the same cell, so it agrees where both do; PAU 0 (trial, suspended) has none.
        Assert.Contains(expected, e => e.Value.Pau == 0 && e.Value.Licensed > 0);
        Assert.Contains(expected, e => e.Value.Active > 0);
    }

    [Fact]
    public async Task DailyActiveUsers_EqualTheDefinitions_OnEachPulledDay()
    {
        var inventory = Inventory();
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var days = await db.Set<IngestionRun>().AsNoTracking()
            .Where(r => r.TenantId == Tenant && r.Report == UsageReports.ActiveUserDetailOfDate && r.Outcome == IngestionOutcome.Succeeded)
            .Select(r => r.RefreshDate!.Value).ToListAsync();
        Assert.True(days.Count >= 9, $"{days.Count} days of daily active users pulled within the report budget");

        var cells = 0;
        foreach (var day in days.OrderDescending().Take(3))
        {
            var rows = await SandboxReports.DownloadAsync(sandbox, Tenant, $"getOffice365ActiveUserDetail(date={day:yyyy-MM-dd})");
            var expected = Expected(inventory, rows.Skip(1), last => last == day);
            var actual = (await db.Set<SubscriptionDailyUsageFact>().AsNoTracking().Where(f => f.TenantId == Tenant && f.Date == day).ToListAsync())
                .ToDictionary(f => (f.SubscriptionId, Name(f.Workload)), f => f.ActiveUsers);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            Assert.DoesNotContain(expected, e => actual[e.Key] != e.Value.Active);
            cells += expected.Count;
        }
        Assert.True(cells >= 200, $"{cells} subscription × workload × day cells");
    }

    /// <summary>Per (subscription, workload it carries): PAU, licensed users and active users (MAU, or DAU for a dated file).</summary>
    private static Dictionary<(Guid, string), (int Pau, int Licensed, int Active)> Expected(IReadOnlyList<SandboxGraphSubscription> inventory,
        IEnumerable<Dictionary<string, string>> users, Func<DateOnly, bool> active)
    {
        var names = TableNames();
        var current = inventory;
        // Subscriptions pool by the product name the reports print: Microsoft's display name, which two SKUs may share.
        var pools = current.GroupBy(s => names.GetValueOrDefault(s.SkuPartNumber, s.SkuPartNumber), StringComparer.OrdinalIgnoreCase).ToList();
        var counts = new Dictionary<(string Pool, string Workload), (int Licensed, int Active)>();
        foreach (var user in users.Where(u => u["Is Deleted"] != "True"))
        {
            var held = "+" + user["Assigned Products"] + "+";
            foreach (var pool in pools.Where(p => held.Contains("+" + p.Key + "+", StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var workload in Workloads.Where(w => user[$"Has {w} License"] == "True" && pool.Any(s => Carries(s, w))))
                {
                    var isActive = DateOnly.TryParse(user[$"{workload} Last Activity Date"], CultureInfo.InvariantCulture, out var last) && active(last);
                    var (l, a) = counts.GetValueOrDefault((pool.Key, workload));
                    counts[(pool.Key, workload)] = (l + 1, a + (isActive ? 1 : 0));
                }
            }
        }

        var expected = new Dictionary<(Guid, string), (int, int, int)>();
        foreach (var pool in pools)
        {
            foreach (var workload in Workloads)
            {
                var carrying = pool.Where(s => Carries(s, workload)).ToList();
                if (carrying.Count == 0) continue;
                var (licensed, activeUsers) = counts.GetValueOrDefault((pool.Key, workload));
                var units = carrying.Select(s => s.Status is "Enabled" or "Warning" ? (long)s.TotalLicenses : 0).ToList();
                var l = Split(licensed, units, carrying);
                var a = Split(activeUsers, units, carrying);
                for (var i = 0; i < carrying.Count; i++)
                {
                    var s = carrying[i];
                    var pau = s.Status is "Enabled" or "Warning" && !s.IsTrial ? s.TotalLicenses : 0;
                    expected[(s.Id, workload)] = (pau, l[i], a[i]);
                }
            }
        }
        return expected;
    }

    /// <summary>Hamilton's method: floors of the exact quotas, the rest one each to the largest remainders (ties: smaller id).</summary>
    private static int[] Split(int total, List<long> weights, List<SandboxGraphSubscription> subscriptions)
    {
        var w = weights.Sum() == 0 ? [.. weights.Select(_ => 1L)] : weights;
        var sum = w.Sum();
        var parts = w.Select(x => (int)(total * x / sum)).ToArray();
        var left = total - parts.Sum();
        foreach (var i in Enumerable.Range(0, parts.Length).OrderByDescending(i => total * w[i] % sum).ThenBy(i => subscriptions[i].Id).Take(left))
            parts[i]++;
        return parts;
    }

    /// <summary>This test's reading of which plans give a user each workload (Microsoft's plan names), switched-off plans excluded.</summary>
    private static bool Carries(SandboxGraphSubscription s, string workload) => s.ServiceStatus.Any(p => p.ProvisioningStatus != "Disabled" && workload switch
    {
        "Exchange" => ExchangePlan().IsMatch(p.ServicePlanName),
        "SharePoint" => SharePointPlan().IsMatch(p.ServicePlanName),
        "Teams" => TeamsPlan().IsMatch(p.ServicePlanName),
        "Yammer" => YammerPlan().IsMatch(p.ServicePlanName),
        _ => SkypePlan().IsMatch(p.ServicePlanName),
    });

    private static string Name(Core.Subscriptions.Workload workload) => workload switch
    {
        Core.Subscriptions.Workload.SkypeForBusiness => "Skype For Business",
        _ => workload.ToString(),
    };

    private IReadOnlyList<SandboxGraphSubscription> Inventory() => sandbox.Server.Graph.Subscriptions(Tenant);

    /// <summary>
    /// 32 SKUs of Microsoft's table carrying a workload by this test's reading of their plans, spread over the table
    /// (every few part numbers in order), plus both SKUs named "Microsoft 365 Business Basic".
    /// </summary>
    private static List<string> PickSkus()
    {
        var table = Table();
        var names = TableNames();
        var shared = names.GroupBy(n => n.Value, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).SelectMany(g => g.Select(n => n.Key)).ToHashSet();
        var candidates = table.GroupBy(r => r.Part)
            .Where(g => !shared.Contains(g.Key) && g.Any(r => ExchangePlan().IsMatch(r.Plan) || SharePointPlan().IsMatch(r.Plan)
                || TeamsPlan().IsMatch(r.Plan) || YammerPlan().IsMatch(r.Plan) || SkypePlan().IsMatch(r.Plan)))
            .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var step = Math.Max(1, candidates.Count / 32);
        return [.. candidates.Where((_, i) => i % step == 0).Take(32), "O365_BUSINESS_ESSENTIALS", "SMB_BUSINESS_ESSENTIALS"];
    }

    private static Dictionary<string, string> TableNames() =>
        Table().GroupBy(r => r.Part, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<List<(string Name, string Part, string Plan)>> TableRows = new(() =>
    {
        using var stream = typeof(LicensingTable).Assembly.GetManifestResourceStream(LicensingTable.ResourceName)!;
        using var parser = new TextFieldParser(stream, Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        parser.ReadFields();
        var rows = new List<(string, string, string)>();
        while (!parser.EndOfData)
        {
            var f = parser.ReadFields()!.Select(v => string.Join(' ', v.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToArray();
            rows.Add((f[0].ToUpperInvariant(), f[1], f[3]));
        }
        return rows;
    });

    private static List<(string Name, string Part, string Plan)> Table() => TableRows.Value;

    [GeneratedRegex(@"^EXCHANGE_(S_(ENTERPRISE|STANDARD|DESKLESS|ESSENTIALS)(_GOV|_MIDMARKET)?|L_STANDARD|B_STANDARD)$", RegexOptions.IgnoreCase)]
    private static partial Regex ExchangePlan();

    [GeneratedRegex(@"^(SHAREPOINT(ENTERPRISE|STANDARD|DESKLESS)(_EDU|_GOV|_MIDMARKET)?|SHAREPOINTLITE|SHAREPOINT_S_DEVELOPER|SharePoint Plan 1G)$", RegexOptions.IgnoreCase)]
    private static partial Regex SharePointPlan();

    [GeneratedRegex(@"^(TEAMS1|TEAMS_GOV|TEAMS_AR_(GCCHIGH|DOD)|TEAMS_DESKLESS|TeamsEss|MCO_TEAMS_IW)$", RegexOptions.IgnoreCase)]
    private static partial Regex TeamsPlan();

    [GeneratedRegex(@"^(YAMMER_(ENTERPRISE|EDU|MIDSIZE|BASIC)|VIVAENGAGE_CORE)$", RegexOptions.IgnoreCase)]
    private static partial Regex YammerPlan();

    [GeneratedRegex(@"^MCO(STANDARD(_GOV|_MIDMARKET)?|IMP(_GOV)?|LITE|VOICECONF)$", RegexOptions.IgnoreCase)]
    private static partial Regex SkypePlan();
}
