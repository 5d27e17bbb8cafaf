using DporReports.Core.Notifications;
using DporReports.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Notifications;

[Collection(IntegrationCollection.Name)]
public sealed class NotificationOutboxTests(SandboxFixture sandbox) : IDisposable
{
    private readonly NotificationsHost _host = new(sandbox, new Dictionary<string, string?>());

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Enqueue_SameKeyTwice_StoresOneRow()
    {
        // Prevents a double notification from a retried request: the second enqueue of the same business event is a no-op,
        // whether the first is still only tracked in this unit of work or already saved by an earlier one.
        await using (var scope = _host.Scope())
        {
            var db = DporWebFactory.Db(scope);
            var outbox = scope.ServiceProvider.GetRequiredService<NotificationOutbox>();
            Assert.True(outbox.Enqueue(db, "same-key", "test", ["a@partner.example"], "First", "Body"));
            Assert.False(outbox.Enqueue(db, "same-key", "test", ["a@partner.example"], "Second", "Body"));
            await db.SaveChangesAsync();
        }
        await using (var scope = _host.Scope())
        {
            var db = DporWebFactory.Db(scope);
            var outbox = scope.ServiceProvider.GetRequiredService<NotificationOutbox>();
            Assert.False(await outbox.EnqueueAsync(db, "same-key", "test", ["a@partner.example"], "Third", "Body", CancellationToken.None));
            await db.SaveChangesAsync();
        }

        await using var check = _host.Scope();
        var row = await DporWebFactory.Db(check).OutboxMessages.SingleAsync(m => m.IdempotencyKey == "same-key");
        Assert.Equal("First", row.Subject);
        Assert.Equal(NotificationsHost.Start, row.CreatedAt);
        Assert.Equal(row.CreatedAt, row.NextAttemptAt);
    }

    [Fact]
    public async Task Enqueue_InvalidRecipient_ThrowsNamingTheAddressAndAddsNothing()
    {
        await using var scope = _host.Scope();
        var db = DporWebFactory.Db(scope);
        var outbox = scope.ServiceProvider.GetRequiredService<NotificationOutbox>();

        var error = Assert.Throws<ArgumentException>(() =>
            outbox.Enqueue(db, "bad-recipient", "test", ["ok@partner.example", "not-an-address"], "Subject", "Body"));

        Assert.Contains("'not-an-address'", error.Message, StringComparison.Ordinal);
        Assert.Empty(db.OutboxMessages.Local);
    }
}
