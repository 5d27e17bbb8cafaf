using System.Globalization;
using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Notifications;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Shared;
using DporReports.Core.Tenancy;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Reports.Schedules;

/// <summary>What a partner admin sends to create or change a schedule; every field is checked and named when wrong.</summary>
/// <remarks>A schedule is replaced whole, so every member it keeps is required (an absent one would silently widen the scope or
/// switch it back on); only the members that depend on the cadence may be left out.</remarks>
public sealed record ScheduleInput(string? Name, string? ReportId, IReadOnlyList<Guid>? TenantIds, string? Period, string? Cadence,
    string? TimeZone, IReadOnlyList<string>? Recipients, bool? Enabled, string? DayOfWeek = null, int? DayOfMonth = null, string? Time = null,
    string? Cron = null);

/// <summary>
/// The signed-in partner's report schedules (API and pages alike): validation, storage, and the Hangfire recurring job
/// that follows each schedule (created, updated, removed with it). Everything is partner-scoped.
/// </summary>
public sealed class ReportSchedules(DporDbContext db, PartnerScope scope, ReportCatalog catalog, PartnerUsageQuery usage,
    IRecurringJobManager recurring, IBackgroundJobClient jobs, IOptions<ReportScheduleOptions> options, TimeProvider clock)
{
    public Task<List<ReportSchedule>> ListAsync(CancellationToken ct) =>
        db.Set<ReportSchedule>().AsNoTracking().Where(s => s.DeletedAt == null).OrderBy(s => s.Name).ToListAsync(ct);

    public async Task<Outcome<ReportSchedule>> FindAsync(Guid id, CancellationToken ct) =>
        await db.Set<ReportSchedule>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, ct) is { } schedule
            ? schedule
            : NotFound;

    /// <summary>
    /// Where each run's mail stands in the outbox (absent: no mail was written). A run is done once its workbook is built
    /// and its mail written; the mail is "sent" only once the send job handed it over.
    /// </summary>
    public async Task<Dictionary<Guid, OutboxStatus>> MailStatusAsync(IReadOnlyCollection<Guid> runIds, CancellationToken ct)
    {
        var keys = runIds.Select(RunReportScheduleJob.MailKey).ToList();
        var mails = await db.Set<OutboxMessage>().AsNoTracking().Where(m => keys.Contains(m.IdempotencyKey))
            .Select(m => new { m.IdempotencyKey, m.Status }).ToListAsync(ct);
        return runIds.Select(id => (id, mail: mails.FirstOrDefault(m => m.IdempotencyKey == RunReportScheduleJob.MailKey(id))))
            .Where(p => p.mail is not null).ToDictionary(p => p.id, p => p.mail!.Status);
    }

    public Task<List<ReportScheduleRun>> RunsAsync(Guid scheduleId, CancellationToken ct) =>
        db.Set<ReportScheduleRun>().AsNoTracking().Where(r => r.ScheduleId == scheduleId)
            .OrderByDescending(r => r.StartedAt).Take(100).ToListAsync(ct);

    /// <summary>Domains the partner's schedules may mail to: its own, as Entra ID vouches for them, and any an operator allowed.</summary>
    public Task<List<RecipientDomain>> RecipientDomainsAsync(CancellationToken ct) =>
        db.Set<RecipientDomain>().AsNoTracking().OrderBy(d => d.Domain).ToListAsync(ct);

    public async Task<Outcome<ReportSchedule>> CreateAsync(ScheduleInput input, SignedInUser user, CancellationToken ct)
    {
        await LearnDomainAsync(user, ct);
        var settings = await ValidateAsync(input, ct);
        if (settings.Problem is { } problem) return problem;
        var schedule = ReportSchedule.Create(scope.PartnerId, settings.Value!, user.DisplayName, clock.GetUtcNow());
        db.Add(schedule);
        await db.SaveChangesAsync(ct);
        Register(schedule);
        return schedule;
    }

    /// <summary>Replaces the schedule's settings; with <paramref name="version"/>, refuses if someone saved it in between.</summary>
    public async Task<Outcome<ReportSchedule>> UpdateAsync(Guid id, ScheduleInput input, int? version, SignedInUser user, CancellationToken ct)
    {
        var schedule = await db.Set<ReportSchedule>().SingleOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, ct);
        if (schedule is null) return NotFound;
        if (version is { } expected && expected != schedule.Version) return Changed;
        await LearnDomainAsync(user, ct);
        var settings = await ValidateAsync(input, ct);
        if (settings.Problem is { } problem) return problem;
        schedule.Update(settings.Value!, user.DisplayName, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Changed;
        }
        Register(schedule);
        return schedule;
    }

    public async Task<Outcome<ReportSchedule>> DeleteAsync(Guid id, SignedInUser user, CancellationToken ct)
    {
        var schedule = await db.Set<ReportSchedule>().SingleOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, ct);
        if (schedule is null) return NotFound;
        schedule.Delete(user.DisplayName, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        recurring.RemoveIfExists(schedule.RecurringJobId);
        return schedule;
    }

    /// <summary>
    /// Queues a run now, for the period the schedule would cover today; refuses when that period was already delivered
    /// (runs are unique per period — the history has it).
    /// </summary>
    public async Task<Outcome<(ReportSchedule Schedule, DateOnly From, DateOnly To)>> RunNowAsync(Guid id, SignedInUser user, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found.Value is not { } schedule) return found.Problem!;
        var (from, to) = PeriodNow(schedule);
        if (await db.Set<ReportScheduleRun>().AnyAsync(r => r.ScheduleId == id && r.From == from && r.To == to && r.Status == ScheduleRunStatus.Done, ct))
            return Problem.Conflict("schedule_period_done",
                $"This schedule already delivered {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; its file is in your downloads and the run in the history.");
        var partnerId = scope.PartnerId;
        var by = user.DisplayName;
        jobs.Enqueue<RunReportScheduleJob>(j => j.RunAsync(partnerId, id, by, CancellationToken.None));
        return (schedule, from, to);
    }

    /// <summary>The period a run started now would cover, by the date in the schedule's time zone.</summary>
    public (DateOnly From, DateOnly To) PeriodNow(ReportSchedule schedule) =>
        SchedulePlan.PeriodOn(schedule.Period, SchedulePlan.LocalDate(clock.GetUtcNow(), Zone(schedule)));

    public IReadOnlyList<DateTimeOffset> NextRuns(ReportSchedule schedule, int count) =>
        schedule.Enabled ? SchedulePlan.Next(schedule.Cron, Zone(schedule), clock.GetUtcNow(), count) : [];

    public static TimeZoneInfo Zone(ReportSchedule schedule) =>
        SchedulePlan.TryFindZone(schedule.TimeZoneId, out var zone) ? zone : throw new InvalidOperationException(
            $"Schedule {schedule.Id} has time zone '{schedule.TimeZoneId}', which this machine does not know.");

    /// <summary>Creates, updates or removes the schedule's recurring job to match it.</summary>
    internal static void Register(IRecurringJobManager recurring, ReportSchedule schedule)
    {
        if (!schedule.Enabled || schedule.DeletedAt is not null)
        {
            recurring.RemoveIfExists(schedule.RecurringJobId);
            return;
        }
        var (partnerId, id) = (schedule.PartnerId, schedule.Id);
        recurring.AddOrUpdate(schedule.RecurringJobId,
            Job.FromExpression<RunReportScheduleJob>(j => j.RunAsync(partnerId, id, null, CancellationToken.None)),
            schedule.Cron, new RecurringJobOptions { TimeZone = Zone(schedule) });
    }

    private void Register(ReportSchedule schedule) => Register(recurring, schedule);

    /// <summary>A partner admin's own sign-in name proves a domain of the partner's; remember it for recipients.</summary>
    internal async Task LearnDomainAsync(SignedInUser user, CancellationToken ct)
    {
        var partnerId = scope.PartnerId;
        var tenantId = await db.Partners.Where(p => p.Id == partnerId).Select(p => p.TenantId).SingleAsync(ct);
        if (RecipientDomain.VerifiedByEntra(user, tenantId) is not { } domain) return;
        if (await db.Set<RecipientDomain>().AnyAsync(d => d.Domain == domain, ct)) return;
        db.Add(RecipientDomain.Of(partnerId, domain, RecipientDomainSource.SignIn, user.DisplayName, clock.GetUtcNow()));
    }

    private async Task<Outcome<ScheduleSettings>> ValidateAsync(ScheduleInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > ScheduleLimits.Name) Error("name", $"Give the schedule a name of 1 to {ScheduleLimits.Name} characters.");

        if (catalog.Find(input.ReportId ?? "") is null)
            Error("reportId", $"Unknown report. Known: {string.Join(", ", catalog.All.Select(r => r.Id))}.");

        var tenants = (input.TenantIds ?? []).Distinct().ToList();
        if (tenants.Count > ScheduleLimits.ScopeTenants)
            Error("tenantIds", $"Name at most {ScheduleLimits.ScopeTenants} customers, or none for all of them.");
        else if (await usage.RefuseScopeAsync(tenants, ct) is { } refusal) Error("tenantIds", refusal);

        if (!TryEnum<SchedulePeriod>(input.Period, out var period))
            Error("period", $"Choose a period: {Names<SchedulePeriod>()}.");

        if (!TryEnum<ScheduleCadence>(input.Cadence, out var cadence))
            Error("cadence", $"Choose a cadence: {Names<ScheduleCadence>()}.");

        DayOfWeek? dayOfWeek = null;
        if (cadence == ScheduleCadence.Weekly)
        {
            if (TryEnum<DayOfWeek>(input.DayOfWeek, out var day)) dayOfWeek = day;
            else Error("dayOfWeek", "A weekly schedule needs a day of the week (monday … sunday).");
        }
        if (cadence == ScheduleCadence.Monthly && input.DayOfMonth is not (>= 1 and <= 28))
            Error("dayOfMonth", "A monthly schedule needs a day of the month from 1 to 28 (every month has those).");

        var time = default(TimeOnly);
        if (cadence != ScheduleCadence.Cron
            && !TimeOnly.TryParseExact(input.Time ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
            Error("time", "Give the time of day as HH:mm on a 24-hour clock, e.g. 07:30.");

        var zone = TimeZoneInfo.Utc;
        if ((input.TimeZone?.Length ?? 0) > ScheduleLimits.TimeZone || !SchedulePlan.TryFindZone(input.TimeZone, out zone))
            Error("timeZone", $"{InputText.Quote(input.TimeZone)} is not an IANA time zone; use e.g. Europe/Berlin, America/New_York or UTC.");

        string? cron = null;
        if (cadence == ScheduleCadence.Cron)
        {
            cron = input.Cron?.Trim();
            if (string.IsNullOrEmpty(cron)) Error("cron", "A cron cadence needs a five-field cron expression, e.g. '30 6 * * 1-5'.");
            else if (cron.Length > ScheduleLimits.Cron) Error("cron", $"A cron expression has at most {ScheduleLimits.Cron} characters.");
            else if (!errors.ContainsKey("timeZone") && SchedulePlan.CheckCron(cron, zone, clock.GetUtcNow()) is { } why) Error("cron", why);
        }

        var recipients = CleanRecipients(input.Recipients);
        if (await RefuseRecipientsAsync(recipients, ct) is { } recipientsRefused) Error("recipients", recipientsRefused);

        if (errors.Count > 0)
            return new Problem(400, "validation", string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        return new ScheduleSettings(name, catalog.Find(input.ReportId!)!.Id, tenants, period, cadence, dayOfWeek, input.DayOfMonth, time,
            input.TimeZone!, cron, [.. recipients.Select(r => r.ToLowerInvariant())], input.Enabled ?? true);
    }

    /// <summary>The recipients as typed, trimmed, blanks and repeats left out.</summary>
    internal static List<string> CleanRecipients(IEnumerable<string>? recipients) =>
        [.. (recipients ?? []).Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// Why these recipients may not receive the partner's mail, or null. Schedules and alert digests ask the same question
    /// with the same words: plain addresses, within the limits, each in one of the partner's allowed domains.
    /// </summary>
    internal async Task<string?> RefuseRecipientsAsync(IReadOnlyList<string> recipients, CancellationToken ct)
    {
        if (recipients.Count == 0 || recipients.Count > options.Value.MaxRecipients)
            return $"Give 1 to {options.Value.MaxRecipients} e-mail addresses.";
        if (recipients.FirstOrDefault(r => r.Length > ScheduleLimits.Address) is { } overlong)
            return $"{InputText.Quote(overlong)} is longer than an e-mail address can be ({ScheduleLimits.Address} characters).";
        if (string.Join(",", recipients).Length > ScheduleLimits.Recipients)
            return $"The addresses together are longer than {ScheduleLimits.Recipients} characters; give fewer.";
        if (recipients.FirstOrDefault(r => !NotificationOutbox.IsPlainAddress(r)) is { } invalid)
            return $"{InputText.Quote(invalid)} is not a plain e-mail address (name@domain).";
        var allowed = await AllowedDomainsAsync(ct);
        return recipients.FirstOrDefault(r => !allowed.Contains(RecipientDomain.DomainOf(r))) is { } outside
            ? $"{InputText.Quote(outside)} is outside your organisation's verified domains ({(allowed.Count == 0 ? "none known yet" : string.Join(", ", allowed.Order()))}). " +
              "Reports carry customers' usage, so they go to your organisation only; ask an operator to allow another domain."
            : null;
    }

    internal async Task<HashSet<string>> AllowedDomainsAsync(CancellationToken ct)
    {
        var stored = await db.Set<RecipientDomain>().AsNoTracking().Select(d => d.Domain).ToListAsync(ct);
        // The domain learned in this unit of work counts before it is saved.
        return [.. stored.Concat(db.ChangeTracker.Entries<RecipientDomain>().Select(e => e.Entity.Domain))];
    }

    private static bool TryEnum<T>(string? text, out T value) where T : struct, Enum =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static string Names<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));

    private static Problem NotFound => Problem.NotFound("unknown_schedule", "You have no report schedule with this id.");

    private static Problem Changed => Problem.Conflict("schedule_changed", "Someone changed this schedule in the meantime; reload it and try again.");
}
