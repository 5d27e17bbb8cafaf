using DporReports.Core.Notifications;
using Microsoft.Extensions.Options;

namespace DporReports.UnitTests.Notifications;

public sealed class MailOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(MailOptions options) => new MailOptionsValidator().Validate(null, options);

    private static MailOptions Smtp(Action<SmtpSettings>? change = null)
    {
        var options = new MailOptions { Delivery = MailDelivery.Smtp, Smtp = { Host = "smtp.example.com" } };
        change?.Invoke(options.Smtp);
        return options;
    }

    [Fact]
    public void Validate_Defaults_SucceedsWithPickupFolder()
    {
        var options = new MailOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(MailDelivery.PickupFolder, options.Delivery);
        Assert.Equal((587, SmtpSecurity.StartTls, 10), (options.Smtp.Port, options.Smtp.Security, options.MaxAttempts));
    }

    [Fact]
    public void Validate_SmtpWithHost_Succeeds() => Assert.True(Validate(Smtp()).Succeeded);

    [Fact]
    public void Validate_SmtpWithoutHost_FailsNamingTheKey()
    {
        var result = Validate(Smtp(s => s.Host = " "));

        Assert.True(result.Failed);
        Assert.Contains("Mail:Smtp:Host is required when Mail:Delivery is Smtp", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_FailsNamingTheKey(int port) =>
        Assert.Contains("Mail:Smtp:Port", Validate(Smtp(s => s.Port = port)).FailureMessage, StringComparison.Ordinal);

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void Validate_MaxAttemptsOutOfRange_FailsNamingTheKey(int attempts) =>
        Assert.Contains("Mail:MaxAttempts", Validate(new MailOptions { MaxAttempts = attempts }).FailureMessage, StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("Reports <reports@example.com>")]
    public void Validate_FromAddressNotAPlainAddress_FailsNamingTheKey(string from) =>
        Assert.Contains("Mail:FromAddress", Validate(new MailOptions { FromAddress = from }).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void Validate_PasswordWithoutUserName_FailsNamingBothKeys()
    {
        var message = Validate(Smtp(s => s.Password = "secret")).FailureMessage;

        Assert.Contains("Mail:Smtp:Password", message, StringComparison.Ordinal);
        Assert.Contains("Mail:Smtp:UserName", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CredentialsWithoutTls_Fails()
    {
        // Prevents sending the SMTP password in clear text: credentials require StartTls, SslOnConnect or Auto.
        var result = Validate(Smtp(s => (s.UserName, s.Password, s.Security) = ("relay", "secret", SmtpSecurity.None)));

        Assert.True(result.Failed);
        Assert.Contains("Mail:Smtp:Security is None", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PickupFolderDeliveryWithoutFolder_FailsNamingTheKey() =>
        Assert.Contains("Mail:PickupFolder", Validate(new MailOptions { PickupFolder = "" }).FailureMessage, StringComparison.Ordinal);
}
