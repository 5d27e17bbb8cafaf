using MimeKit;

namespace DporReports.Core.Notifications;

/// <summary>
/// Hands one message to the outside world. Implementations must be safe to call again with the same message: the send job
/// re-sends with the same Message-ID when it cannot know whether a previous attempt went out.
/// </summary>
public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}
