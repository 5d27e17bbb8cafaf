namespace DporReports.Core.Notifications;

/// <summary>A stored report file (its key in the report file store) to attach under the given name.</summary>
public sealed record MailAttachment(string FileKey, string FileName);

public enum OutboxStatus
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>
/// An e-mail to send, written in the same transaction as the change it reports, so a change is never saved without its
/// mail and a mail never goes out for a change that rolled back. The send job delivers it with the idempotency key in
/// the Message-ID, records the attempt before and the result after sending, and retries failures with back-off.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage() { }

    public Guid Id { get; private set; }

    /// <summary>Unique: the same business event never produces two messages; also the Message-ID's local part.</summary>
    public string IdempotencyKey { get; private set; } = "";

    public string Kind { get; private set; } = "";
    public string Recipients { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public OutboxStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>Set just before handing the message to the mail server; with no <see cref="SentAt"/> it means "may have been sent".</summary>
    public DateTimeOffset? LastAttemptStartedAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>A stored report file to attach, read from the report file store at send time (never copied into the outbox).</summary>
    public string? AttachmentKey { get; private set; }

    public string? AttachmentName { get; private set; }

    public static OutboxMessage Create(string idempotencyKey, string kind, IEnumerable<string> recipients, string subject, string body,
        DateTimeOffset now, MailAttachment? attachment = null) => new()
    {
        AttachmentKey = attachment?.FileKey,
        AttachmentName = attachment?.FileName,
        Id = Guid.NewGuid(),
        IdempotencyKey = idempotencyKey,
        Kind = kind,
        Recipients = string.Join(",", recipients),
        Subject = subject,
        Body = body,
        CreatedAt = now,
        Status = OutboxStatus.Pending,
        NextAttemptAt = now,
    };

    public IReadOnlyList<string> RecipientList => Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void AttemptStarted(DateTimeOffset now)
    {
        Attempts++;
        LastAttemptStartedAt = now;
    }

    public void MarkSent(DateTimeOffset now)
    {
        Status = OutboxStatus.Sent;
        SentAt = now;
        LastError = null;
    }

    public void MarkFailed(string error, DateTimeOffset nextAttemptAt, bool giveUp)
    {
        LastError = error.Length > 2000 ? error[..2000] : error;
        NextAttemptAt = nextAttemptAt;
        if (giveUp) Status = OutboxStatus.Failed;
    }
}
