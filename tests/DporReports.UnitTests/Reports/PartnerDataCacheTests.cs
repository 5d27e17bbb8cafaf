using DporReports.Core.Reports;
using Microsoft.Extensions.Options;

namespace DporReports.UnitTests.Reports;

/// <summary>The portfolio cache: one computation per (partner, period, day) and data version, however many requests ask.</summary>
public sealed class PartnerDataCacheTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private static readonly PortfolioDataVersion V1 = new(100);
    private readonly PartnerDataCache _cache = new(Options.Create(new PortfolioCacheOptions()));
    private int _computations;

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task GetAsync_TwentyConcurrentRequests_ComputeOnce()
    {
        var release = new TaskCompletionSource();
        var key = Key(Guid.NewGuid());

        var requests = Enumerable.Range(0, 20).Select(_ => _cache.GetAsync(key, V1, _ => ComputeAsync(release.Task), CancellationToken.None)).ToList();
        release.SetResult();
        var portfolios = await Task.WhenAll(requests);

        Assert.Equal(1, _computations);
        Assert.All(portfolios, p => Assert.Same(portfolios[0], p));
    }

    [Fact]
    public async Task GetAsync_SameVersion_ReusesTheEntry_AnotherVersionComputesAgain()
    {
        var key = Key(Guid.NewGuid());

        var first = await _cache.GetAsync(key, V1, _ => ComputeAsync(Task.CompletedTask), CancellationToken.None);
        var again = await _cache.GetAsync(key, V1, _ => ComputeAsync(Task.CompletedTask), CancellationToken.None);
        var changed = await _cache.GetAsync(key, V1 with { UsageVersion = 101 }, _ => ComputeAsync(Task.CompletedTask), CancellationToken.None);

        Assert.Same(first, again);
        Assert.NotSame(first, changed);
        Assert.Equal(2, _computations);
    }

    /// <summary>Issue 13: a newer version updates the kept entry (only the changed customers are read again) rather than starting over.</summary>
    [Fact]
    public async Task GetAsync_NewerVersion_HandsTheKeptEntryToTheComputation()
    {
        var key = Key(Guid.NewGuid());
        var handed = new List<PortfolioState?>();

        var first = await _cache.GetAsync(key, V1, previous => { handed.Add(previous); return ComputeAsync(Task.CompletedTask); }, CancellationToken.None);
        await _cache.GetAsync(key, V1 with { UsageVersion = 101 }, previous => { handed.Add(previous); return ComputeAsync(Task.CompletedTask); },
            CancellationToken.None);

        Assert.Equal([null, first], handed);
    }

    [Fact]
    public async Task GetAsync_AnotherPartner_IsNeverServedThisPartnersEntry()
    {
        var mine = await _cache.GetAsync(Key(Guid.NewGuid()), V1, _ => ComputeAsync(Task.CompletedTask), CancellationToken.None);
        var theirs = await _cache.GetAsync(Key(Guid.NewGuid()), V1, _ => ComputeAsync(Task.CompletedTask), CancellationToken.None);

        Assert.NotSame(mine, theirs);
        Assert.Equal(2, _computations);
    }

    [Fact]
    public async Task GetAsync_FailedComputation_IsNotKept()
    {
        var key = Key(Guid.NewGuid());

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _cache.GetAsync(key, V1, _ => throw new InvalidOperationException("database away"), CancellationToken.None));
        var retried = await _cache.GetAsync(key, V1, _ => ComputeAsync(Task.CompletedTask), CancellationToken.None);

        Assert.Empty(retried.Portfolio.Customers);
        Assert.Equal(1, _computations);
    }

    [Fact]
    public async Task GetAsync_CancelledWaiter_DoesNotCancelTheSharedComputation()
    {
        var release = new TaskCompletionSource();
        var key = Key(Guid.NewGuid());
        using var gone = new CancellationTokenSource();

        var leaving = _cache.GetAsync(key, V1, _ => ComputeAsync(release.Task), gone.Token);
        var staying = _cache.GetAsync(key, V1, _ => ComputeAsync(release.Task), CancellationToken.None);
        await gone.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.NotNull(await staying);
        Assert.Equal(1, _computations);
    }

    private static PartnerDataCache.Key Key(Guid partner) => new(partner, Day.AddDays(-27), Day);

    private async Task<(PortfolioState, string)> ComputeAsync(Task gate)
    {
        Interlocked.Increment(ref _computations);
        await gate;
        return (PortfolioState.Empty(Day.AddDays(-27), Day, V1), "full");
    }
}
