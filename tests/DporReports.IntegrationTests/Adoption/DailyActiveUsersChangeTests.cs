using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Adoption;

/// <summary>
/// "dailyActiveUsersChange" (reports/README.md) is read two ways: the database sums the 56 days of a subscription whose
/// windows show them all, and the rows of one whose windows cut them are filtered here. One tenant holds both kinds —
/// windows showing the whole span on two different usage days, one begun inside the span, one suspended inside it — with
/// gaps, and days before the span and after the usage day that must not count; every figure, the partner's and the
/// customer's own (every day visible), is compared to the definition worked out here from the seeded rows.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DailyActiveUsersChangeTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = TimeProvider.System.GetUtcNow();
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private static readonly Workload[] Workloads = [Workload.Exchange, Workload.Teams];

    /// <summary>Each subscription's usage day, and the days its partner's window shows.</summary>
    private readonly List<(Guid Id, DateOnly Usage, Func<DateOnly, bool> Visible)> _subscriptions = [];
    private readonly Dictionary<(Guid, Workload), List<(DateOnly Day, int Users)>> _daily = [];
    private DporWebFactory _app = null!;

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        if (!await db.CustomerTenants.AnyAsync(t => t.Id == Contoso)) db.Add(CustomerTenant.Create(Contoso, "Contoso Ltd"));
        var adatum = await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId);
        var random = new Random(20261203);

        // Whole span on the usual usage day (two days back) and on one three days older; begun 30 days ago; suspended
        // from 40 to 35 days ago inside a window verified 90 days ago.
        Seed(db, random, adatum, verifiedDaysAgo: 90, usage: Day0.AddDays(-2), suspended: null);
        Seed(db, random, adatum, verifiedDaysAgo: 90, usage: Day0.AddDays(-5), suspended: null);
        Seed(db, random, adatum, verifiedDaysAgo: 30, usage: Day0.AddDays(-2), suspended: null);
        Seed(db, random, adatum, verifiedDaysAgo: 90, usage: Day0.AddDays(-2), suspended: (40, 35));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DailyActiveUsersChange_WholeSpanAndWindowCutSubscriptions_EqualTheDefinition_ForPartnerAndCustomer()
    {
        using var partner = await _app.ApiClientAsync("adatum-admin");
        using var customer = await _app.ApiClientAsync("contoso-reader");

        var partners = (await partner.GetFromJsonAsync<JsonElement>("/api/partner/adoption")).EnumerateArray().ToList();
        var owns = (await customer.GetFromJsonAsync<JsonElement>("/api/customer/adoption")).GetProperty("subscriptions").EnumerateArray().ToList();

        foreach (var (id, usage, visible) in _subscriptions)
        {
            foreach (var workload in Workloads)
            {
                var expected = Changes(id, workload, usage, visible);
                Assert.Equal(expected, Changes(partners, id, workload));
                Assert.Equal(Changes(id, workload, usage, _ => true), Changes(owns, id, workload));
            }
        }
        // The cut windows matter: their partner figures differ from the customer's, which count the hidden days too.
        Assert.All(_subscriptions.Skip(2), s => Assert.NotEqual(Changes(s.Id, Workload.Teams, s.Usage, s.Visible), Changes(s.Id, Workload.Teams, s.Usage, _ => true)));
    }

    private void Seed(Core.Data.DporDbContext db, Random random, Core.Partners.Partner adatum, int verifiedDaysAgo, DateOnly usage,
        (int From, int Until)? suspended)
    {
        var id = Guid.NewGuid();
        var subscription = Subscription.Discover(id, Contoso, T0.AddDays(-200));
        subscription.Refresh($"{id:N}"[..12], Guid.NewGuid(), "ENTERPRISEPACK", SubscriptionStatus.Enabled, 100, isTrial: false, T0.AddDays(-200), [],
            0, ProductCatalog.Microsoft, T0.AddDays(100));
        var verified = T0.AddDays(-verifiedDaysAgo);
        var assignment = Assignment.Start(Contoso, id, adatum.Id, DemoData.AdatumMpnId, new Actor(Guid.NewGuid(), Guid.NewGuid(), "Seeder"), qualified: true, verified);
        assignment.Verify(verified);
        db.AddRange(subscription, assignment);
        var (visibleFrom, hiddenFrom, hiddenUntil) = (Day0.AddDays(-verifiedDaysAgo), DateOnly.MaxValue, DateOnly.MaxValue);
        if (suspended is { } suspension)
        {
            (Guid, Guid, string)? self = (assignment.Id, adatum.Id, adatum.DisplayName);
            db.Add(AssignmentEvent.Record(AssignmentEventKind.Suspended, Contoso, id, Actor.System, T0.AddDays(-suspension.From), self, self));
            db.Add(AssignmentEvent.Record(AssignmentEventKind.Resumed, Contoso, id, Actor.System, T0.AddDays(-suspension.Until), self, self));
            (hiddenFrom, hiddenUntil) = (Day0.AddDays(-suspension.From), Day0.AddDays(-suspension.Until));
        }
        _subscriptions.Add((id, usage, day => day >= visibleFrom && !(day >= hiddenFrom && day < hiddenUntil)));

        foreach (var workload in Workloads)
        {
            db.Add(SubscriptionUsageFact.Of(Contoso, usage, new SubscriptionWorkloadUsage(id, workload, 100, 90, 50, 60)));
            // 60 days before the usage day (4 before the span) and 2 after it, about one in six missing; outside the span, huge.
            var days = Enumerable.Range(-2, 62).Where(_ => random.Next(6) != 0)
                .Select(back => (Day: usage.AddDays(-back), Users: back is < 0 or >= 56 ? random.Next(5_000, 9_000) : random.Next(1, 80))).ToList();
            _daily[(id, workload)] = days;
            foreach (var (day, users) in days)
                db.Add(SubscriptionDailyUsageFact.Of(Contoso, day, new SubscriptionWorkloadUsage(id, workload, 0, 0, users)));
        }
    }

    /// <summary>Week over week and month over month from the definition: the means of the visible days with a figure.</summary>
    private (decimal?, decimal?) Changes(Guid id, Workload workload, DateOnly usage, Func<DateOnly, bool> visible)
    {
        decimal? Mean(int toBack, int fromBack)
        {
            var days = _daily[(id, workload)].Where(d => d.Day >= usage.AddDays(-fromBack) && d.Day <= usage.AddDays(-toBack) && visible(d.Day)).ToList();
            return days.Count == 0 ? null : Math.Round((decimal)days.Sum(d => d.Users) / days.Count, 2);
        }
        static decimal? Rate(decimal? now, decimal? before) => now is { } n && before is { } b && b != 0 ? Math.Round((n - b) / b, 4) : null;
        return (Rate(Mean(0, 6), Mean(7, 13)), Rate(Mean(0, 27), Mean(28, 55)));
    }

    private static (decimal?, decimal?) Changes(List<JsonElement> subscriptions, Guid id, Workload workload)
    {
        var signals = subscriptions.Single(s => s.GetProperty("subscriptionId").GetGuid() == id).GetProperty("workloads").EnumerateArray()
            .Single(w => w.GetProperty("workload").GetString() == workload.ToString());
        decimal? Value(string name) => signals.GetProperty(name).ValueKind == JsonValueKind.Null ? null : signals.GetProperty(name).GetDecimal();
        return (Value("dailyActiveUsersChangeWeek"), Value("dailyActiveUsersChangeMonth"));
    }
}
