using System.Globalization;
using DporReports.Core.Data;
using DporReports.Core.Jobs;
using DporReports.Core.Reports;
using Hangfire;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DporReports.Core.Notifications;

public sealed record SendNotificationsSummary(int Sent, int Failed, int Deferred);

/// <summary>
/// Delivers due outbox messages, oldest first. Each attempt is recorded before the send and its result after it, so a
/// message is never lost and a Sent message is never sent again. Retries are per message with back-off, not Hangfire's:
/// one failing message never blocks the others, and the job runs again every minute anyway.
/// <para>
/// At-least-once: if the process dies between a successful send and recording it, the message is still Pending and the
/// next run sends it again, with the SAME Message-ID (derived from the idempotency key). Receiving servers and clients
/// de-duplicate on Message-ID, and the pickup folder overwrites the same file, so the partner sees one mail.
/// </para>
/// </summary>
[Queue(JobQueues.Notifications)]
[AutomaticRetry(Attempts = 0)]
public sealed class SendNotificationsJob(DporDbContext db, IMailSender sender, IReportFileStore files, IOptions<MailOptions> options,
    TimeProvider clock, ILogger<SendNotificationsJob> log)
{
    public const string IdempotencyKeyHeader = "X-Dpor-Idempotency-Key";
    internal const int BatchSize = 50;

    /// <summary>Bounds one run; the rest waits for the next minute's run rather than holding the lock for long.</summary>
    internal const int MaxPerRun = 1000;

    /// <summary>
    /// Stop taking new messages after this long. Below the 300 s lock wait, so the runs queued behind a slow or hanging
    /// server (30 s timeout per message) get the lock instead of failing, and workers are not held for long.
    /// </summary>
    internal static readonly TimeSpan RunBudget = TimeSpan.FromMinutes(4);

    [DisableConcurrentExecution(NotificationJobs.RecurringJobId, 300)]
    public async Task<SendNotificationsSummary> RunAsync(CancellationToken ct)
    {
        int sent = 0, failed = 0, deferred = 0, processed = 0;
        var dueBy = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        var seen = new HashSet<Guid>();
        while (processed < MaxPerRun && clock.GetElapsedTime(started) < RunBudget)
        {
            var batch = await db.OutboxMessages
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= dueBy)
                .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
                .Take(BatchSize)
                .ToListAsync(ct);
            // Every processed message leaves the due set (Sent, Failed, or due after dueBy); this guards against a loop anyway.
            batch.RemoveAll(m => !seen.Add(m.Id));
            if (batch.Count == 0) break;
            foreach (var message in batch)
            {
                ct.ThrowIfCancellationRequested();
                if (clock.GetElapsedTime(started) >= RunBudget) break;
                processed++;
                switch (await DeliverAsync(message, ct))
                {
                    case OutboxStatus.Sent: sent++; break;
                    case OutboxStatus.Failed: failed++; break;
                    default: deferred++; break;
                }
            }
        }
        if (sent + failed + deferred > 0)
            log.LogInformation("Notifications: {Sent} sent, {Failed} given up, {Deferred} deferred", sent, failed, deferred);
        return new SendNotificationsSummary(sent, failed, deferred);
    }

    private async Task<OutboxStatus> DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        // Started before and no result after (a failure would have moved NextAttemptAt past the start): the last run died
        // mid-send, so the mail may be out. Sending again is safe because the Message-ID is the same.
        if (message.LastAttemptStartedAt is { } started && message.NextAttemptAt <= started)
            log.LogWarning("Outbox message {MessageId} ({Key}): attempt of {Started:o} has no recorded result; sending again with the same Message-ID",
                message.Id, message.IdempotencyKey, started);

        message.AttemptStarted(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        try
        {
            await sender.SendAsync(await BuildAsync(message, ct), ct);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            var giveUp = message.Attempts >= options.Value.MaxAttempts;
            var next = clock.GetUtcNow() + NotificationBackoff.After(message.Attempts);
            message.MarkFailed(Describe(e), next, giveUp);
            await db.SaveChangesAsync(ct);
            if (giveUp)
                log.LogError(e, "Outbox message {MessageId} ({Key}) failed attempt {Attempt}; giving up after {MaxAttempts} attempts",
                    message.Id, message.IdempotencyKey, message.Attempts, options.Value.MaxAttempts);
            else
                log.LogWarning(e, "Outbox message {MessageId} ({Key}) failed attempt {Attempt}; next attempt at {NextAttemptAt:o}",
                    message.Id, message.IdempotencyKey, message.Attempts, next);
            return message.Status;
        }

        message.MarkSent(clock.GetUtcNow());
        // The mail is out: record it even if shutdown is under way, or it would be sent again (harmlessly, but avoidably).
        await db.SaveChangesAsync(CancellationToken.None);
        log.LogInformation("Outbox message {MessageId} ({Key}) sent on attempt {Attempt}", message.Id, message.IdempotencyKey, message.Attempts);
        return OutboxStatus.Sent;
    }

    /// <summary>The reply code first: "451 4.3.0 …" tells an operator at a glance whether the server said "later" or "never".</summary>
    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException smtp => $"SMTP {((int)smtp.StatusCode).ToString(CultureInfo.InvariantCulture)} ({smtp.ErrorCode}): {smtp.Message}",
        SmtpProtocolException protocol => $"SMTP protocol error: {protocol.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    internal async Task<MimeMessage> BuildAsync(OutboxMessage message, CancellationToken ct)
    {
        var mail = options.Value;
        // Plain text for every client, and its HTML rendering (links clickable) for those that prefer it.
        var body = new BodyBuilder { TextBody = message.Body, HtmlBody = MailHtml.From(message.Body) };
        if (message.AttachmentKey is { } key)
        {
            // A file gone from the store is an error to retry and report, not a mail silently sent without what it promises.
            await using var file = await files.OpenReadAsync(key, ct)
                ?? throw new FileNotFoundException($"The attachment '{message.AttachmentName}' (report file {key}) is no longer stored.");
            await body.Attachments.AddAsync(message.AttachmentName ?? $"{key}.xlsx", file, ContentType.Parse(GenerateReportJob.ContentType), ct);
        }
        var mime = new MimeMessage
        {
            MessageId = MessageIds.For(message.IdempotencyKey),
            Date = clock.GetUtcNow(),
            Subject = message.Subject,
            Body = body.ToMessageBody(),
        };
        mime.From.Add(new MailboxAddress(mail.FromName, mail.FromAddress));
        foreach (var recipient in message.RecipientList) mime.To.Add(MailboxAddress.Parse(recipient));
        mime.Headers.Add(IdempotencyKeyHeader, message.IdempotencyKey);
        return mime;
    }
}
