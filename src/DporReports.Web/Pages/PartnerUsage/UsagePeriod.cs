using System.Globalization;
using DporReports.Core.Languages;
using DporReports.Core.Reports;
using DporReports.Core.Shared;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>
/// The dashboards' period: last 28 days (default), last 3 or 6 months, or a calendar month (<c>YYYY-MM</c>). "As of" is the
/// period's last day — today for rolling periods, and at most today for the current month.
/// </summary>
public sealed record UsagePeriod(string Key, string Label, DateOnly From, DateOnly To)
{
    public const string Default = "28d";

    /// <summary>Parses <paramref name="key"/>; an unknown or future value gives the default and an error message.</summary>
    public static UsagePeriod Parse(string? key, DateOnly today, out string? error)
    {
        error = null;
        switch (key)
        {
            case null or "" or Default:
                var (from, to) = PartnerDashboard.DefaultPeriod(today);
                return new(Default, "Last 28 days", from, to);
            case "3m":
                return new("3m", "Last 3 months", today.AddMonths(-3).AddDays(1), today);
            case "6m":
                return new("6m", "Last 6 months", today.AddMonths(-6).AddDays(1), today);
        }
        // Bounded before the month arithmetic below (and the portfolio's month-earlier comparison): 0001-01 would throw.
        if (key.Length == 7 && DateOnly.TryParseExact(key + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            && first >= DateInput.Earliest && first <= today)
        {
            var last = first.AddMonths(1).AddDays(-1);
            return new(key, Language.Month(first), first, last < today ? last : today);
        }
        error = "That period is not one of the choices; showing the last 28 days.";
        return Parse(Default, today, out _);
    }

    /// <summary>The picker's choices: the rolling periods and the last twelve calendar months, newest first.</summary>
    public static IReadOnlyList<(string Key, string Label)> Choices(DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        return
        [
            (Default, "Last 28 days"), ("3m", "Last 3 months"), ("6m", "Last 6 months"),
            .. Enumerable.Range(0, 12).Select(i => month.AddMonths(-i))
                .Select(m => (m.ToString("yyyy-MM", CultureInfo.InvariantCulture), Language.Month(m))),
        ];
    }
}
