using System.Net;
using System.Text.RegularExpressions;
using DporReports.Core.Reports.Schedules;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Reports;

/// <summary>The schedule pages: create (errors shown at the field), run now, run history with the file; readers only read.</summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class ReportSchedulePagesTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public Task InitializeAsync() => _app.VerifiedTenantAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task CreateRunNowAndHistory_ThroughThePages()
    {
        using var adatum = await _app.SignInAsync("adatum-admin");
        var form = await adatum.GetStringAsync("/partner/reports/schedules");
        var fields = BrowserSignIn.HiddenFields(form);
        fields["Form.Name"] = "Weekly summary";
        fields["Form.ReportId"] = "consumption-summary";
        fields["Form.Period"] = "last28Days";
        fields["Form.Cadence"] = "weekly";
        fields["Form.DayOfWeek"] = "monday";
        fields["Form.Time"] = "07:00";
        fields["Form.TimeZone"] = "Mars/Olympus";
        fields["Form.Recipients"] = "adam.admin@adatum.example\ndpor@adatum.example";
        fields["Form.Enabled"] = "true";

        using var refused = await adatum.PostAsync("/partner/reports/schedules", new FormUrlEncodedContent(fields));
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("data-field-error=\"timeZone\"", refusedPage, StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus", refusedPage, StringComparison.Ordinal); // what was typed stays in the form

        fields["Form.TimeZone"] = "Europe/Berlin";
        using var created = await adatum.PostAsync("/partner/reports/schedules", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var detailUrl = created.Headers.Location!.OriginalString;
        var id = Guid.Parse(ScheduleId().Match(detailUrl).Value);
        var detail = await adatum.GetStringAsync(detailUrl);
        Assert.Contains("Weekly on Monday at 07:00 (Europe/Berlin)", detail, StringComparison.Ordinal);
        Assert.Contains("data-next-runs", detail, StringComparison.Ordinal);

        using var run = await adatum.PostAsync($"{detailUrl}?handler=Run", new FormUrlEncodedContent(BrowserSignIn.HiddenFields(detail)));
        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        await RunQueuedScheduleJobAsync(id);

        var history = await adatum.GetStringAsync(detailUrl);
        Assert.Contains("data-status=\"Done\"", history, StringComparison.Ordinal);
        Assert.Contains("run now by Adam Admin", history, StringComparison.Ordinal);
        Assert.Contains("adam.admin@adatum.example, dpor@adatum.example (with attachment)", history, StringComparison.Ordinal);
        var file = Regex.Match(history, @"handler=Download&amp;id=([0-9a-f-]{36})").Groups[1].Value;
        using var download = await adatum.GetAsync($"/partner/reports?handler=Download&id={file}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);

        await ReaderSeesButCannotChangeAsync(detailUrl);
        await AnotherPartnerGets404Async(detailUrl);
    }

    [Fact]
    public async Task Operator_AllowsAnExtraDomainOnThePartnersPage_PartnerMayThenMailIt()
    {
        using var operatorBrowser = await _app.SignInAsync("operator");
        var page = await operatorBrowser.GetStringAsync("/ops/partners");
        Guid adatum;
        await using (var scope = _app.Scope())
            adatum = DporWebFactory.Db(scope).Partners.Single(p => p.TenantId == SandboxDirectory.AdatumTenantId).Id;
        var fields = BrowserSignIn.HiddenFields(page);
        fields["id"] = adatum.ToString();
        fields["domains"] = "adatum-customers.example, bad domain";

        using var refused = await operatorBrowser.PostAsync("/ops/partners?handler=Domains", new FormUrlEncodedContent(fields));
        Assert.Contains("is not a domain name", await operatorBrowser.GetStringAsync(refused.Headers.Location), StringComparison.Ordinal);
        fields["domains"] = "adatum-customers.example";
        using var saved = await operatorBrowser.PostAsync("/ops/partners?handler=Domains", new FormUrlEncodedContent(fields));
        Assert.Contains("adatum-customers.example (allowed by an operator)", await operatorBrowser.GetStringAsync(saved.Headers.Location), StringComparison.Ordinal);

        using var partner = await _app.ApiClientAsync("adatum-admin");
        await ReportScheduleTests.CreateAsync(partner, ReportScheduleTests.Weekly(recipients: ["desk@adatum-customers.example"]));
    }

    private async Task ReaderSeesButCannotChangeAsync(string detailUrl)
    {
        using var reader = await _app.SignInAsync("adatum-reader");
        var page = await reader.GetStringAsync(detailUrl);
        Assert.Contains("Weekly summary", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Delete", page, StringComparison.Ordinal);
        using var delete = await reader.PostAsync($"{detailUrl}?handler=Delete", new FormUrlEncodedContent(BrowserSignIn.HiddenFields(page)));
        // Refused: the cookie scheme answers a forbidden page request with a redirect to the access-denied page.
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.StartsWith("/access-denied", delete.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("Weekly summary", await reader.GetStringAsync("/partner/reports/schedules"), StringComparison.Ordinal);
    }

    private async Task AnotherPartnerGets404Async(string detailUrl)
    {
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        using var litware = await _app.SignInAsync("litware-admin");
        using var stolen = await litware.GetAsync(detailUrl);
        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        Assert.DoesNotContain("Weekly summary", await litware.GetStringAsync("/partner/reports/schedules"), StringComparison.Ordinal);
    }

    private async Task RunQueuedScheduleJobAsync(Guid scheduleId)
    {
        await using var scope = _app.Scope();
        var partnerId = DporWebFactory.Db(scope).Partners.Single(p => p.TenantId == SandboxDirectory.AdatumTenantId).Id;
        var monitoring = scope.ServiceProvider.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var queued = monitoring.EnqueuedJobs("reports", 0, 10).Select(j => j.Value.Job)
            .Single(j => j.Type == typeof(RunReportScheduleJob) && (Guid)j.Args[1] == scheduleId);
        await _app.RunJobAsync<RunReportScheduleJob>(j => j.RunAsync(partnerId, scheduleId, (string?)queued.Args[2], default));
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex ScheduleId();
}
