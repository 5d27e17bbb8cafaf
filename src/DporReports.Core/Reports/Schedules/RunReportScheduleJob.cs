using System.Globalization;
using DporReports.Core.Data;
using DporReports.Core.Jobs;
using DporReports.Core.Notifications;
using DporReports.Core.Partners;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
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
    NotificationOutbox outbox, IOptions<ReportScheduleOptions> options, TimeProvider clock, ILogger<RunReportScheduleJob> log)
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
            $"Schedule \u201c{schedule.Name}\u201d", clock.GetUtcNow());
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
        var note = dropped.Count == 0 ? null : $"Not sent to {string.Join(", ", dropped)}: outside your organisation's allowed domains now.";
        if (recipients.Count == 0)
        {
            run.Fail($"The workbook is in your downloads, but no recipient may receive it. {note}", clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return;
        }
        var attach = report.Size <= options.Value.AttachmentLimitBytes;
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

    private static string Subject(ReportSchedule schedule, GeneratedReport report) =>
        $"{report.Title}, {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd} ({schedule.Name})";

    private string Body(ReportSchedule schedule, GeneratedReport report, Partner partner, int rows, bool attached)
    {
        var site = options.Value.PublicBaseUrl!;
        var download = new Uri(site, $"partner/reports?handler=Download&id={report.Id}");
        var manage = new Uri(site, $"partner/reports/schedules/{schedule.Id}");
        var size = Kb(report.Size ?? 0);
        var file = attached
            ? $"The workbook is attached ({report.FileName}, {size})."
            : $"The workbook ({size}) is larger than {Kb(options.Value.AttachmentLimitBytes)}, so it is not attached; download it from the link.";
        return $"""
            Hello,

            The scheduled report "{schedule.Name}" of {partner.DisplayName} is ready: {report.Title} for {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}, {rows.ToString(CultureInfo.InvariantCulture)} rows.

            {file}
            Download (sign in with your {partner.DisplayName} account): {download}

            It holds only the days of your verified partner-of-record windows. Manage the schedule: {manage}
            """.Trim() + "\n";
    }

    private static string Kb(long bytes) => $"{Math.Max(1, bytes / 1024).ToString(CultureInfo.InvariantCulture)} KB";
}
