using DporReports.Core.Notifications;
using DporReports.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Notifications;

/// <summary>
/// The outbox send job through the real host, real SQLite and a real SMTP server (the sink): delivery, per-message
/// back-off, giving up, and at-least-once delivery that still shows the partner one mail (same Message-ID).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SendNotificationsJobTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly SmtpSink _sink = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task RunAsync_PendingMessage_DeliversWithSubjectRecipientsFromAndMessageId()
    {
        using var host = new NotificationsHost(sandbox, NotificationsHost.Smtp(_sink));
        await host.EnqueueAsync("assignment:42:assigned", "dpor@tailspin.example", "ops@tailspin.example");

        var summary = await host.RunJobAsync();

        Assert.Equal(new SendNotificationsSummary(1, 0, 0), summary);
        var mail = Assert.Single(_sink.Received);
        Assert.Equal("dpor@reports.example", mail.MailFrom);
        Assert.Equal(["dpor@tailspin.example", "ops@tailspin.example"], mail.Recipients);
        Assert.Equal("Subject of assignment:42:assigned", mail.Message.Subject);
        Assert.Equal(["dpor@tailspin.example", "ops@tailspin.example"], mail.Message.To.Mailboxes.Select(m => m.Address));
        var from = Assert.Single(mail.Message.From.Mailboxes);
        Assert.Equal(("DPOR Reports", "dpor@reports.example"), (from.Name, from.Address));
        Assert.Equal(MessageIds.For("assignment:42:assigned"), mail.Message.MessageId);
        Assert.StartsWith("assignment-42-assigned.", mail.Message.MessageId, StringComparison.Ordinal);
        Assert.EndsWith("@dporreports", mail.Message.MessageId, StringComparison.Ordinal);
        Assert.Equal("assignment:42:assigned", mail.Message.Headers[SendNotificationsJob.IdempotencyKeyHeader]);
        Assert.Equal("Body of assignment:42:assigned\n", mail.Message.TextBody?.ReplaceLineEndings("\n"));
        var row = await host.RowAsync("assignment:42:assigned");
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(NotificationsHost.Start, row.SentAt);
        Assert.Equal(1, row.Attempts);
    }

    [Fact]
    public async Task RunAsync_TransientSmtpFailure_StaysPendingWithBackoffThenDeliversAfterIt()
    {
        using var host = new NotificationsHost(sandbox, NotificationsHost.Smtp(_sink));
        await host.EnqueueAsync("transient");
        _sink.FailNextTransiently(1);

        var first = await host.RunJobAsync();

        Assert.Equal(new SendNotificationsSummary(0, 0, 1), first);
        var failed = await host.RowAsync("transient");
        Assert.Equal(OutboxStatus.Pending, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(NotificationsHost.Start.AddMinutes(1), failed.NextAttemptAt);
        Assert.Contains("451", failed.LastError, StringComparison.Ordinal);
        Assert.Empty(_sink.Received);

        Assert.Equal(new SendNotificationsSummary(0, 0, 0), await host.RunJobAsync());
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new SendNotificationsSummary(1, 0, 0), await host.RunJobAsync());

        Assert.Single(_sink.Received);
        var sent = await host.RowAsync("transient");
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.LastError);
    }

    [Fact]
    public async Task RunAsync_FailingUntilMaxAttempts_MarksFailedAndStopsTrying()
    {
        using var host = new NotificationsHost(sandbox, NotificationsHost.Smtp(_sink, maxAttempts: 3));
        await host.EnqueueAsync("doomed");
        _sink.FailNextPermanently(100);

        Assert.Equal(new SendNotificationsSummary(0, 0, 1), await host.RunJobAsync());
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new SendNotificationsSummary(0, 0, 1), await host.RunJobAsync());
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new SendNotificationsSummary(0, 1, 0), await host.RunJobAsync());
        host.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new SendNotificationsSummary(0, 0, 0), await host.RunJobAsync());

        var row = await host.RowAsync("doomed");
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(3, row.Attempts);
        Assert.Contains("554", row.LastError, StringComparison.Ordinal);
        Assert.Empty(_sink.Received);
    }

    [Fact]
    public async Task RunAsync_OneMessageFailing_DoesNotBlockTheOthers()
    {
        using var host = new NotificationsHost(sandbox, NotificationsHost.Smtp(_sink));
        await host.EnqueueAsync("older-fails");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await host.EnqueueAsync("newer-succeeds");
        _sink.FailNextTransiently(1);

        var summary = await host.RunJobAsync();

        Assert.Equal(new SendNotificationsSummary(1, 0, 1), summary);
        Assert.Equal("Subject of newer-succeeds", Assert.Single(_sink.Received).Message.Subject);
        Assert.Equal(OutboxStatus.Pending, (await host.RowAsync("older-fails")).Status);
        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync("newer-succeeds")).Status);
    }

    [Fact]
    public async Task RunAsync_AgainAfterSuccess_NeverResendsASentMessage()
    {
        // Prevents double notification: a job retried by Hangfire, run on two schedules, or run long after must not send a
        // Sent message again; the partner would get the same "you were removed" mail twice.
        using var host = new NotificationsHost(sandbox, NotificationsHost.Smtp(_sink));
        await host.EnqueueAsync("once");

        await host.RunJobAsync();
        var again = await host.RunJobAsync();
        host.Clock.Advance(TimeSpan.FromDays(2));
        var later = await host.RunJobAsync();

        Assert.Equal(new SendNotificationsSummary(0, 0, 0), again);
        Assert.Equal(new SendNotificationsSummary(0, 0, 0), later);
        Assert.Single(_sink.Received);
        Assert.Equal(1, (await host.RowAsync("once")).Attempts);
    }

    [Fact]
    public async Task RunAsync_ErrorAfterTheServerAcceptedTheMessage_ResendsWithTheSameMessageIdAndMarksSentOnce()
    {
        // Prevents a lost or doubled notification when the reply to DATA is lost: the job cannot tell whether the mail went
        // out, so it sends again (never lost), with the same Message-ID so receivers show one mail (never doubled).
        using var host = new NotificationsHost(sandbox, NotificationsHost.Smtp(_sink),
            sp => new FailAfterSendSender(sp.GetRequiredService<SmtpMailSender>(), _ => new IOException("connection reset after DATA")));
        await host.EnqueueAsync("reply-lost");

        Assert.Equal(new SendNotificationsSummary(0, 0, 1), await host.RunJobAsync());
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new SendNotificationsSummary(1, 0, 0), await host.RunJobAsync());
        host.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new SendNotificationsSummary(0, 0, 0), await host.RunJobAsync());

        Assert.Equal(2, _sink.Received.Count);
        Assert.Single(_sink.Received.Select(m => m.Message.MessageId).Distinct());
        var row = await host.RowAsync("reply-lost");
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(2, row.Attempts);
    }

    [Fact]
    public async Task RunAsync_CrashBetweenSendAndRecording_NextRunResendsSameMessageIdAndMarksSent()
    {
        // Prevents a lost notification when the process stops after sending and before recording: the attempt was recorded
        // before the send, no result after it, so the next run sends again at once, with the same Message-ID.
        using var crash = new CancellationTokenSource();
        using var host = new NotificationsHost(sandbox, NotificationsHost.Smtp(_sink),
            sp => new FailAfterSendSender(sp.GetRequiredService<SmtpMailSender>(), ct =>
            {
                crash.Cancel();
                return new OperationCanceledException(crash.Token);
            }));
        await host.EnqueueAsync("crash");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.RunJobAsync(crash.Token));

        var unrecorded = await host.RowAsync("crash");
        Assert.Equal(OutboxStatus.Pending, unrecorded.Status);
        Assert.Equal(1, unrecorded.Attempts);
        Assert.Equal(NotificationsHost.Start, unrecorded.LastAttemptStartedAt);
        Assert.Null(unrecorded.SentAt);
        Assert.Null(unrecorded.LastError);

        Assert.Equal(new SendNotificationsSummary(1, 0, 0), await host.RunJobAsync());
        Assert.Equal(new SendNotificationsSummary(0, 0, 0), await host.RunJobAsync());

        Assert.Equal(2, _sink.Received.Count);
        Assert.Single(_sink.Received.Select(m => m.Message.MessageId).Distinct());
        var row = await host.RowAsync("crash");
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(2, row.Attempts);
    }

    [Fact]
    public async Task RunAsync_SlowServer_StopsTakingMessagesAfterTheRunBudgetAndLeavesTheRestDue()
    {
        using var host = new NotificationsHost(sandbox, NotificationsHost.Smtp(_sink),
            sp => new SlowSender(sp.GetRequiredService<SmtpMailSender>(), (FakeTimeProvider)sp.GetRequiredService<TimeProvider>()));
        foreach (var key in new[] { "slow-1", "slow-2", "slow-3" })
        {
            await host.EnqueueAsync(key);
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(new SendNotificationsSummary(2, 0, 0), await host.RunJobAsync());

        var rest = await host.RowAsync("slow-3");
        Assert.Equal((OutboxStatus.Pending, 0), (rest.Status, rest.Attempts));
        Assert.Equal(new SendNotificationsSummary(1, 0, 0), await host.RunJobAsync());
    }

    /// <summary>Each send takes three minutes of the fake clock.</summary>
    private sealed class SlowSender(IMailSender inner, FakeTimeProvider clock) : IMailSender
    {
        public async Task SendAsync(MimeKit.MimeMessage message, CancellationToken ct)
        {
            clock.Advance(TimeSpan.FromMinutes(3));
            await inner.SendAsync(message, ct);
        }
    }
}
