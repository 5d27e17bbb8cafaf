using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Notifications;

public static class NotificationsModule
{
    /// <summary>Mail options (validated at start-up), the sender chosen by Mail:Delivery, the outbox and the send job.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        // Idempotent, so a test host can add it whether or not the web host already did.
        if (services.Any(s => s.ServiceType == typeof(SendNotificationsJob))) return services;

        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<PickupFolderMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value.Delivery == MailDelivery.Smtp
            ? sp.GetRequiredService<SmtpMailSender>()
            : sp.GetRequiredService<PickupFolderMailSender>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<NotificationOutbox>();
        services.AddScoped<SendNotificationsJob>();
        return services;
    }
}

/// <summary>The recurring notification job, under one stable id.</summary>
public static class NotificationJobs
{
    public const string RecurringJobId = "notifications:send";

    /// <summary>Every minute: a notification waits at most a minute (plus back-off after a failure).</summary>
    public const string Cron = "* * * * *";

    public static void Schedule(IRecurringJobManager manager) =>
        manager.AddOrUpdate(RecurringJobId, Job.FromExpression<SendNotificationsJob>(j => j.RunAsync(CancellationToken.None)), Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
}
