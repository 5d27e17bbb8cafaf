using DporReports.Core.Shared;
using DporReports.Core.Tenancy;

namespace DporReports.Core.Reports.Schedules;

/// <summary>A validated schedule, as the partner admin set it (see <see cref="ReportSchedules"/> for the checks).</summary>
public sealed record ScheduleSettings(string Name, string ReportId, IReadOnlyCollection<Guid> TenantIds, SchedulePeriod Period,
    ScheduleCadence Cadence, DayOfWeek? DayOfWeek, int? DayOfMonth, TimeOnly TimeOfDay, string TimeZoneId, string? CustomCron,
    IReadOnlyCollection<string> Recipients, bool Enabled);

/// <summary>
/// A partner's recurring workbook: which report, over which customers and period, when (cadence at a time in an IANA
/// time zone) and to whom. Each enabled schedule is one Hangfire recurring job under <see cref="RecurringJobId"/>.
/// Deleting keeps the row (as deleted) so its runs and the files they produced stay in the partner's history.
/// </summary>
public sealed class ReportSchedule : IPartnerOwned
{
    private ReportSchedule() { }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public string Name { get; private set; } = "";
    public string ReportId { get; private set; } = "";

    /// <summary>Comma-separated tenant ids, or empty for all customers (at run time).</summary>
    public string Scope { get; private set; } = "";

    public SchedulePeriod Period { get; private set; }
    public ScheduleCadence Cadence { get; private set; }
    public DayOfWeek? DayOfWeek { get; private set; }
    public int? DayOfMonth { get; private set; }
    public TimeOnly TimeOfDay { get; private set; }
    public string TimeZoneId { get; private set; } = "";

    /// <summary>The expression Hangfire runs, in <see cref="TimeZoneId"/>: derived from the cadence, or the partner's own.</summary>
    public string Cron { get; private set; } = "";

    /// <summary>Comma-separated plain addresses.</summary>
    public string Recipients { get; private set; } = "";

    public bool Enabled { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = "";
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>Concurrency token: two admins saving the same schedule at once cannot silently overwrite each other.</summary>
    public int Version { get; private set; }

    public string RecurringJobId => JobIdOf(Id);
    public IReadOnlyList<Guid> ScopeTenantIds => [.. Scope.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];
    public IReadOnlyList<string> RecipientList => Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public const string JobIdPrefix = "report-schedule:";

    /// <summary>Hangfire's recurring job id for a schedule: stable for the schedule's life.</summary>
    public static string JobIdOf(Guid scheduleId) => $"{JobIdPrefix}{scheduleId}";

    public static ReportSchedule Create(Guid partnerId, ScheduleSettings settings, string by, DateTimeOffset now)
    {
        var schedule = new ReportSchedule { Id = Guid.NewGuid(), PartnerId = partnerId, CreatedAt = now, CreatedBy = by };
        schedule.Apply(settings, by, now);
        return schedule;
    }

    public void Update(ScheduleSettings settings, string by, DateTimeOffset now)
    {
        Apply(settings, by, now);
        Version++;
    }

    public void Delete(string by, DateTimeOffset now)
    {
        (DeletedAt, Enabled, UpdatedAt, UpdatedBy) = (now, false, now, by);
        Version++;
    }

    private void Apply(ScheduleSettings s, string by, DateTimeOffset now)
    {
        Name = s.Name;
        ReportId = s.ReportId;
        Scope = string.Join(",", s.TenantIds.Order());
        Period = s.Period;
        Cadence = s.Cadence;
        DayOfWeek = s.Cadence == ScheduleCadence.Weekly ? s.DayOfWeek : null;
        DayOfMonth = s.Cadence == ScheduleCadence.Monthly ? s.DayOfMonth : null;
        TimeOfDay = s.Cadence == ScheduleCadence.Cron ? default : s.TimeOfDay;
        TimeZoneId = s.TimeZoneId;
        Cron = SchedulePlan.CronOf(s.Cadence, s.TimeOfDay, s.DayOfWeek, s.DayOfMonth, s.CustomCron);
        Recipients = string.Join(",", s.Recipients);
        Enabled = s.Enabled;
        (UpdatedAt, UpdatedBy) = (now, by);
    }
}

public enum ScheduleRunStatus
{
    Running = 0,
    Done = 1,
    Failed = 2,
}

/// <summary>
/// One run of a schedule for one period. (Schedule, period) is unique, so a run retried by Hangfire, triggered twice or
/// fired on two workers produces one workbook and one mail; a failed run is retried in place.
/// </summary>
public sealed class ReportScheduleRun : IPartnerOwned
{
    private ReportScheduleRun() { }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public Guid ScheduleId { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public ScheduleRunStatus Status { get; private set; }

    /// <summary>"schedule", or who pressed "run now".</summary>
    public string TriggeredBy { get; private set; } = "";

    public int Attempts { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public Guid? GeneratedReportId { get; private set; }
    public int? Rows { get; private set; }
    public long? Size { get; private set; }

    /// <summary>Comma-separated addresses the mail went to.</summary>
    public string Recipients { get; private set; } = "";

    public bool AttachmentIncluded { get; private set; }

    /// <summary>Why the run failed, or what it could not do (e.g. recipients no longer allowed).</summary>
    public string? Problem { get; private set; }

    public IReadOnlyList<string> RecipientList => Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static ReportScheduleRun Start(ReportSchedule schedule, DateOnly from, DateOnly to, string triggeredBy, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        PartnerId = schedule.PartnerId,
        ScheduleId = schedule.Id,
        From = from,
        To = to,
        Status = ScheduleRunStatus.Running,
        TriggeredBy = TextLimits.Cut(triggeredBy),
        Attempts = 1,
        StartedAt = now,
    };

    public void Retry(string triggeredBy, DateTimeOffset now)
    {
        (Status, TriggeredBy, StartedAt, CompletedAt, Problem) = (ScheduleRunStatus.Running, TextLimits.Cut(triggeredBy), now, null, null);
        Attempts++;
    }

    public void Produced(Guid generatedReportId) => GeneratedReportId = generatedReportId;

    public void Complete(int rows, long size, IReadOnlyCollection<string> recipients, bool attachment, string? note, DateTimeOffset now) =>
        (Status, Rows, Size, Recipients, AttachmentIncluded, Problem, CompletedAt) =
        (ScheduleRunStatus.Done, rows, size, string.Join(",", recipients), attachment, note, now);

    public void Fail(string reason, DateTimeOffset now) =>
        (Status, Problem, CompletedAt) = (ScheduleRunStatus.Failed, reason.Length > 1000 ? reason[..1000] : reason, now);
}
