namespace DporReports.Core.Shared;

/// <summary>
/// Dates a request names (an "as of" day, a period's ends), checked before any arithmetic: the bounds keep AddDays and
/// AddMonths inside the calendar (0001-01-01 minus a day throws), and a period never ends after today.
/// </summary>
public static class DateInput
{
    /// <summary>No usage report of Microsoft 365 predates it; every date before it is a mistake.</summary>
    public static readonly DateOnly Earliest = new(2010, 1, 1);

    /// <summary>The longest period a dashboard, an API answer or a workbook covers.</summary>
    public const int MaxPeriodDays = 366;

    /// <summary>Days in a default period (the last 28 days, as Microsoft's MAU).</summary>
    public const int DefaultPeriodDays = 28;

    /// <summary>A single day (e.g. "as of"), today when absent; refused outside <see cref="Earliest"/> … today.</summary>
    public static Outcome<DateOnly> Day(DateOnly? day, DateOnly today, string field)
    {
        var value = day ?? today;
        return value < Earliest || value > today ? OutOfRange(field, today) : value;
    }

    /// <summary>
    /// A period: <paramref name="to"/> defaults to today and <paramref name="from"/> to 28 days ending there; both between
    /// <see cref="Earliest"/> and today, running forward, at most <see cref="MaxPeriodDays"/> days.
    /// </summary>
    public static Outcome<(DateOnly From, DateOnly To)> Period(DateOnly? from, DateOnly? to, DateOnly today, string fromField = "from", string toField = "to")
    {
        if (Day(to, today, toField) is { Problem: { } badTo }) return badTo;
        var until = to ?? today;
        var since = from ?? until.AddDays(1 - DefaultPeriodDays);
        if (since < Earliest || since > today) return OutOfRange(fromField, today);
        if (since > until || until.DayNumber - since.DayNumber > MaxPeriodDays)
            return Problem.Validation(fromField, $"The period must run forward and span at most {MaxPeriodDays} days.");
        return (since, until);
    }

    private static Problem OutOfRange(string field, DateOnly today) =>
        Problem.Validation(field, $"Give a date from {Earliest:yyyy-MM-dd} to today ({today:yyyy-MM-dd}).");
}
