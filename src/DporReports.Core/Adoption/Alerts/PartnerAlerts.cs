using System.Globalization;
using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Shared;
using DporReports.Core.Tenancy;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Adoption.Alerts;

/// <summary>
/// What a partner admin sends to set the alerts. Thresholds are percentages (30 = 30 %); null switches that reason off.
/// The settings are replaced whole, so <see cref="Enabled"/> is required (an absent one would silently switch them).
/// </summary>
public sealed record AlertSettingsInput(bool? Enabled, decimal? LowUsageBelowPercent, int? LowUsageMinSeats, decimal? FallingMauByPercent,
    decimal? CopilotUsageBelowPercent, IReadOnlyList<string>? Recipients, string? DayOfWeek, string? Time, string? TimeZone);

/// <summary>
/// The signed-in partner's alert settings and digest history (API and page alike): validation, storage, and the Hangfire
/// recurring job of the weekly digest, which follows the settings. Everything is partner-scoped.
/// </summary>
public sealed class PartnerAlerts(DporDbContext db, PartnerScope scope, ReportSchedules schedules, IRecurringJobManager recurring, TimeProvider clock)
{
    public const int MaxMinSeats = 1_000_000;

    /// <summary>The saved settings, or null when the partner never saved any (<see cref="AlertSettings.Defaults"/> apply).</summary>
    public Task<AlertSettings?> FindAsync(CancellationToken ct) => db.Set<AlertSettings>().AsNoTracking().SingleOrDefaultAsync(ct);

    public Task<List<AlertDigest>> DigestsAsync(CancellationToken ct) =>
        db.Set<AlertDigest>().AsNoTracking().OrderByDescending(d => d.WeekStart).Take(52).ToListAsync(ct);

    /// <summary>Replaces the settings; with <paramref name="version"/>, refuses if someone saved them in between.</summary>
    public async Task<Outcome<AlertSettings>> SaveAsync(AlertSettingsInput input, int? version, SignedInUser user, CancellationToken ct)
    {
        var settings = await db.Set<AlertSettings>().SingleOrDefaultAsync(ct);
        if (version is { } expected && expected != (settings?.Version ?? 0)) return Changed;
        await schedules.LearnDomainAsync(user, ct);
        var values = await ValidateAsync(input, ct);
        if (values.Problem is { } problem) return problem;
        if (settings is null)
        {
            settings = AlertSettings.Create(scope.PartnerId, values.Value!, user.DisplayName, clock.GetUtcNow());
            db.Add(settings);
        }
        else settings.Update(values.Value!, user.DisplayName, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another admin saved first (the version, or the first row's key): reload and try again.
            return Changed;
        }
        Register(recurring, settings);
        return settings;
    }

    /// <summary>The next digest times (none while off).</summary>
    public IReadOnlyList<DateTimeOffset> NextDigests(AlertSettings? settings, int count) =>
        settings is { Enabled: true } ? SchedulePlan.Next(settings.Cron, Zone(settings), clock.GetUtcNow(), count) : [];

    public static TimeZoneInfo Zone(AlertSettings settings) =>
        SchedulePlan.TryFindZone(settings.TimeZoneId, out var zone) ? zone : throw new InvalidOperationException(
            $"The alert settings of partner {settings.PartnerId} have time zone '{settings.TimeZoneId}', which this machine does not know.");

    /// <summary>The Monday of the week <paramref name="day"/> lies in (ISO weeks): a digest's week.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>Creates, updates or removes the partner's weekly digest job to match its settings.</summary>
    internal static void Register(IRecurringJobManager recurring, AlertSettings settings)
    {
        var id = AlertSettings.JobIdOf(settings.PartnerId);
        if (!settings.Enabled)
        {
            recurring.RemoveIfExists(id);
            return;
        }
        var partnerId = settings.PartnerId;
        recurring.AddOrUpdate(id, Job.FromExpression<SendAlertDigestJob>(j => j.RunAsync(partnerId, CancellationToken.None)), settings.Cron,
            new RecurringJobOptions { TimeZone = Zone(settings) });
    }

    private async Task<Outcome<AlertThresholds>> ValidateAsync(AlertSettingsInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        if (input.Enabled is null) Error("enabled", "Say whether the weekly digest is on (true) or off (false).");

        var lowUsage = Fraction(input.LowUsageBelowPercent, "lowUsageBelowPercent",
            "Give the usage % below which a subscription is alerted, from 1 to 100, or null to switch it off.");
        var minSeats = input.LowUsageMinSeats ?? 0;
        if (lowUsage is not null && input.LowUsageMinSeats is not (>= 1 and <= MaxMinSeats))
            Error("lowUsageMinSeats", $"Give the fewest seats a subscription needs for a low-usage alert, from 1 to {MaxMinSeats}.");
        var falling = Fraction(input.FallingMauByPercent, "fallingMauByPercent",
            "Give the fall of monthly active users (in % against a month earlier) that is alerted, from 1 to 100, or null to switch it off.");
        var copilot = Fraction(input.CopilotUsageBelowPercent, "copilotUsageBelowPercent",
            "Give the Copilot usage % below which a subscription is alerted, from 1 to 100, or null to switch it off.");
        if (input.Enabled == true && input.LowUsageBelowPercent is null && input.FallingMauByPercent is null && input.CopilotUsageBelowPercent is null)
            Error("lowUsageBelowPercent", "Switch at least one alert on (low usage, falling usage or low Copilot usage), or turn the digest off.");

        var recipients = ReportSchedules.CleanRecipients(input.Recipients);
        // A digest that is off may keep no recipients; one that is on needs them, checked as schedules check theirs.
        if ((input.Enabled == true || recipients.Count > 0) && await schedules.RefuseRecipientsAsync(recipients, ct) is { } refusal)
            Error("recipients", refusal);

        if (!Enum.TryParse<DayOfWeek>(input.DayOfWeek?.Trim(), ignoreCase: true, out var day) || !Enum.IsDefined(day) || int.TryParse(input.DayOfWeek, out _))
            Error("dayOfWeek", "The weekly digest needs a day of the week (monday … sunday).");
        if (!TimeOnly.TryParseExact(input.Time ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            Error("time", "Give the time of day as HH:mm on a 24-hour clock, e.g. 07:30.");
        if ((input.TimeZone?.Length ?? 0) > ScheduleLimits.TimeZone || !SchedulePlan.TryFindZone(input.TimeZone, out _))
            Error("timeZone", $"{InputText.Quote(input.TimeZone)} is not an IANA time zone; use e.g. Europe/Berlin, America/New_York or UTC.");

        if (errors.Count > 0)
            return new Problem(400, "validation", string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        return new AlertThresholds(input.Enabled!.Value, lowUsage, lowUsage is null ? Math.Max(0, minSeats) : minSeats, falling, copilot,
            [.. recipients.Select(r => r.ToLowerInvariant())], day, time, input.TimeZone!);

        decimal? Fraction(decimal? percent, string field, string message)
        {
            if (percent is null) return null;
            // Hundredths of a percent at most: the column keeps four decimals of the fraction.
            if (percent is < 1 or > 100 || decimal.Round(percent.Value, 2) != percent.Value)
            {
                Error(field, message);
                return null;
            }
            return percent.Value / 100m;
        }
    }

    private static Problem Changed => Problem.Conflict("alerts_changed", "Someone changed the alert settings in the meantime; reload them and try again.");
}
