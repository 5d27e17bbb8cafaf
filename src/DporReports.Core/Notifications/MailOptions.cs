using System.Globalization;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Notifications;

public enum MailDelivery
{
    /// <summary>Writes .eml files into a folder: the embedded default, no mail server needed.</summary>
    PickupFolder,
    Smtp,
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,

    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it otherwise (MailKit's Auto).</summary>
    Auto,
}

public sealed class MailOptions
{
    public const string SectionName = "Mail";

    public MailDelivery Delivery { get; set; } = MailDelivery.PickupFolder;

    /// <summary>A relative path is resolved against the content root.</summary>
    public string PickupFolder { get; set; } = "App_Data/mail";

    public string FromAddress { get; set; } = "dpor-reports@localhost.example";
    public string FromName { get; set; } = "DporReports";
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>With back-off doubling from 1 minute and capped at 60, the default 10 attempts span about 6 hours.</summary>
    public int MaxAttempts { get; set; } = 10;
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }

    /// <summary>587 is the submission port (RFC 6409), used with STARTTLS.</summary>
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

/// <summary>Refuses a mail configuration that could not deliver, naming the offending key.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        const string S = MailOptions.SectionName;
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Delivery))
            errors.Add($"{S}:Delivery must be PickupFolder or Smtp.");
        if (options.MaxAttempts is < 1 or > 50)
            errors.Add($"{S}:MaxAttempts must be between 1 and 50 (is {options.MaxAttempts.ToString(CultureInfo.InvariantCulture)}).");
        if (!NotificationOutbox.IsPlainAddress(options.FromAddress))
            errors.Add($"{S}:FromAddress must be a plain e-mail address such as dpor-reports@example.com (is '{options.FromAddress}').");
        if (string.IsNullOrWhiteSpace(options.FromName))
            errors.Add($"{S}:FromName is required.");

        if (options.Delivery == MailDelivery.PickupFolder && string.IsNullOrWhiteSpace(options.PickupFolder))
            errors.Add($"{S}:PickupFolder is required when {S}:Delivery is PickupFolder.");

        if (options.Delivery == MailDelivery.Smtp)
        {
            var smtp = options.Smtp;
            if (string.IsNullOrWhiteSpace(smtp.Host))
                errors.Add($"{S}:Smtp:Host is required when {S}:Delivery is Smtp.");
            if (smtp.Port is < 1 or > 65535)
                errors.Add($"{S}:Smtp:Port must be between 1 and 65535 (is {smtp.Port.ToString(CultureInfo.InvariantCulture)}).");
            if (!Enum.IsDefined(smtp.Security))
                errors.Add($"{S}:Smtp:Security must be None, StartTls, SslOnConnect or Auto.");
            if (!string.IsNullOrEmpty(smtp.Password) && string.IsNullOrWhiteSpace(smtp.UserName))
                errors.Add($"{S}:Smtp:Password is set but {S}:Smtp:UserName is empty; set both or neither.");
            // A password over an unencrypted connection can be read by anyone on the path.
            if (!string.IsNullOrWhiteSpace(smtp.UserName) && smtp.Security == SmtpSecurity.None)
                errors.Add($"{S}:Smtp:UserName is set but {S}:Smtp:Security is None: credentials would be sent in clear text; use StartTls or SslOnConnect.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
