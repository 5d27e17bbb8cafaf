using DporReports.Core.Reports;
using Microsoft.Extensions.Logging.Abstractions;

namespace DporReports.UnitTests.Reports;

/// <summary>Background snapshot writes: one per partner and period at a time, one at a time in all, and a failing one never escapes.</summary>
public sealed class PortfolioSnapshotWritesTests
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private readonly PortfolioSnapshotWrites _writes = new(NullLogger<PortfolioSnapshotWrites>.Instance);

    [Fact]
    public async Task TryStart_WhileOneRunsForTheSamePeriod_SkipsTheSecond_AndStartsAgainOnceDone()
    {
        var key = Key(Guid.NewGuid());
        var release = new TaskCompletionSource();
        var written = 0;

        Assert.True(_writes.TryStart(key, async () => { await release.Task; Interlocked.Increment(ref written); }));
        Assert.False(_writes.TryStart(key, () => { Interlocked.Increment(ref written); return Task.CompletedTask; }));
        Assert.True(_writes.TryStart(Key(Guid.NewGuid()), () => Task.CompletedTask)); // another partner's period is not skipped
        release.SetResult();
        await _writes.WrittenAsync(key).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, written);
        Assert.True(_writes.TryStart(key, () => Task.CompletedTask));
    }

    [Fact]
    public async Task TryStart_ManyPeriods_WritesOneAfterAnother()
    {
        var (running, most) = (0, 0);
        var gate = new Lock();
        var keys = Enumerable.Range(0, 5).Select(_ => Key(Guid.NewGuid())).ToList();

        foreach (var key in keys)
            Assert.True(_writes.TryStart(key, async () =>
            {
                lock (gate) most = Math.Max(most, ++running);
                await Task.Delay(20);
                lock (gate) running--;
            }));
        await Task.WhenAll(keys.Select(_writes.WrittenAsync)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, most);
    }

    [Fact]
    public async Task TryStart_WriteFails_IsLoggedNotThrown_AndTheNextOneStarts()
    {
        var key = Key(Guid.NewGuid());

        Assert.True(_writes.TryStart(key, () => throw new InvalidOperationException("database away")));
        await _writes.WrittenAsync(key).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(_writes.TryStart(key, () => Task.CompletedTask));
    }

    private static PartnerDataCache.Key Key(Guid partner) => new(partner, Day.AddDays(-27), Day);
}
