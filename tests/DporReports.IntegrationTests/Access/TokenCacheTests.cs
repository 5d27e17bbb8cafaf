using System.Text;
using DporReports.Core.Graph;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Access;

/// <summary>
/// The shared token cache: with several hosts, each tenant's app token for Graph lives in the database, encrypted with
/// the shared data-protection keys. Every host asking Entra ID for its own tokens would multiply token requests (Entra
/// throttles them per app) and, with per-host memory, lose them on every restart.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TokenCacheTests(SandboxFixture sandbox)
{
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private static readonly Dictionary<string, string?> InDatabase = new() { ["TokenCache:Store"] = "Database" };

    [Fact]
    public async Task AppToken_AcquiredByOneHost_IsReusedByAnotherHostOnTheSameDatabaseAndStoredEncrypted()
    {
        sandbox.Server.Consents.Grant(Contoso);
        using var first = new DporWebFactory(sandbox, InDatabase);
        var before = AppTokenRequests(Contoso);

        await OrganizationAsync(first, Contoso);
        Assert.Equal(before + 1, AppTokenRequests(Contoso));
        await using (var scope = first.Scope())
        {
            var entries = await DporWebFactory.Db(scope).TokenCacheEntries.AsNoTracking().ToListAsync();
            var entry = Assert.Single(entries, e => e.Key.Contains(Contoso.ToString(), StringComparison.OrdinalIgnoreCase));
            // A JWT starts "eyJ" in base64url; MSAL's cache JSON would hold it verbatim and name its fields.
            var stored = Encoding.UTF8.GetString(entry.Value);
            Assert.DoesNotContain("eyJ", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("AccessToken", stored, StringComparison.Ordinal);
        }

        using var second = new DporWebFactory(sandbox, new Dictionary<string, string?>(InDatabase)
        {
            ["Database:Provider"] = first.Database.Provider,
            ["Database:ConnectionString"] = first.Database.ConnectionString,
        });
        await OrganizationAsync(second, Contoso);
        Assert.Equal(before + 1, AppTokenRequests(Contoso));

        using var elsewhere = new DporWebFactory(sandbox, InDatabase);
        await OrganizationAsync(elsewhere, Contoso);
        Assert.Equal(before + 2, AppTokenRequests(Contoso));
    }

    [Fact]
    public async Task AppToken_InMemoryStore_IsNotWrittenToTheDatabase()
    {
        sandbox.Server.Consents.Grant(Contoso);
        using var host = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["TokenCache:Store"] = "Memory" });

        await OrganizationAsync(host, Contoso);

        await using var scope = host.Scope();
        Assert.Empty(await DporWebFactory.Db(scope).TokenCacheEntries.ToListAsync());
    }

    [Fact]
    public async Task Entry_PastItsAbsoluteExpiry_IsNotReturnedAndSlidingEntriesLiveWhileUsed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        using var host = new DporWebFactory(sandbox, InDatabase) { Clock = clock };
        var cache = host.Services.GetRequiredService<IDistributedCache>();
        await cache.SetAsync("absolute", [1, 2, 3], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(60) });
        await cache.SetAsync("sliding", [4], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(20) });

        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal([1, 2, 3], await cache.GetAsync("absolute"));
        Assert.Equal([4], await cache.GetAsync("sliding"));
        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal([4], await cache.GetAsync("sliding"));
        clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(await cache.GetAsync("absolute"));
        Assert.Null(await cache.GetAsync("sliding"));
    }

    [Fact]
    public async Task Entry_WrittenByTwoHostsAtOnce_KeepsOneRowWithALaterValue()
    {
        using var first = new DporWebFactory(sandbox, InDatabase);
        using var second = new DporWebFactory(sandbox, new Dictionary<string, string?>(InDatabase)
        {
            ["Database:Provider"] = first.Database.Provider,
            ["Database:ConnectionString"] = first.Database.ConnectionString,
        });
        var caches = new[] { first, second }.Select(h => h.Services.GetRequiredService<IDistributedCache>()).ToArray();
        var options = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) };

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => caches[i % 2].SetAsync("shared", [(byte)i], options)));
        await caches[0].RemoveAsync("gone");

        await using var scope = first.Scope();
        var row = await DporWebFactory.Db(scope).TokenCacheEntries.AsNoTracking().SingleAsync();
        Assert.Equal("shared", row.Key);
        Assert.Equal(row.Value, await caches[1].GetAsync("shared"));
        await caches[1].RemoveAsync("shared");
        Assert.Null(await caches[0].GetAsync("shared"));
    }

    [Fact]
    public void Store_Unknown_RefusesToStartNamingTheKey()
    {
        using var host = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["TokenCache:Store"] = "Redis" });

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("TokenCache:Store", error.ToString(), StringComparison.Ordinal);
    }

    private int AppTokenRequests(Guid tenant) => sandbox.Server.TokenLog.Entries.Count(e =>
        e.GrantType == "client_credentials" && e.Error is null && string.Equals(e.Tenant, tenant.ToString(), StringComparison.OrdinalIgnoreCase));

    private static async Task OrganizationAsync(DporWebFactory host, Guid tenant)
    {
        await using var scope = host.Scope();
        var organization = await scope.ServiceProvider.GetRequiredService<GraphClient>().GetOrganizationAsync(tenant, CancellationToken.None);
        Assert.Equal(tenant, organization?.Id);
    }
}
