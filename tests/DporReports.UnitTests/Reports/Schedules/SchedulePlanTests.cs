using System.Globalization;
using DporReports.Core.Reports.Schedules;

namespace DporReports.UnitTests.Reports.Schedules;

public sealed class SchedulePlanTests
{
    private static readonly TimeZoneInfo Berlin = Zone("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = Zone("America/New_York");

    [Theory]
    [InlineData(ScheduleCadence.Daily, "07:05", null, null, "5 7 * * *")]
    [InlineData(ScheduleCadence.Weekly, "18:30", DayOfWeek.Sunday, null, "30 18 * * 0")]
    [InlineData(ScheduleCadence.Weekly, "00:00", DayOfWeek.Saturday, null, "0 0 * * 6")]
    [InlineData(ScheduleCadence.Monthly, "06:00", null, 28, "0 6 28 * *")]
    public void CronOf_Cadence_IsTheFiveFieldExpressionHangfireRuns(ScheduleCadence cadence, string time, DayOfWeek? day, int? dayOfMonth, string cron) =>
        Assert.Equal(cron, SchedulePlan.CronOf(cadence, TimeOnly.Parse(time, CultureInfo.InvariantCulture), day, dayOfMonth, null));

    [Theory]
    [InlineData(SchedulePeriod.Last7Days, "2026-11-24", "2026-11-18", "2026-11-24")]
    [InlineData(SchedulePeriod.Last28Days, "2026-11-24", "2026-10-28", "2026-11-24")]
    [InlineData(SchedulePeriod.Last90Days, "2026-11-24", "2026-08-27", "2026-11-24")]
    [InlineData(SchedulePeriod.PreviousWeek, "2026-11-23", "2026-11-16", "2026-11-22")] // a Monday
    [InlineData(SchedulePeriod.PreviousWeek, "2026-11-29", "2026-11-16", "2026-11-22")] // the Sunday of that week
    [InlineData(SchedulePeriod.PreviousMonth, "2026-01-01", "2025-12-01", "2025-12-31")]
    [InlineData(SchedulePeriod.PreviousMonth, "2028-03-15", "2028-02-01", "2028-02-29")] // leap year
    public void PeriodOn_Rule_CoversExactlyTheseDays(SchedulePeriod rule, string runDate, string from, string to)
    {
        var period = SchedulePlan.PeriodOn(rule, DateOnly.Parse(runDate, CultureInfo.InvariantCulture));

        Assert.Equal((DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture)), period);
    }

    [Fact]
    public void Next_DailyInNewYorkAcrossTheAutumnChange_StaysAtSevenLocal()
    {
        var next = SchedulePlan.Next("0 7 * * *", NewYork, Utc("2026-10-30T12:00:00Z"), 4);

        Assert.Equal(["2026-10-31T11:00:00Z", "2026-11-01T12:00:00Z", "2026-11-02T12:00:00Z", "2026-11-03T12:00:00Z"], next.Select(Iso));
    }

    /// <summary>02:30 does not exist in Berlin on 28 March 2027 (02:00 jumps to 03:00): the run happens once, when the clock jumps.</summary>
    [Fact]
    public void Next_TimeSkippedBySpringChange_RunsOnceRightAfterTheJump()
    {
        var next = SchedulePlan.Next("30 2 * * *", Berlin, Utc("2027-03-26T12:00:00Z"), 3);

        Assert.Equal(["2027-03-27T01:30:00Z", "2027-03-28T01:00:00Z", "2027-03-29T00:30:00Z"], next.Select(Iso));
        Assert.Equal(new TimeOnly(3, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(next[1], Berlin).DateTime));
    }

    /// <summary>02:30 happens twice in Berlin on 25 October 2026 (03:00 falls back to 02:00): the run happens once, not twice.</summary>
    [Fact]
    public void Next_TimeRepeatedByAutumnChange_RunsOnce()
    {
        var next = SchedulePlan.Next("30 2 * * *", Berlin, Utc("2026-10-24T12:00:00Z"), 3);

        Assert.Equal(["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z"], next.Select(Iso));
    }

    [Fact]
    public void LocalDate_JustAfterMidnightInBerlin_IsTheNextDayThanUtc()
    {
        Assert.Equal(new DateOnly(2026, 11, 1), SchedulePlan.LocalDate(Utc("2026-10-31T23:30:00Z"), Berlin));
        Assert.Equal(new DateOnly(2026, 10, 31), SchedulePlan.LocalDate(Utc("2026-10-31T23:30:00Z"), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("Europe/Berlin", true)]
    [InlineData("America/Argentina/Buenos_Aires", true)]
    [InlineData("UTC", true)]
    [InlineData("Etc/UTC", true)]
    [InlineData("W. Europe Standard Time", false)] // a Windows id: schedules speak IANA
    [InlineData("Europe/Atlantis", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryFindZone_OnlyIanaIds(string? id, bool found) => Assert.Equal(found, SchedulePlan.TryFindZone(id, out _));

    [Theory]
    [InlineData("30 6 * * 1-5", null)]
    [InlineData("0 */2 * * *", null)]
    [InlineData("0 * * * *", null)]
    [InlineData("*/30 * * * *", "more often than once an hour")]
    [InlineData("61 * * * *", "not a five-field cron")]
    [InlineData("0 7 * *", "not a five-field cron")]
    [InlineData("0 0 30 2 *", "never fires")]
    public void CheckCron_RefusesInvalidTooFrequentAndNeverFiring(string cron, string? why)
    {
        var problem = SchedulePlan.CheckCron(cron, Berlin, Utc("2026-11-24T00:00:00Z"));

        if (why is null) Assert.Null(problem);
        else Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    private static TimeZoneInfo Zone(string id) => SchedulePlan.TryFindZone(id, out var zone) ? zone : throw new InvalidOperationException(id);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
