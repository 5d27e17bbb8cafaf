using DporReports.Core.Notifications;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.IntegrationTests.Notifications;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;

namespace DporReports.IntegrationTests.Assignments;

/// <summary>
/// design.md §2 "Notifications", end to end: assign, change and remove through the API; the send job delivers over real
/// SMTP (a listener on loopback) to the partners concerned — the new partner on assignment and change, the old one on
/// change and removal — with tenant, subscription, partners, who and when.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AssignmentMailTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly SmtpSink _sink = new();
    private DporWebFactory _app = null!;

    public async Task InitializeAsync()
    {
        var settings = NotificationsHost.Smtp(_sink);
        settings["DemoData:Enabled"] = "true";
        _app = new DporWebFactory(sandbox, settings);
        await _app.ConnectedTenantAsync();
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task AssignChangeRemove_MailsEachPartnerConcerned_OnceEach()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync("Office 365 E3"))[0];

        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        (await admin.AssignAsync(subscription, DemoData.LitwareMpnId)).EnsureSuccessStatusCode();
        (await admin.RemoveAsync(subscription)).EnsureSuccessStatusCode();
        await SendAsync();
        await SendAsync(); // a second run sends nothing again

        var mails = _sink.Received.Select(m => (To: m.Recipients.Single(), m.Message.Subject, Body: m.Message.TextBody ?? "")).ToList();
        Assert.Equal(4, mails.Count);
        var toAdatum = mails.Where(m => m.To == "dpor@adatum.example").ToList();
        var toLitware = mails.Where(m => m.To == "partners@litware.example").ToList();
        Assert.Equal(2, toAdatum.Count);
        Assert.Equal(2, toLitware.Count);
        // The seed's partners registered with Spanish as their notification language.
        Assert.Contains(toAdatum, m => m.Subject == "Contoso Ltd lo designó como Digital Partner of Record");
        Assert.Contains(toAdatum, m => m.Body.Contains("reemplazó a su organización por Litware Partners", StringComparison.Ordinal));
        Assert.Contains(toLitware, m => m.Body.Contains("Reemplaza a Adatum Consulting", StringComparison.Ordinal));
        Assert.Contains(toLitware, m => m.Subject == "Contoso Ltd lo quitó como Digital Partner of Record");
        Assert.All(mails, m =>
        {
            Assert.Contains("Ada Admin, de Contoso Ltd", m.Body, StringComparison.Ordinal);
            Assert.Contains("Office 365 E3", m.Body, StringComparison.Ordinal);
            Assert.Contains(subscription.ToString(), m.Body, StringComparison.Ordinal);
            Assert.Matches(@"\d{2}/\d{2}/\d{4} \d{2}:\d{2} UTC", m.Body);
        });
        Assert.Equal(4, _sink.Received.Select(m => m.Message.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task SamePartnerAgain_SendsNoSecondMail()
    {
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();
        (await admin.AssignAsync(subscription, DemoData.AdatumMpnId)).EnsureSuccessStatusCode();

        await SendAsync();

        Assert.Single(_sink.Received);
    }

    private Task SendAsync() => _app.RunJobAsync<SendNotificationsJob>(job => job.RunAsync(default));
}
