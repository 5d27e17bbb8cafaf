using System.Globalization;
using DporReports.Core.Reports.Schedules;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.PartnerReports;

/// <summary>The schedule form's fields, as posted: the page turns them into the same <see cref="ScheduleInput"/> the API takes.</summary>
public sealed class ScheduleForm
{
    public string? Name { get; set; }
    public string? ReportId { get; set; }
    public string? Period { get; set; } = "previousMonth";
    public string? Cadence { get; set; } = "weekly";
    public string? DayOfWeek { get; set; } = "monday";
    public int? DayOfMonth { get; set; } = 1;
    public string? Time { get; set; } = "07:00";
    public string? TimeZone { get; set; } = "UTC";
    public string? Cron { get; set; }

    /// <summary>One address per line (commas and semicolons work too).</summary>
    public string? Recipients { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The customers covered (comma-separated tenant ids, empty for all), carried in a hidden field: the page offers no
    /// choice, and saving it must keep a scope set through the API rather than widen it to every customer.
    /// </summary>
    public string? Scope { get; set; }

    public ScheduleInput ToInput() => new(Name, ReportId, TenantIds: ScopeIds(), Period, Cadence, TimeZone,
        [.. (Recipients ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], Enabled,
        DayOfWeek, DayOfMonth, Time, Cron);

    public static ScheduleForm Of(ReportSchedule s) => new()
    {
        Name = s.Name,
        ReportId = s.ReportId,
        Period = Camel(s.Period.ToString()),
        Cadence = Camel(s.Cadence.ToString()),
        DayOfWeek = Camel((s.DayOfWeek ?? System.DayOfWeek.Monday).ToString()),
        DayOfMonth = s.DayOfMonth ?? 1,
        Time = s.Cadence == ScheduleCadence.Cron ? "07:00" : s.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture),
        TimeZone = s.TimeZoneId,
        Cron = s.Cadence == ScheduleCadence.Cron ? s.Cron : null,
        Recipients = string.Join("\n", s.RecipientList),
        Enabled = s.Enabled,
        Scope = s.Scope,
    };

    // An id that does not parse becomes the empty id, which the schedule's scope check refuses by name (tenantIds).
    private Guid[] ScopeIds() => [.. (Scope ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(id => Guid.TryParse(id, out var tenant) ? tenant : Guid.Empty)];

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>"Weekly on Monday at 07:00 (Europe/Berlin)" — how a schedule reads in lists, in the reader's language.</summary>
    public static string Describe(ReportSchedule s, IStringLocalizer T) => s.Cadence switch
    {
        ScheduleCadence.Daily => T["Daily at {0} ({1})", At(s), s.TimeZoneId],
        ScheduleCadence.Weekly => T["Weekly on {0} at {1} ({2})", T[s.DayOfWeek?.ToString() ?? ""], At(s), s.TimeZoneId],
        ScheduleCadence.Monthly => T["Monthly on day {0} at {1} ({2})", s.DayOfMonth?.ToString(CultureInfo.InvariantCulture) ?? "", At(s), s.TimeZoneId],
        _ => T["Cron '{0}' ({1})", s.Cron ?? "", s.TimeZoneId],
    };

    public static string DescribePeriod(SchedulePeriod p) => p switch
    {
        SchedulePeriod.Last7Days => "Last 7 days",
        SchedulePeriod.Last28Days => "Last 28 days",
        SchedulePeriod.Last90Days => "Last 90 days",
        SchedulePeriod.PreviousWeek => "Previous week (Monday to Sunday)",
        _ => "Previous calendar month",
    };

    private static string At(ReportSchedule s) => s.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);
}
