using DporReports.Core.Subscriptions;
using DporReports.Core.Subscriptions.Licensing;

namespace DporReports.UnitTests.Subscriptions;

/// <summary>Every plan of Microsoft's table that looks like a workload's is decided: recognised, or excluded with a reason.</summary>
public sealed class WorkloadPlansTests
{
    private static readonly Lazy<IReadOnlyList<TableSku>> Table = new(() => LicensingTable.ReadShippedAsync(CancellationToken.None).GetAwaiter().GetResult());

    [Fact]
    public void EveryWorkloadLookingPlanOfTheTable_IsRecognisedOrExcludedWithAReason()
    {
        var undecided = Table.Value.SelectMany(s => s.Plans).Select(p => p.Name).Distinct()
            .Where(WorkloadPlans.LooksLikeWorkloadPlan)
            .Where(name => !WorkloadPlans.Recognised.ContainsKey(name) && WorkloadPlans.ExclusionReason(name) is null)
            .ToList();

        Assert.Empty(undecided);
    }

    [Fact]
    public void EveryRecognisedPlan_IsInTheTable_AndNotAlsoExcluded()
    {
        var names = Table.Value.SelectMany(s => s.Plans).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.All(WorkloadPlans.Recognised.Keys, name =>
        {
            Assert.Contains(name, names);
            Assert.Null(WorkloadPlans.ExclusionReason(name));
        });
    }

    [Fact]
    public void EveryWorkload_HasRecognisedPlans_AndEveryExclusionMatchesAPlanOfTheTable()
    {
        Assert.Equal(Enum.GetValues<Workload>().ToHashSet(), WorkloadPlans.Recognised.Values.ToHashSet());
        var names = Table.Value.SelectMany(s => s.Plans).Select(p => p.Name).Distinct().ToList();
        Assert.All(WorkloadPlans.Excluded, e => Assert.Contains(names, n => WorkloadPlans.ExclusionReason(n) == e.Reason));
        Assert.All(WorkloadPlans.Excluded, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }

    [Theory]
    [InlineData("EXCHANGE_S_FOUNDATION")]
    [InlineData("EXCHANGE_S_FOUNDATION_GOV")]
    [InlineData("SHAREPOINTWAC")]
    [InlineData("TEAMS_FREE")]
    [InlineData("MCOEV")]
    [InlineData("ONEDRIVE_BASIC")]
    public void NonDeliveringPlans_AreExcluded(string plan)
    {
        Assert.NotNull(WorkloadPlans.ExclusionReason(plan));
        Assert.False(WorkloadPlans.Recognised.ContainsKey(plan));
    }
}
