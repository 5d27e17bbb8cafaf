using DporReports.Core.Notifications;
using DporReports.IntegrationTests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DporReports.IntegrationTests.Notifications;

[Collection(IntegrationCollection.Name)]
public sealed class NotificationsStartupTests(SandboxFixture sandbox)
{
    [Fact]
    public void Start_SmtpWithoutHost_RefusesToStartNamingTheKey()
    {
        using var host = new NotificationsHost(sandbox, new Dictionary<string, string?> { ["Mail:Delivery"] = "Smtp" });

        var error = Assert.Throws<OptionsValidationException>(() => host.App.CreateClient());

        Assert.Contains("Mail:Smtp:Host is required when Mail:Delivery is Smtp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_DefaultConfiguration_UsesThePickupFolder()
    {
        using var host = new NotificationsHost(sandbox, new Dictionary<string, string?>());

        Assert.IsType<PickupFolderMailSender>(host.App.Services.GetRequiredService<IMailSender>());
    }

    [Fact]
    public async Task Schedule_TriggeredByHangfire_DeliversThroughTheRealServer()
    {
        await using var sink = new SmtpSink();
        var settings = NotificationsHost.Smtp(sink);
        settings["Hangfire:Server:Enabled"] = "true";
        using var host = new NotificationsHost(sandbox, settings);
        await host.EnqueueAsync("via-hangfire");
        var manager = host.App.Services.GetRequiredService<IRecurringJobManager>();

        NotificationJobs.Schedule(manager);

        using (var connection = host.App.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == NotificationJobs.RecurringJobId);
            Assert.Equal("* * * * *", job.Cron);
            Assert.Equal(TimeZoneInfo.Utc.Id, job.TimeZoneId);
            Assert.Equal(typeof(SendNotificationsJob), job.Job.Type);
        }
        manager.Trigger(NotificationJobs.RecurringJobId);
        var monitoring = host.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        // Until the mail arrives and the job has marked it sent (or the job fails): on a loaded machine Hangfire may run another
        // job first, a worker can take well over half a minute to pick the triggered one up, and the row is marked only after
        // the server has accepted the mail, a moment after the sink holds it.
        var deadline = Task.Delay(TimeSpan.FromSeconds(90));
        while ((sink.Received.Count == 0 || (await host.RowAsync("via-hangfire")).Status != OutboxStatus.Sent)
               && monitoring.FailedCount() == 0 && !deadline.IsCompleted)
            await Task.Delay(100);

        Assert.Equal(0, monitoring.FailedCount());
        Assert.Equal("Subject of via-hangfire", Assert.Single(sink.Received).Message.Subject);
        Assert.Equal(OutboxStatus.Sent, (await host.RowAsync("via-hangfire")).Status);
    }
}
