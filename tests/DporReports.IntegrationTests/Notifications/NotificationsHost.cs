using DporReports.Core.Notifications;
using DporReports.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Notifications;

/// <summary>
/// The real host on a fresh SQLite file, with a fake clock and (optionally) a replaced mail sender. Adds the notifications
/// module itself; <see cref="NotificationsModule.AddNotifications"/> is a no-op when Program.cs already did.
/// </summary>
internal sealed class NotificationsHost : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private readonly DporWebFactory _factory;

    public NotificationsHost(SandboxFixture sandbox, IDictionary<string, string?> settings,
        Func<IServiceProvider, IMailSender>? sender = null)
    {
        _factory = new DporWebFactory(sandbox, settings);
        App = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddNotifications();
            services.AddSingleton<TimeProvider>(Clock);
            if (sender is not null) services.AddSingleton(sender);
        }));
    }

    public static Dictionary<string, string?> Smtp(SmtpSink sink, int maxAttempts = 10) => new()
    {
        ["Mail:Delivery"] = "Smtp",
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
        ["Mail:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:FromAddress"] = "dpor@reports.example",
        ["Mail:FromName"] = "DPOR Reports",
    };

    public FakeTimeProvider Clock { get; } = new(Start);

    public WebApplicationFactory<Program> App { get; }

    public AsyncServiceScope Scope() => App.Services.CreateAsyncScope();

    /// <summary>Enqueues and saves one message, as a feature would in its own transaction.</summary>
    public async Task EnqueueAsync(string key, params string[] recipients)
    {
        await using var scope = Scope();
        var db = DporWebFactory.Db(scope);
        scope.ServiceProvider.GetRequiredService<NotificationOutbox>()
            .Enqueue(db, key, "test", recipients.Length == 0 ? ["partner@tailspin.example"] : recipients, $"Subject of {key}", $"Body of {key}\n");
        await db.SaveChangesAsync();
    }

    /// <summary>Runs the job as Hangfire would: a fresh scope, the class resolved from DI.</summary>
    public async Task<SendNotificationsSummary> RunJobAsync(CancellationToken ct = default)
    {
        await using var scope = Scope();
        return await scope.ServiceProvider.GetRequiredService<SendNotificationsJob>().RunAsync(ct);
    }

    public async Task<OutboxMessage> RowAsync(string key)
    {
        await using var scope = Scope();
        return await DporWebFactory.Db(scope).OutboxMessages.AsNoTracking().SingleAsync(m => m.IdempotencyKey == key);
    }

    public void Dispose() => _factory.Dispose();
}

/// <summary>Sends through the real sender, then fails as if the reply were lost: the mail is out but the job cannot know.</summary>
internal sealed class FailAfterSendSender(IMailSender inner, Func<CancellationToken, Exception> failure, int times = 1) : IMailSender
{
    private int _remaining = times;

    public async Task SendAsync(MimeKit.MimeMessage message, CancellationToken ct)
    {
        await inner.SendAsync(message, ct);
        if (Interlocked.Decrement(ref _remaining) >= 0) throw failure(ct);
    }
}
