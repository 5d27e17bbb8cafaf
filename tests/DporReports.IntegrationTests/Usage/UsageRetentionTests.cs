using DporReports.Core.Tenancy;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Usage;

/// <summary>PruneUsageHistoryJob keeps the fact tables bounded: facts older than the retention go, the rest stay untouched.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class UsageRetentionTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;

    public async Task InitializeAsync()
    {
        await _app.VerifiedTenantAsync();
        await _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(Contoso, default));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Prune_FactsOlderThanRetention_DeletesThemKeepsTheRestAndInvalidatesThePartnersPortfolio()
    {
        var retention = new UsageRetentionOptions();
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var daily = await db.Set<TenantDailyUsageFact>().AsNoTracking().Where(f => f.TenantId == Contoso).Select(f => f.Date).ToListAsync();
        var dailyActive = await db.Set<SubscriptionDailyUsageFact>().AsNoTracking().Where(f => f.TenantId == Contoso).Select(f => f.Date).ToListAsync();
        var latest = await db.Set<SubscriptionUsageFact>().AsNoTracking().Where(f => f.TenantId == Contoso).CountAsync();
        var versionBefore = await db.Partners.AsNoTracking().Where(p => p.TenantId == SandboxDirectory.AdatumTenantId).Select(p => p.UsageVersion).SingleAsync();
        // The retention's first kept day falls inside the pulled days of daily active users, so both sides of it exist.
        var firstKept = dailyActive.Max().AddDays(-3);
        Assert.Contains(dailyActive, d => d < firstKept);
        var clock = new FakeTimeProvider(new DateTimeOffset(firstKept.AddDays(retention.FactDays).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        var job = new PruneUsageHistoryJob(db, Options.Create(retention), clock, NullLogger<PruneUsageHistoryJob>.Instance);

        var deleted = await job.RunAsync(default);

        var dailyAfter = await db.Set<TenantDailyUsageFact>().AsNoTracking().Where(f => f.TenantId == Contoso).Select(f => f.Date).ToListAsync();
        var dailyActiveAfter = await db.Set<SubscriptionDailyUsageFact>().AsNoTracking().Where(f => f.TenantId == Contoso).Select(f => f.Date).ToListAsync();
        Assert.Equal(daily.Where(d => d >= firstKept).Order(), dailyAfter.Order());
        Assert.Equal(dailyActive.Where(d => d >= firstKept).Order(), dailyActiveAfter.Order());
        Assert.Equal(latest, await db.Set<SubscriptionUsageFact>().CountAsync(f => f.TenantId == Contoso)); // the refresh date is after firstKept
        // Every run started "now", more than IngestionRunDays before the job's clock.
        Assert.Equal(0, await db.Set<IngestionRun>().CountAsync(r => r.TenantId == Contoso));
        Assert.True(deleted > 0);
        var versionAfter = await db.Partners.AsNoTracking().Where(p => p.TenantId == SandboxDirectory.AdatumTenantId).Select(p => p.UsageVersion).SingleAsync();
        Assert.Equal(versionBefore + 1, versionAfter);
        // The kept portfolio re-reads this tenant alone (issue 13): it is recorded as changed at the partner's new version.
        var adatum = await db.Partners.AsNoTracking().Where(p => p.TenantId == SandboxDirectory.AdatumTenantId).Select(p => p.Id).SingleAsync();
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(adatum);
        Assert.Equal(versionAfter, await db.Set<TenantUsageChange>().AsNoTracking().Where(c => c.TenantId == Contoso).Select(c => c.UsageVersion).SingleAsync());
        Assert.Equal(0, await job.RunAsync(default));
    }

    [Fact]
    public void Start_RetentionBelowTheDashboardsLongestPeriod_FailsWithTheKeyName()
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["UsageRetention:FactDays"] = "30" });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(nameof(UsageRetentionOptions.FactDays), error.Message, StringComparison.Ordinal);
    }
}
