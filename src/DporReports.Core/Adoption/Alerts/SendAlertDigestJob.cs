using DporReports.Core.Data;
using DporReports.Core.Jobs;
using DporReports.Core.Languages;
using DporReports.Core.Notifications;
using DporReports.Core.Partners;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Adoption.Alerts;

/// <summary>
/// A partner's weekly alert digest: the "where to help" items that cross the partner's thresholds now, read in its scope
/// (only the subscriptions and days of its verified windows), of which those not listed since they last crossed are mailed
/// once to its recipients. The digest row (unique per partner and week), the notices and the outbox mail are saved in one
/// transaction: a retried job finds the row and sends nothing; a job that failed before saving left nothing behind.
/// </summary>
[Queue(JobQueues.Reports)]
[AutomaticRetry(Attempts = 3)]
public sealed class SendAlertDigestJob(DporDbContext db, PartnerScope scope, AdoptionQuery adoption, ReportSchedules schedules,
    NotificationOutbox outbox, IOptions<ReportScheduleOptions> options, TimeProvider clock, ILogger<SendAlertDigestJob> log, IStringLocalizer<Texts> T)
{
    /// <summary>The outbox key of a digest's mail: one mail per digest, however often the job is retried.</summary>
    public static string MailKey(Guid digestId) => $"alert-digest:{digestId}";

    /// <summary>Runs the digest of the week of today in the partner's digest time zone (nothing when that week has one).</summary>
    [DisableConcurrentExecution("alert-digest:{0}", 600)]
    public async Task RunAsync(Guid partnerId, CancellationToken ct)
    {
        scope.Set(partnerId);
        var settings = await db.Set<AlertSettings>().AsNoTracking().SingleOrDefaultAsync(ct);
        if (settings is not { Enabled: true })
        {
            log.LogInformation("Alerts of partner {PartnerId} are off; no digest", partnerId);
            return;
        }
        var now = clock.GetUtcNow();
        var today = SchedulePlan.LocalDate(now, PartnerAlerts.Zone(settings));
        var week = PartnerAlerts.WeekOf(today);
        if (await db.Set<AlertDigest>().AnyAsync(d => d.WeekStart == week, ct)) return;

        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == partnerId, ct);
        if (partner.Status != PartnerStatus.Approved)
        {
            log.LogInformation("Partner {PartnerId} is {Status}; no alert digest", partnerId, partner.Status);
            return;
        }

        var digest = AlertDigest.Start(partnerId, week, today, now);
        db.Add(digest);

        // Read fresh, not from the kept entry: through the verified windows as they are now, keeping only those current today,
        // so nothing is ever sent about a window the partner no longer holds.
        var signals = await adoption.ComputePartnerSignalsAsync(today, ct);
        var items = WhereToHelp.Rank(signals, settings.Rules);
        var crossed = items.Select(i => (i.Subscription.SubscriptionId, i.Reason)).ToHashSet();

        // Open notices no longer crossed close (recovered, or the subscription is no longer the partner's): crossing anew lists it again.
        var open = await db.Set<AlertNotice>().Where(n => n.ClosedAt == null).ToListAsync(ct);
        foreach (var notice in open.Where(n => !crossed.Contains((n.SubscriptionId, n.Reason)))) notice.Close(digest, now);
        var listed = open.Where(n => n.IsOpen).Select(n => (n.SubscriptionId, n.Reason)).ToHashSet();
        var fresh = items.Where(i => !listed.Contains((i.Subscription.SubscriptionId, i.Reason))).ToList();
        foreach (var item in fresh) db.Add(AlertNotice.Open(digest, item, now));

        var allowed = await schedules.AllowedDomainsAsync(ct);
        var recipients = settings.RecipientList.Where(r => allowed.Contains(RecipientDomain.DomainOf(r))).ToList();
        var dropped = settings.RecipientList.Except(recipients).ToList();
        var problem = dropped.Count == 0 ? null : RecipientDomain.NotSent(dropped);
        var mailed = new List<string>();
        if (fresh.Count > 0 && recipients.Count > 0)
        {
            // The recipients are the partner's people: the mail is in its notification language, with that language's numbers.
            using var language = Language.Use(partner.NotificationLanguage);
            await outbox.EnqueueAsync(db, MailKey(digest.Id), "alert-digest", recipients, Subject(partner, fresh.Count), Body(partner, week, fresh), ct);
            mailed = recipients;
        }
        else if (fresh.Count > 0) problem = dropped.Count == 0 ? "No mail: no recipient may receive it." : RecipientDomain.NoneAllowed("No mail", dropped);
        digest.Record(fresh.Count, items.Count, mailed, problem);

        try
        {
            await db.SaveChangesAsync(ct); // the digest, its notices and its mail in one transaction: never one without the others
        }
        catch (DbUpdateException) when (!ct.IsCancellationRequested)
        {
            // Another worker wrote this week's digest a moment ago (unique index); the lock should prevent it, the index makes sure.
            if (!await WeekDoneAsync(week, ct)) throw;
            log.LogInformation("Alert digest of partner {PartnerId} for the week of {Week} already written elsewhere", partnerId, week);
        }
    }

    private async Task<bool> WeekDoneAsync(DateOnly week, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await db.Set<AlertDigest>().AnyAsync(d => d.WeekStart == week, ct);
    }

    private string Subject(Partner partner, int count) =>
        count == 1 ? T["{0}: 1 new adoption alert", partner.DisplayName] : T["{0}: {1} new adoption alerts", partner.DisplayName, Language.Number(count)];

    private string Body(Partner partner, DateOnly week, IReadOnlyList<HelpItem> items)
    {
        var site = options.Value.PublicBaseUrl!;
        var lines = items.Select(i => "- " + T["{0}, {1} ({2}): {3} {4}", i.Subscription.TenantName, i.Subscription.ProductName, i.Subscription.Reference,
            HelpTexts.Why(T, i), new Uri(site, $"partner/usage/customers/{i.Subscription.TenantId}")]);
        return $"""
            {T["Hello,"]}

            {T["These subscriptions of {0}'s customers crossed your alert thresholds in the week of {1}:", partner.DisplayName, Language.Date(week)]}

            {string.Join("\n", lines)}

            {T["Each item is listed once while it stays crossed, and again only if it recovers and crosses anew. Only your verified partner-of-record windows are read. Change the thresholds or the recipients: {0}", new Uri(site, "partner/alerts")]}
            """.Trim() + "\n";
    }
}
