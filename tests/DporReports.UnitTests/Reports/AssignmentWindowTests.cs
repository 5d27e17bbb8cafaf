using DporReports.Core.Reports;

namespace DporReports.UnitTests.Reports;

/// <summary>design.md §2 "What a partner may see": which day a window shows last, on or before a given day.</summary>
public sealed class AssignmentWindowTests
{
    private static readonly DateOnly Day0 = new(2026, 10, 1);

    [Fact]
    public void LatestVisibleOnOrBefore_InsideSuspensions_JumpsBelowAllOfThem()
    {
        // Suspended days 10–14 and 15–19 (back to back), open again from day 20.
        var window = Window(Day0, null, (Day0.AddDays(10), Day0.AddDays(15)), (Day0.AddDays(15), Day0.AddDays(20)));

        Assert.Equal(Day0.AddDays(9), window.LatestVisibleOnOrBefore(Day0.AddDays(17)));
        Assert.Equal(Day0.AddDays(20), window.LatestVisibleOnOrBefore(Day0.AddDays(20)));
        Assert.Equal(Day0.AddDays(9), window.LatestVisibleOnOrBefore(Day0.AddDays(9)));
    }

    [Fact]
    public void LatestVisibleOnOrBefore_AfterTheEnd_IsTheDayBeforeTheEnd_BeforeTheStartNothing()
    {
        var window = Window(Day0, Day0.AddDays(10));

        Assert.Equal(Day0.AddDays(9), window.LatestVisibleOnOrBefore(Day0.AddDays(30)));
        Assert.Null(window.LatestVisibleOnOrBefore(Day0.AddDays(-1)));
    }

    [Fact]
    public void LatestVisibleOnOrBefore_SuspendedSinceTheStartAndStillSuspended_IsNothing()
    {
        var window = Window(Day0, null, (Day0, null));

        Assert.Null(window.LatestVisibleOnOrBefore(Day0.AddDays(40)));
        Assert.False(window.Contains(Day0.AddDays(40)));
    }

    private static AssignmentWindow Window(DateOnly from, DateOnly? until, params (DateOnly From, DateOnly? Until)[] suspensions) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), from, until, suspensions);
}
