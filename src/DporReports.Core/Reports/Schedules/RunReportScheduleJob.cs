using DporReports.Core.Data;
using DporReports.Core.Jobs;
using DporReports.Core.Languages;
using DporReports.Core.Notifications;
using DporReports.Core.Partners;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Reports.Schedules;

/// <summary>
/// One run of a schedule: the period from the run's date in the schedule's time zone, the workbook built in the partner's
/// scope (so only the verified windows as they are now — a removal takes effect in the next run), the file stored in the
/// partner's downloads, and one mail to the recipients through the outbox with a link and, when small enough, the file.
/// Re-entrant: (schedule, period) is unique, a delivered period is never delivered again, a failed one is retried in place.
/// </summary>
[Queue(JobQueues.Reports)]
[AutomaticRetry(Attempts = 3)]
public sealed class RunReportScheduleJob(DporDbContext db, PartnerScope scope, ReportSchedules schedules, ReportCatalog catalog, ReportProducer producer,
    NotificationOutbox outbox, IOptions<ReportScheduleOptions> options, TimeProvider clock, ILogger<RunReportScheduleJob> log, IStringLocalizer<Texts> T)
{
    public const string ScheduleTrigger = "schedule";

    /// <summary>The outbox key of a run's mail: one mail per run, however often the job is retried.</summary>
    public static string MailKey(Guid runId) => $"schedule-run:{runId}";

    /// <summary>Runs the schedule for the period of today in its time zone; <c>triggeredBy</c> names who pressed "run now", null when it fired.</summary>
    [DisableConcurrentExecution("report-schedule:{1}", 600)]
    public async Task RunAsync(Guid partnerId, Guid scheduleId, string? triggeredBy, CancellationToken ct)
    {
        scope.Set(partnerId);
        var schedule = await db.Set<ReportSchedule>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == scheduleId && s.DeletedAt == null, ct);
        // Switched off or deleted after the job was queued: a fired run does nothing; "run now" still works while off.
        if (schedule is null || (!schedule.Enabled && triggeredBy is null))
        {
            log.LogInformation("Schedule {ScheduleId} of partner {PartnerId} is deleted or off; nothing to run", scheduleId, partnerId);
            return;
        }
        var trigger = triggeredBy is null ? ScheduleTrigger : $"run now by {triggeredBy}";
        var (from, to) = schedules.PeriodNow(schedule);

        var run = await db.Set<ReportScheduleRun>().SingleOrDefaultAsync(r => r.ScheduleId == scheduleId && r.From == from && r.To == to, ct);
        if (run is { Status: ScheduleRunStatus.Done }) return;
        if (run is null)
        {
            run = ReportScheduleRun.Start(schedule, from, to, trigger, clock.GetUtcNow());
            db.Add(run);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (!ct.IsCancellationRequested)
            {
                // Another worker started this period a moment ago (unique index); the lock should prevent it, the index makes sure.
                log.LogInformation("Schedule {ScheduleId}: period {From}–{To} already started elsewhere", scheduleId, from, to);
                return;
            }
        }
        else
        {
            run.Retry(trigger, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }

        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == partnerId, ct);
        if (partner.Status != PartnerStatus.Approved)
        {
            run.Fail($"Your organisation's registration is {partner.Status.ToString().ToLowerInvariant()}; reports resume once it is approved.", clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return;
        }

        var report = GeneratedReport.Request(partnerId, schedule.ReportId, catalog.Find(schedule.ReportId)?.Title ?? schedule.ReportId, from, to, schedule.ScopeTenantIds,
            $"Schedule \u201c{schedule.Name}\u201d", partner.NotificationLanguage, clock.GetUtcNow());
        db.Add(report);
        run.Produced(report.Id);
        var rows = await producer.ProduceAsync(report, ct);
        if (rows is null)
        {
            run.Fail($"The workbook could not be built: {report.FailureReason}", clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return;
        }

        // Domains an operator withdrew since the schedule was saved no longer receive anything.
        var allowed = await schedules.AllowedDomainsAsync(ct);
        var recipients = schedule.RecipientList.Where(r => allowed.Contains(RecipientDomain.DomainOf(r))).ToList();
        var dropped = schedule.RecipientList.Except(recipients).ToList();
        var note = dropped.Count == 0 ? null : RecipientDomain.NotSent(dropped);
        if (recipients.Count == 0)
        {
            run.Fail(RecipientDomain.NoneAllowed("The workbook is in your downloads, but no mail was sent", dropped), clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return;
        }
        var attach = report.Size <= options.Value.AttachmentLimitBytes;
        // The recipients are the partner's people: the mail is in its notification language, like the workbook.
        using var language = Language.Use(partner.NotificationLanguage);
        try
        {
            await outbox.EnqueueAsync(db, MailKey(run.Id), "scheduled-report", recipients, Subject(schedule, report),
                Body(schedule, report, partner, rows.Value, attach), ct, attach ? new MailAttachment(report.Id.ToString(), report.FileName!) : null);
        }
        catch (ArgumentException e)
        {
            // A mail the outbox refuses (a schedule saved before today's limits) would fail the same way on every retry:
            // a recorded failure of this run, not a job that retries and builds the workbook again each time.
            run.Fail($"The workbook is in your downloads, but no mail could be written: {e.Message}", clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return;
        }
        run.Complete(rows.Value, report.Size ?? 0, recipients, attach, note, clock.GetUtcNow());
        await db.SaveChangesAsync(ct); // the run and its mail in one transaction: never one without the other
    }

    private string Subject(ReportSchedule schedule, GeneratedReport report) =>
        T["{0}, {1} to {2} ({3})", ReportTitle(report), Language.Date(report.From), Language.Date(report.To), schedule.Name];

    private string Body(ReportSchedule schedule, GeneratedReport report, Partner partner, int rows, bool attached)
    {
        var site = options.Value.PublicBaseUrl!;
        var download = new Uri(site, $"partner/reports?handler=Download&id={report.Id}");
        var manage = new Uri(site, $"partner/reports/schedules/{schedule.Id}");
        var size = Kb(report.Size ?? 0);
        var file = attached
            ? T["The workbook is attached ({0}, {1}).", report.FileName!, size]
            : T["The workbook ({0}) is larger than {1}, so it is not attached; download it from the link.", size, Kb(options.Value.AttachmentLimitBytes)];
        return $"""
            {T["Hello,"]}

            {T["The scheduled report \"{0}\" of {1} is ready: {2} for {3} to {4}, {5} rows.", schedule.Name, partner.DisplayName, ReportTitle(report),
                Language.Date(report.From), Language.Date(report.To), Language.Number(rows)]}

            {file}
            {T["Download (sign in with your {0} account): {1}", partner.DisplayName, download]}

            {T["It holds only the days of your verified partner-of-record windows. Manage the schedule: {0}", manage]}
            """.Trim() + "\n";
    }

    /// <summary>The report's title in the mail's language (the stored title is the catalog's English).</summary>
    private string ReportTitle(GeneratedReport report) => catalog.Find(report.ReportId)?.TitleIn(Language.Current) ?? report.Title;

    private static string Kb(long bytes) => $"{Language.Number(Math.Max(1, bytes / 1024))} KB";
}
