using System.Globalization;
using Cronos;

namespace DporReports.Core.Reports.Schedules;

public enum ScheduleCadence
{
    Daily,
    Weekly,
    Monthly,

    /// <summary>A five-field cron expression of the partner's own, at most hourly.</summary>
    Cron,
}

/// <summary>Which days a run covers, computed from the run's date in the schedule's time zone.</summary>
public enum SchedulePeriod
{
    /// <summary>The 7 days ending on the run's date.</summary>
    Last7Days,

    /// <summary>The 28 days ending on the run's date (Partner Center's MAU window).</summary>
    Last28Days,

    /// <summary>The 90 days ending on the run's date.</summary>
    Last90Days,

    /// <summary>Monday to Sunday of the week before the run's week (ISO weeks).</summary>
    PreviousWeek,

    /// <summary>The calendar month before the run's month.</summary>
    PreviousMonth,
}

/// <summary>
/// The pure arithmetic of schedules: the cron expression Hangfire runs, the period a run covers and the next run times.
/// Time zones are IANA ids; the next occurrences use Cronos, the library Hangfire's own scheduler is built on, so the
/// times shown to a partner are the times Hangfire fires, across daylight-saving changes too (a time skipped by the
/// spring change runs when the clock jumps; a time repeated in autumn runs once).
/// </summary>
public static class SchedulePlan
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromHours(1);

    public static string CronOf(ScheduleCadence cadence, TimeOnly at, DayOfWeek? dayOfWeek, int? dayOfMonth, string? cron) => cadence switch
    {
        ScheduleCadence.Daily => Invariant($"{at.Minute} {at.Hour} * * *"),
        ScheduleCadence.Weekly => Invariant($"{at.Minute} {at.Hour} * * {(int)(dayOfWeek ?? throw new ArgumentNullException(nameof(dayOfWeek)))}"),
        ScheduleCadence.Monthly => Invariant($"{at.Minute} {at.Hour} {dayOfMonth ?? throw new ArgumentNullException(nameof(dayOfMonth))} * *"),
        ScheduleCadence.Cron => cron ?? throw new ArgumentNullException(nameof(cron)),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence)),
    };

    /// <summary>Null when the expression is a valid five-field cron that fires at most hourly; otherwise why not.</summary>
    public static string? CheckCron(string expression, TimeZoneInfo zone, DateTimeOffset now)
    {
        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(expression.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return $"'{expression}' is not a five-field cron expression (minute hour day-of-month month day-of-week): {e.Message}";
        }
        var next = parsed.GetOccurrences(now, now.AddYears(1), zone).Take(25).ToList();
        if (next.Count == 0) return $"'{expression}' never fires within a year.";
        if (next.Zip(next.Skip(1)).Any(p => p.Second - p.First < MinimumInterval))
            return $"'{expression}' fires more often than once an hour; reports are built at most hourly.";
        return null;
    }

    /// <summary>The next run times after <paramref name="after"/>, as instants.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(string cron, TimeZoneInfo zone, DateTimeOffset after, int count) =>
        [.. CronExpression.Parse(cron, CronFormat.Standard).GetOccurrences(after, after.AddYears(2), zone, fromInclusive: false).Take(count)];

    /// <summary>The calendar date at <paramref name="instant"/> in the schedule's zone: a period is about the partner's days.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    public static (DateOnly From, DateOnly To) PeriodOn(SchedulePeriod rule, DateOnly runDate)
    {
        switch (rule)
        {
            case SchedulePeriod.Last7Days: return (runDate.AddDays(-6), runDate);
            case SchedulePeriod.Last28Days: return (runDate.AddDays(-27), runDate);
            case SchedulePeriod.Last90Days: return (runDate.AddDays(-89), runDate);
            case SchedulePeriod.PreviousWeek:
                var monday = runDate.AddDays(-(((int)runDate.DayOfWeek + 6) % 7));
                return (monday.AddDays(-7), monday.AddDays(-1));
            case SchedulePeriod.PreviousMonth:
                var first = new DateOnly(runDate.Year, runDate.Month, 1);
                return (first.AddMonths(-1), first.AddDays(-1));
            default:
                throw new ArgumentOutOfRangeException(nameof(rule));
        }
    }

    /// <summary>
    /// An IANA time zone (e.g. Europe/Berlin, America/New_York, UTC). Windows ids are refused: schedules are shown and
    /// stored in one vocabulary, and the one browsers and partners' calendars use is IANA.
    /// </summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return false;
        if (id is "UTC" or "Etc/UTC") return true;
        if (!TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _)) return false;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
