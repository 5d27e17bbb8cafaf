using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using DporReports.Core.Notifications;
using DporReports.Core.Reports;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.IntegrationTests.Notifications;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace DporReports.IntegrationTests.Reports;

/// <summary>
/// A schedule's runs through the real job, outbox and SMTP: one workbook and one mail per period however often the run
/// is fired, the workbook in the partner's downloads, a link (and, under the size limit, the file) in the mail, and the
/// verified windows as they are at run time — a removal shows in the next run while earlier files stay.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReportScheduleRunTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly SmtpSink _smtp = new();
    private DporWebFactory _app = null!;
    private Guid _subscription;
    private Guid _adatum;

    private async Task StartAsync(long attachmentLimit = 5 * 1024 * 1024)
    {
        var settings = NotificationsHost.Smtp(_smtp);
        settings["DemoData:Enabled"] = "true";
        settings["Reports:Schedules:AttachmentLimitBytes"] = attachmentLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _app = new DporWebFactory(sandbox, settings) { Clock = _clock };
        await _app.ConnectedTenantAsync();
        using var admin = await _app.ApiClientAsync("contoso-admin");
        _subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            for (var offset = -10; offset <= 20; offset++)
                db.Add(SubscriptionUsageFact.Of(Contoso, Day0.AddDays(offset),
                    new SubscriptionWorkloadUsage(_subscription, Workload.Exchange, 250, 200, 100 + offset)));
            await db.SaveChangesAsync();
            _adatum = db.Partners.Single(p => p.TenantId == SandboxDirectory.AdatumTenantId).Id;
        }
        await _app.AssignAndVerifyAsync(_subscription, DemoData.AdatumMpnId);
        await SendMailAsync(); // the assignment notifications, out of the way
        _smtp.Clear();
        _clock.Advance(TimeSpan.FromDays(5));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _app?.Dispose();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Run_FiredThreeTimesForOnePeriod_OneWorkbookInDownloads_OneMailWithLinkAndAttachment()
    {
        await StartAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var schedule = (await ReportScheduleTests.CreateAsync(adatum, ReportScheduleTests.Weekly(
            recipients: ["dpor@adatum.example", "adam.admin@adatum.example"]))).GetProperty("id").GetGuid();

        await RunAsync(schedule);
        await RunAsync(schedule);
        await RunAsync(schedule, "Adam Admin");
        using var again = await adatum.PostAsync($"/api/partner/report-schedules/{schedule}/run", null);
        await SendMailAsync();

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("schedule_period_done", await again.CodeAsync());
        var run = Assert.Single((await adatum.GetFromJsonAsync<JsonElement[]>($"/api/partner/report-schedules/{schedule}/runs"))!);
        Assert.Equal("Done", run.GetProperty("status").GetString());
        Assert.Equal(Day0.AddDays(5 - 27), DateOnly.Parse(run.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Day0.AddDays(5), DateOnly.Parse(run.GetProperty("to").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, run.GetProperty("rows").GetInt32());
        Assert.True(run.GetProperty("attachmentIncluded").GetBoolean());
        Assert.Equal(["dpor@adatum.example", "adam.admin@adatum.example"], run.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()));

        var file = run.GetProperty("fileId").GetGuid();
        var listed = Assert.Single((await adatum.GetFromJsonAsync<JsonElement[]>("/api/partner/reports/files"))!);
        Assert.Equal(file, listed.GetProperty("id").GetGuid());
        Assert.Equal(run.GetProperty("size").GetInt64(), listed.GetProperty("size").GetInt64());
        var downloaded = await adatum.GetByteArrayAsync($"/api/partner/reports/files/{file}");

        var mail = Assert.Single(_smtp.Received);
        Assert.Equal(["dpor@adatum.example", "adam.admin@adatum.example"], mail.Recipients);
        Assert.Contains($"https://dpor.test/partner/reports?handler=Download&id={file}", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Monday summary", mail.Message.Subject, StringComparison.Ordinal);
        var attachment = Assert.IsType<MimePart>(Assert.Single(mail.Message.Attachments));
        Assert.Equal(GenerateReportJob.ContentType, attachment.ContentType.MimeType);
        using var attached = new MemoryStream();
        await attachment.Content!.DecodeToAsync(attached);
        Assert.Equal(downloaded, attached.ToArray());
        // Adatum (the seed's partner) reads Spanish: its scheduled workbook is in Spanish.
        using var workbook = new XLWorkbook(new MemoryStream(downloaded));
        var sheet = workbook.Worksheet("Resumen de consumo");
        var mau = sheet.Row(1).CellsUsed().Single(c => c.GetString() == "MAU de Exchange").Address.ColumnNumber;
        Assert.Equal(105, sheet.Row(2).Cell(mau).GetValue<int>());
    }

    [Fact]
    public async Task Run_PartnerReadsSpanishThenSwitchesToEnglish_MailAndWorkbookFollowItsNotificationLanguage()
    {
        await StartAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var spanish = (await ReportScheduleTests.CreateAsync(adatum, ReportScheduleTests.Weekly("Resumen del lunes"))).GetProperty("id").GetGuid();
        await RunAsync(spanish);
        var registration = await adatum.GetFromJsonAsync<JsonElement>("/api/partner/registration");
        (await adatum.PutAsJsonAsync("/api/partner/registration", new
        {
            displayName = registration.GetProperty("displayName").GetString(),
            notificationEmail = registration.GetProperty("notificationEmail").GetString(),
            partnerIds = registration.GetProperty("partnerIds").EnumerateArray().Select(i => i.GetString()).ToArray(),
            notificationLanguage = "en",
        })).EnsureSuccessStatusCode();
        var english = (await ReportScheduleTests.CreateAsync(adatum, ReportScheduleTests.Weekly("Monday summary"))).GetProperty("id").GetGuid();
        await RunAsync(english);
        await SendMailAsync();

        var (from, to) = (Day0.AddDays(5 - 27), Day0.AddDays(5));
        var es = _smtp.Received.Single(m => m.Message.Subject?.Contains("Resumen del lunes", StringComparison.Ordinal) == true).Message;
        var en = _smtp.Received.Single(m => m.Message.Subject?.Contains("Monday summary", StringComparison.Ordinal) == true).Message;
        Assert.Equal($"Resumen de consumo, del {from:dd/MM/yyyy} al {to:dd/MM/yyyy} (Resumen del lunes)", es.Subject);
        Assert.Equal($"Consumption summary, {from:yyyy-MM-dd} to {to:yyyy-MM-dd} (Monday summary)", en.Subject);
        Assert.StartsWith("Hola:", es.TextBody, StringComparison.Ordinal);
        Assert.Contains("El libro está adjunto", es.TextBody, StringComparison.Ordinal);
        Assert.Contains("El libro está adjunto", WebUtility.HtmlDecode(es.HtmlBody), StringComparison.Ordinal);
        Assert.StartsWith("Hello,", en.TextBody, StringComparison.Ordinal);
        Assert.Contains("The workbook is attached", en.TextBody, StringComparison.Ordinal);
        Assert.Equal(["Acerca de", "Resumen de consumo"], await SheetNamesAsync(adatum, spanish));
        Assert.Equal(["About", "Consumption summary"], await SheetNamesAsync(adatum, english));
    }

    private static async Task<string[]> SheetNamesAsync(HttpClient partner, Guid schedule)
    {
        var run = Assert.Single((await partner.GetFromJsonAsync<JsonElement[]>($"/api/partner/report-schedules/{schedule}/runs"))!);
        using var workbook = new XLWorkbook(new MemoryStream(await partner.GetByteArrayAsync($"/api/partner/reports/files/{run.GetProperty("fileId").GetGuid()}")));
        return [.. workbook.Worksheets.Select(w => w.Name)];
    }

    [Fact]
    public async Task Run_WorkbookLargerThanTheLimit_MailsTheLinkOnly()
    {
        await StartAsync(attachmentLimit: 1000);
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var schedule = (await ReportScheduleTests.CreateAsync(adatum, ReportScheduleTests.Weekly())).GetProperty("id").GetGuid();

        await RunAsync(schedule);
        await SendMailAsync();

        var mail = Assert.Single(_smtp.Received);
        Assert.Empty(mail.Message.Attachments);
        Assert.Contains("no se adjunta", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://dpor.test/partner/reports?handler=Download&id=", mail.Message.TextBody, StringComparison.Ordinal);
        var run = Assert.Single((await adatum.GetFromJsonAsync<JsonElement[]>($"/api/partner/report-schedules/{schedule}/runs"))!);
        Assert.False(run.GetProperty("attachmentIncluded").GetBoolean());
    }

    [Fact]
    public async Task Run_AfterTheCustomerRemovedThePartner_NextRunHoldsNoneOfItsFigures_EarlierFileStays()
    {
        await StartAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var schedule = (await ReportScheduleTests.CreateAsync(adatum, ReportScheduleTests.Weekly())).GetProperty("id").GetGuid();
        await RunAsync(schedule);
        using (var customer = await _app.ApiClientAsync("contoso-admin"))
            (await customer.DeleteAsync($"/api/customer/subscriptions/{_subscription}/partner-of-record")).EnsureSuccessStatusCode();

        _clock.Advance(TimeSpan.FromDays(7));
        await RunAsync(schedule);

        var runs = (await adatum.GetFromJsonAsync<JsonElement[]>($"/api/partner/report-schedules/{schedule}/runs"))!;
        Assert.Equal(2, runs.Length);
        Assert.All(runs, r => Assert.Equal("Done", r.GetProperty("status").GetString()));
        Assert.Equal(0, runs[0].GetProperty("rows").GetInt32());
        Assert.Equal(1, runs[1].GetProperty("rows").GetInt32());
        using var latest = new XLWorkbook(new MemoryStream(await adatum.GetByteArrayAsync($"/api/partner/reports/files/{runs[0].GetProperty("fileId").GetGuid()}")));
        Assert.DoesNotContain(latest.Worksheets.SelectMany(s => s.CellsUsed()), c => c.GetString() == _subscription.ToString());
        using var earlier = await adatum.GetAsync($"/api/partner/reports/files/{runs[1].GetProperty("fileId").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
    }

    [Fact]
    public async Task Run_RecipientDomainWithdrawnByAnOperator_IsLeftOutAndSaid()
    {
        await StartAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var operatorClient = await _app.ApiClientAsync("operator");
        (await operatorClient.PutAsJsonAsync($"/api/ops/partners/{_adatum}/recipient-domains", new { domains = new[] { "partners.example" } }))
            .EnsureSuccessStatusCode();
        var schedule = (await ReportScheduleTests.CreateAsync(adatum, ReportScheduleTests.Weekly(
            recipients: ["dpor@adatum.example", "desk@partners.example"]))).GetProperty("id").GetGuid();
        (await operatorClient.PutAsJsonAsync($"/api/ops/partners/{_adatum}/recipient-domains", new { domains = Array.Empty<string>() }))
            .EnsureSuccessStatusCode();

        await RunAsync(schedule);
        await SendMailAsync();

        Assert.Equal(["dpor@adatum.example"], Assert.Single(_smtp.Received).Recipients);
        var run = Assert.Single((await adatum.GetFromJsonAsync<JsonElement[]>($"/api/partner/report-schedules/{schedule}/runs"))!);
        Assert.Contains("desk@partners.example", run.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ScheduleSwitchedOff_FiredRunDoesNothing_RunNowStillWorks()
    {
        await StartAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var body = JsonSerializer.SerializeToNode(ReportScheduleTests.Weekly())!.AsObject();
        body["enabled"] = false;
        var schedule = (await ReportScheduleTests.CreateAsync(adatum, body)).GetProperty("id").GetGuid();

        await RunAsync(schedule);
        Assert.Empty((await adatum.GetFromJsonAsync<JsonElement[]>($"/api/partner/report-schedules/{schedule}/runs"))!);

        await RunAsync(schedule, "Adam Admin");
        var run = Assert.Single((await adatum.GetFromJsonAsync<JsonElement[]>($"/api/partner/report-schedules/{schedule}/runs"))!);
        Assert.Equal("run now by Adam Admin", run.GetProperty("triggeredBy").GetString());
    }

    /// <summary>
    /// A period is about the partner's calendar: a monthly run just after midnight on the 1st in Berlin is still the 31st in
    /// UTC. Computing the period from the UTC date would deliver the month before last.
    /// </summary>
    [Theory]
    [InlineData("2026-10-31T23:30:00Z", "Europe/Berlin", "2026-10-01", "2026-10-31")] // 00:30 on 1 November, CET (after the autumn change)
    [InlineData("2026-10-31T23:30:00Z", "UTC", "2026-09-01", "2026-09-30")]
    [InlineData("2027-03-31T22:30:00Z", "Europe/Berlin", "2027-03-01", "2027-03-31")] // 00:30 on 1 April, CEST (after the spring change)
    [InlineData("2027-04-01T03:00:00Z", "America/Los_Angeles", "2027-02-01", "2027-02-28")] // 20:00 on 31 March, PDT
    public async Task Run_PreviousMonth_IsTheMonthBeforeTheRunsDateInTheSchedulesZone(string now, string zone, string from, string to)
    {
        await StartAsync();
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var schedule = (await ReportScheduleTests.CreateAsync(adatum, new
        {
            name = "Monthly", reportId = "assignment-ledger", period = "previousMonth", cadence = "monthly", dayOfMonth = 1, time = "00:30",
            timeZone = zone, recipients = new[] { "dpor@adatum.example" }, tenantIds = Array.Empty<Guid>(), enabled = true,
        })).GetProperty("id").GetGuid();
        _clock.SetUtcNow(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        await RunAsync(schedule);

        var run = Assert.Single((await adatum.GetFromJsonAsync<JsonElement[]>($"/api/partner/report-schedules/{schedule}/runs"))!);
        Assert.Equal(from, run.GetProperty("from").GetString());
        Assert.Equal(to, run.GetProperty("to").GetString());
    }

    private Task RunAsync(Guid schedule, string? by = null) =>
        _app.RunJobAsync<RunReportScheduleJob>(j => j.RunAsync(_adatum, schedule, by, default));

    private Task SendMailAsync() => _app.RunJobAsync<SendNotificationsJob>(j => j.RunAsync(default));
}
