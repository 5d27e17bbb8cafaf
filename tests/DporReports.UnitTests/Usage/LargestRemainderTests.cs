using DporReports.Core.Usage;
using static DporReports.UnitTests.Usage.Subscriptions;

namespace DporReports.UnitTests.Usage;

/// <summary>The pooled-seat split of design.md §3: integer parts, proportional to seats, adding up to the whole.</summary>
public sealed class LargestRemainderTests
{
    [Fact]
    public void Split_ExactQuotas_GivesThemUnchanged() =>
        Assert.Equal([2, 4, 6], LargestRemainder.Split(12, [10, 20, 30], [Id(1), Id(2), Id(3)]));

    [Fact]
    public void Split_Remainders_GoToTheLargestOnes()
    {
        // 10 over 1/1/1: quotas 3.33 each, one unit left, to the smallest id.
        Assert.Equal([4, 3, 3], LargestRemainder.Split(10, [1, 1, 1], [Id(1), Id(2), Id(3)]));
        // 5 over 6/3/1: quotas 3, 1.5, 0.5 → floors 3, 1, 0; one left, tie .5/.5 to the smaller id.
        Assert.Equal([3, 2, 0], LargestRemainder.Split(5, [6, 3, 1], [Id(1), Id(2), Id(3)]));
    }

    [Fact]
    public void Split_TieBetweenKeys_DoesNotDependOnInputOrder()
    {
        Assert.Equal([1, 0], LargestRemainder.Split(1, [5, 5], [Id(1), Id(2)]));
        Assert.Equal([0, 1], LargestRemainder.Split(1, [5, 5], [Id(2), Id(1)]));
    }

    [Fact]
    public void Split_AllWeightsZero_SplitsEvenly() =>
        Assert.Equal([3, 2, 2], LargestRemainder.Split(7, [0, 0, 0], [Id(1), Id(2), Id(3)]));

    [Fact]
    public void Split_ZeroWeightBesideOthers_GetsNothing() =>
        Assert.Equal([0, 9], LargestRemainder.Split(9, [0, 4], [Id(1), Id(2)]));

    [Fact]
    public void Split_RandomInputs_PartsAreWithinOneOfTheQuotaAndSumExactly()
    {
        var random = new Random(11);
        for (var round = 0; round < 2000; round++)
        {
            var count = random.Next(1, 8);
            var weights = Enumerable.Range(0, count).Select(_ => (long)random.Next(0, 5000)).ToArray();
            var keys = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
            var total = random.Next(0, 100_000);

            var parts = LargestRemainder.Split(total, weights, keys);

            Assert.Equal(total, parts.Sum());
            var sum = weights.Sum() == 0 ? count : weights.Sum();
            for (var i = 0; i < count; i++)
            {
                var quota = (double)total * (weights.Sum() == 0 ? 1 : weights[i]) / sum;
                Assert.InRange(parts[i], Math.Floor(quota), Math.Floor(quota) + 1);
            }
        }
    }

    [Fact]
    public void Split_HugeSeatCounts_DoesNotOverflow() =>
        Assert.Equal([1_000_000, 1_000_000], LargestRemainder.Split(2_000_000, [int.MaxValue, int.MaxValue], [Id(1), Id(2)]));
}
