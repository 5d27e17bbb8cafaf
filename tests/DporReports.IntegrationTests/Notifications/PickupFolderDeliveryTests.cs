using DporReports.Core.Notifications;
using DporReports.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace DporReports.IntegrationTests.Notifications;

[Collection(IntegrationCollection.Name)]
public sealed class PickupFolderDeliveryTests(SandboxFixture sandbox) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"dpor-mail-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private Dictionary<string, string?> Settings() => new() { ["Mail:PickupFolder"] = _folder };

    [Fact]
    public async Task RunAsync_PickupFolderDelivery_WritesOneEmlNamedByMessageId()
    {
        using var host = new NotificationsHost(sandbox, Settings());
        await host.EnqueueAsync("assignment:7:removed", "dpor@tailspin.example");

        Assert.Equal(new SendNotificationsSummary(1, 0, 0), await host.RunJobAsync());

        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal(MessageIds.For("assignment:7:removed") + ".eml", Path.GetFileName(file));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("Subject of assignment:7:removed", message.Subject);
        Assert.Equal("dpor@tailspin.example", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("dpor-reports@localhost.example", Assert.Single(message.From.Mailboxes).Address);
    }

    [Fact]
    public async Task RunAsync_SentTwiceAfterACrash_LeavesExactlyOneEml()
    {
        // Prevents a doubled notification through the pickup folder: a message sent again after a crash overwrites its
        // own file (named by Message-ID) instead of adding a second one.
        using var crash = new CancellationTokenSource();
        using var host = new NotificationsHost(sandbox, Settings(),
            sp => new FailAfterSendSender(sp.GetRequiredService<PickupFolderMailSender>(), _ =>
            {
                crash.Cancel();
                return new OperationCanceledException(crash.Token);
            }));
        await host.EnqueueAsync("pickup-crash");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await host.EnqueueAsync("pickup-other");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.RunJobAsync(crash.Token));
        Assert.Equal(MessageIds.For("pickup-crash") + ".eml", Path.GetFileName(Assert.Single(Directory.GetFiles(_folder))));
        Assert.Equal(new SendNotificationsSummary(2, 0, 0), await host.RunJobAsync());

        var files = Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { MessageIds.For("pickup-crash"), MessageIds.For("pickup-other") }.Select(id => id + ".eml").Order(StringComparer.Ordinal), files);
        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync("pickup-crash")).Status);
    }
}
