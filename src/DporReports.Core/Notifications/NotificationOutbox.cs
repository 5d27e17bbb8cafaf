using DporReports.Core.Data;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace DporReports.Core.Notifications;

/// <summary>
/// Adds e-mails to the outbox in the caller's unit of work: the caller saves them in the same transaction as the change
/// they report. A key already tracked or stored makes the call a no-op, so a retried request never mails twice; two
/// concurrent transactions with the same key are stopped by the unique index (the second save fails).
/// </summary>
public sealed class NotificationOutbox(TimeProvider clock)
{
    /// <summary>Adds the message unless its key is known; true when added. Throws on an invalid recipient (see <see cref="Validate"/>).</summary>
    public bool Enqueue(DporDbContext db, string idempotencyKey, string kind, IEnumerable<string> recipients, string subject, string body)
    {
        var to = Validate(idempotencyKey, kind, recipients, subject);
        if (IsTracked(db, idempotencyKey) || db.OutboxMessages.AsNoTracking().Any(m => m.IdempotencyKey == idempotencyKey)) return false;
        db.OutboxMessages.Add(OutboxMessage.Create(idempotencyKey, kind, to, subject, body, clock.GetUtcNow()));
        return true;
    }

    /// <inheritdoc cref="Enqueue"/>
    public async Task<bool> EnqueueAsync(DporDbContext db, string idempotencyKey, string kind, IEnumerable<string> recipients, string subject,
        string body, CancellationToken ct, MailAttachment? attachment = null)
    {
        var to = Validate(idempotencyKey, kind, recipients, subject);
        if (IsTracked(db, idempotencyKey) || await db.OutboxMessages.AsNoTracking().AnyAsync(m => m.IdempotencyKey == idempotencyKey, ct)) return false;
        db.OutboxMessages.Add(OutboxMessage.Create(idempotencyKey, kind, to, subject, body, clock.GetUtcNow(), attachment));
        return true;
    }

    private static bool IsTracked(DporDbContext db, string idempotencyKey) =>
        db.OutboxMessages.Local.Any(m => string.Equals(m.IdempotencyKey, idempotencyKey, StringComparison.Ordinal));

    /// <summary>
    /// Throws rather than skipping: a recipient dropped here would be a notification silently lost, and addresses reach
    /// the outbox only after validation at registration, so an invalid one is a bug to surface in the caller's request.
    /// </summary>
    internal static List<string> Validate(string idempotencyKey, string kind, IEnumerable<string> recipients, string subject)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 200)
            throw new ArgumentException("An outbox idempotency key is required and at most 200 characters.", nameof(idempotencyKey));
        if (string.IsNullOrWhiteSpace(kind) || kind.Length > 64)
            throw new ArgumentException("An outbox message kind is required and at most 64 characters.", nameof(kind));
        if (subject.Length > 500)
            throw new ArgumentException("An outbox subject is at most 500 characters.", nameof(subject));
        var to = recipients.Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (to.Count == 0)
            throw new ArgumentException($"Outbox message '{idempotencyKey}' has no recipient.", nameof(recipients));
        var invalid = to.Where(r => !IsPlainAddress(r)).ToList();
        if (invalid.Count > 0)
            throw new ArgumentException($"Outbox message '{idempotencyKey}' has invalid e-mail address(es): {string.Join(", ", invalid.Select(r => $"'{r}'"))}.",
                nameof(recipients));
        if (string.Join(",", to).Length > 4000)
            throw new ArgumentException($"Outbox message '{idempotencyKey}' has too many recipients (4000 characters at most).", nameof(recipients));
        return to;
    }

    /// <summary>A bare address (local@domain): no display name, no list, nothing the comma-joined column would split.</summary>
    internal static bool IsPlainAddress(string? text) =>
        !string.IsNullOrWhiteSpace(text) && !text.Contains(',', StringComparison.Ordinal) && !text.Contains(' ', StringComparison.Ordinal)
        && MailboxAddress.TryParse(text, out var mailbox) && string.IsNullOrEmpty(mailbox.Name)
        && string.Equals(mailbox.Address, text, StringComparison.Ordinal)
        && mailbox.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < mailbox.Address.Length - 1;
}
