using DporReports.Core.Data;
using DporReports.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web.TokenCacheProviders.Distributed;

namespace DporReports.Core.Identity;

/// <summary>Where MSAL's token caches (per-tenant app tokens for Graph, signed-in users' tokens) are kept, spelled as <c>TokenCache:Store</c> takes them.</summary>
public static class TokenCacheStores
{
    public const string Memory = "Memory";
    public const string Database = "Database";
    public static readonly IReadOnlyList<string> All = [Memory, Database];

    public static string? Normalize(string? value) => All.FirstOrDefault(s => string.Equals(s, value?.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed class TokenCacheOptions
{
    public const string SectionName = "TokenCache";

    /// <summary>
    /// <c>Memory</c> (one process) or <c>Database</c> (shared by every web and worker host, encrypted with the data-protection
    /// keys, which live in the same database). Unset: <c>Database</c> as soon as Hangfire's storage is a server one, which is
    /// what makes more than one host possible; <c>Memory</c> for the embedded default.
    /// </summary>
    public string? Store { get; set; }

    public static string Resolve(IConfiguration configuration) =>
        TokenCacheStores.Normalize(configuration[$"{SectionName}:{nameof(Store)}"])
        ?? (JobStorages.Normalize(configuration[$"{JobsOptions.SectionName}:{nameof(JobsOptions.Storage)}"]) is null or JobStorages.InMemory
            ? TokenCacheStores.Memory
            : TokenCacheStores.Database);
}

internal sealed class TokenCacheOptionsValidator : IValidateOptions<TokenCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenCacheOptions options) =>
        options.Store is null || TokenCacheStores.Normalize(options.Store) is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{TokenCacheOptions.SectionName}:Store must be one of {string.Join(", ", TokenCacheStores.All)}; it is '{options.Store}'.");
}

public static class TokenCacheModule
{
    /// <summary>
    /// MSAL's token caches through Identity.Web's distributed adapter, over this process's memory or the product database.
    /// In the database every host reuses a tenant's app token instead of asking Entra ID for its own (Entra throttles
    /// token requests per app), and the entries are encrypted with the shared data-protection keys.
    /// </summary>
    public static IServiceCollection AddTokenCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TokenCacheOptions>().BindConfiguration(TokenCacheOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenCacheOptions>, TokenCacheOptionsValidator>();
        services.AddDistributedTokenCaches();
        if (TokenCacheOptions.Resolve(configuration) == TokenCacheStores.Database)
        {
            services.AddSingleton<IDistributedCache, DatabaseDistributedCache>();
            services.Configure<MsalDistributedTokenCacheAdapterOptions>(o => o.Encrypt = true);
        }
        else
        {
            services.AddDistributedMemoryCache();
        }
        return services;
    }
}

/// <summary>One entry of the shared token cache: MSAL's serialized cache for one key (an app and tenant, or a user).</summary>
public sealed class TokenCacheEntry
{
    public const int KeyLength = 400;

    public TokenCacheEntry(string key, byte[] value, DateTimeOffset expiresAt, long? slidingSeconds, DateTimeOffset? absoluteExpiresAt)
    {
        Key = key;
        Value = value;
        ExpiresAt = expiresAt;
        SlidingSeconds = slidingSeconds;
        AbsoluteExpiresAt = absoluteExpiresAt;
    }

    public string Key { get; private set; }
    public byte[] Value { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public long? SlidingSeconds { get; private set; }
    public DateTimeOffset? AbsoluteExpiresAt { get; private set; }
}

internal sealed class TokenCacheEntryConfiguration : IEntityTypeConfiguration<TokenCacheEntry>
{
    public void Configure(EntityTypeBuilder<TokenCacheEntry> builder)
    {
        builder.HasKey(e => e.Key);
        builder.Property(e => e.Key).HasMaxLength(TokenCacheEntry.KeyLength);
        builder.HasIndex(e => e.ExpiresAt);
    }
}

/// <summary>
/// <see cref="IDistributedCache"/> over the product database, for Identity.Web's token cache adapter. Entries expire as
/// asked (absolute and sliding); expired ones are never returned and are swept now and then. Two hosts writing one key
/// at once both succeed, the later value wins (it is the same tenant's newer token).
/// </summary>
internal sealed class DatabaseDistributedCache(IServiceScopeFactory scopes, TimeProvider clock) : IDistributedCache
{
    // MSAL's adapter always passes an expiry; this only bounds an entry written without one.
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(10);
    private long _lastSweepTicks;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DporDbContext>();
        var now = clock.GetUtcNow();
        var entry = await db.TokenCacheEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Key == key, token);
        if (entry is null || entry.ExpiresAt <= now) return null;
        if (entry.SlidingSeconds is { } sliding) await SlideAsync(db, entry.Key, sliding, entry.AbsoluteExpiresAt, now, token);
        return entry.Value;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > TokenCacheEntry.KeyLength) throw new ArgumentException($"Token cache keys are at most {TokenCacheEntry.KeyLength} characters.", nameof(key));
        var now = clock.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? (now + options.AbsoluteExpirationRelativeToNow);
        var sliding = options.SlidingExpiration;
        var expiresAt = sliding is { } s ? Earliest(now + s, absolute) : absolute ?? now + DefaultLifetime;
        long? slidingSeconds = sliding is { } t ? (long)t.TotalSeconds : null;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DporDbContext>();
        await SweepAsync(db, now, token);
        if (await UpdateAsync(db, key, value, expiresAt, slidingSeconds, absolute, token) > 0) return;
        db.TokenCacheEntries.Add(new TokenCacheEntry(key, value, expiresAt, slidingSeconds, absolute));
        try
        {
            await db.SaveChangesAsync(token);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another host inserted the key in between: write over it.
            db.ChangeTracker.Clear();
            await UpdateAsync(db, key, value, expiresAt, slidingSeconds, absolute, token);
        }
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default) => await GetAsync(key, token);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DporDbContext>();
        await db.TokenCacheEntries.Where(e => e.Key == key).ExecuteDeleteAsync(token);
    }

    private static Task<int> UpdateAsync(DporDbContext db, string key, byte[] value, DateTimeOffset expiresAt, long? slidingSeconds,
        DateTimeOffset? absolute, CancellationToken ct) =>
        db.TokenCacheEntries.Where(e => e.Key == key).ExecuteUpdateAsync(u => u
            .SetProperty(e => e.Value, value)
            .SetProperty(e => e.ExpiresAt, expiresAt)
            .SetProperty(e => e.SlidingSeconds, slidingSeconds)
            .SetProperty(e => e.AbsoluteExpiresAt, absolute), ct);

    private static Task<int> SlideAsync(DporDbContext db, string key, long slidingSeconds, DateTimeOffset? absolute, DateTimeOffset now,
        CancellationToken ct)
    {
        var expiresAt = Earliest(now + TimeSpan.FromSeconds(slidingSeconds), absolute);
        return db.TokenCacheEntries.Where(e => e.Key == key).ExecuteUpdateAsync(u => u.SetProperty(e => e.ExpiresAt, expiresAt), ct);
    }

    private async Task SweepAsync(DporDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < SweepEvery.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last) return;
        await db.TokenCacheEntries.Where(e => e.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset? b) => b is { } x && x < a ? x : a;
}
