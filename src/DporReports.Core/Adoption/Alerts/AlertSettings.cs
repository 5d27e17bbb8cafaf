using DporReports.Core.Reports.Schedules;
using DporReports.Core.Tenancy;

namespace DporReports.Core.Adoption.Alerts;

/// <summary>A validated set of alert settings, as a partner admin saved them (see <see cref="PartnerAlerts"/> for the checks).</summary>
public sealed record AlertThresholds(bool Enabled, decimal? LowUsageBelow, int LowUsageMinSeats, decimal? FallingMauBy, decimal? CopilotUsageBelow,
    IReadOnlyCollection<string> Recipients, DayOfWeek DayOfWeek, TimeOnly TimeOfDay, string TimeZoneId);

/// <summary>
/// A partner's alerts: which "where to help" reasons it wants to hear about, at which thresholds, and when (a weekly digest at
/// a time in an IANA zone) to whom. One row per partner; no row means alerts were never set (off, with the defaults).
/// Thresholds are fractions (0.30 = 30 %), as <see cref="HelpRules"/> holds them; null switches a reason off.
/// </summary>
public sealed class AlertSettings : IPartnerOwned
{
    private AlertSettings() { }

    public Guid PartnerId { get; private set; }
    public bool Enabled { get; private set; }
    public decimal? LowUsageBelow { get; private set; }
    public int LowUsageMinSeats { get; private set; }
    public decimal? FallingMauBy { get; private set; }
    public decimal? CopilotUsageBelow { get; private set; }

    /// <summary>Comma-separated plain addresses.</summary>
    public string Recipients { get; private set; } = "";

    public DayOfWeek DayOfWeek { get; private set; }
    public TimeOnly TimeOfDay { get; private set; }
    public string TimeZoneId { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = "";

    /// <summary>Concurrency token: two admins saving at once cannot silently overwrite each other.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<string> RecipientList => Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The cron Hangfire runs in <see cref="TimeZoneId"/>: weekly, on the day at the time.</summary>
    public string Cron => SchedulePlan.CronOf(ScheduleCadence.Weekly, TimeOfDay, DayOfWeek, null, null);

    public const string JobIdPrefix = "alert-digest:";

    /// <summary>Hangfire's recurring job id of a partner's digest: one per partner, stable.</summary>
    public static string JobIdOf(Guid partnerId) => $"{JobIdPrefix}{partnerId}";

    /// <summary>What an unsaved partner sees: off, the example thresholds, Monday 08:00 UTC, no recipients.</summary>
    public static AlertThresholds Defaults { get; } = new(false, 0.30m, 50, 0.20m, 0.25m, [], DayOfWeek.Monday, new TimeOnly(8, 0), "UTC");

    public static AlertSettings Create(Guid partnerId, AlertThresholds values, string by, DateTimeOffset now)
    {
        // Version 1: 0 stands for "never saved", so a stale form of the defaults cannot overwrite the first save.
        var settings = new AlertSettings { PartnerId = partnerId, Version = 1 };
        settings.Apply(values, by, now);
        return settings;
    }

    public void Update(AlertThresholds values, string by, DateTimeOffset now)
    {
        Apply(values, by, now);
        Version++;
    }

    public AlertThresholds Values => new(Enabled, LowUsageBelow, LowUsageMinSeats, FallingMauBy, CopilotUsageBelow, RecipientList, DayOfWeek, TimeOfDay,
        TimeZoneId);

    /// <summary>
    /// The "where to help" rule with the partner's thresholds: low usage, falling MAU and low Copilot usage as set; the other
    /// reasons (unassigned seats, inactive users, renewals) are not alerted on.
    /// </summary>
    public HelpRules Rules => RulesOf(Values);

    public static HelpRules RulesOf(AlertThresholds t) => HelpRules.Default with
    {
        LowUsageBelow = t.LowUsageBelow,
        LowUsageMinSeats = t.LowUsageMinSeats,
        FallingMauBy = t.FallingMauBy,
        CopilotUsageBelow = t.CopilotUsageBelow,
        UnassignedShare = null,
        InactiveShare = null,
        RenewalWithinDays = null,
    };

    private void Apply(AlertThresholds t, string by, DateTimeOffset now)
    {
        (Enabled, LowUsageBelow, LowUsageMinSeats, FallingMauBy, CopilotUsageBelow) = (t.Enabled, t.LowUsageBelow, t.LowUsageMinSeats, t.FallingMauBy,
            t.CopilotUsageBelow);
        Recipients = string.Join(",", t.Recipients);
        (DayOfWeek, TimeOfDay, TimeZoneId) = (t.DayOfWeek, t.TimeOfDay, t.TimeZoneId);
        (UpdatedAt, UpdatedBy) = (now, Shared.TextLimits.Cut(by));
    }
}
