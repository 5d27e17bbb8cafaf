using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DporReports.Core.Notifications;

/// <summary>
/// Writes each message as <c>&lt;Message-ID&gt;.eml</c> into the pickup folder, through a temporary file and an atomic
/// rename that overwrites: a reader never sees half a file, and the same message written twice is still one file.
/// </summary>
public sealed class PickupFolderMailSender(IOptions<MailOptions> options, IHostEnvironment environment) : IMailSender
{
    public string Folder => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.PickupFolder));

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(message.MessageId))
            throw new ArgumentException("A message needs a Message-ID to be written to the pickup folder.", nameof(message));
        var folder = Folder;
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, MessageIds.FileName(message.MessageId));
        var temp = Path.Combine(folder, $".{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await message.WriteToAsync(file, ct);
                await file.FlushAsync(ct);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
