using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using DporReports.Core.Observability;
using DporReports.Core.Reports;
using DporReports.Core.Reports.Workbooks;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Observability;

/// <summary>A workbook build is timed and its rows counted, by catalog report id, on the span of that one request.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReportTelemetryTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private readonly FakeTimeProvider _clock = new(T0);
    private DporWebFactory _app = null!;

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" }) { Clock = _clock };
        await _app.ConnectedTenantAsync();
        using var admin = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            for (var offset = -10; offset <= 5; offset++)
                db.Add(SubscriptionUsageFact.Of(Contoso, Day0.AddDays(offset), new SubscriptionWorkloadUsage(subscription, Workload.Exchange, 250, 200, 100 + offset)));
            await db.SaveChangesAsync();
        }
        await _app.AssignAndVerifyAsync(subscription, DemoData.AdatumMpnId);
        _clock.Advance(TimeSpan.FromDays(5));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("consumption-summary")]
    [InlineData("assignment-ledger")]
    public async Task Build_RequestedWorkbook_RecordsItsBuildTimeAndRowsByReportId(string reportId)
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var telemetry = new TelemetryRecorder();

        var file = await RequestAndRunAsync(adatum, reportId);

        var built = Assert.Single(telemetry.Measurements("dpor.report.build.duration"), m => m.IsFor(DporTelemetry.Tags.GeneratedReportId, file));
        Assert.Equal(reportId, built.Tag(DporTelemetry.Tags.ReportId));
        Assert.Equal(DporTelemetry.Outcomes.Succeeded, built.Tag(DporTelemetry.Tags.Outcome));
        Assert.True(built.Value > 0);
        var rows = Assert.Single(telemetry.Measurements("dpor.report.rows"), m => m.IsFor(DporTelemetry.Tags.GeneratedReportId, file));
        Assert.Equal(reportId, rows.Tag(DporTelemetry.Tags.ReportId));
        // The rows counted are the data rows of the delivered workbook: every sheet but About, less its header row.
        using var download = await adatum.GetAsync($"/api/partner/reports/files/{file}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var workbook = new XLWorkbook(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var dataRows = workbook.Worksheets.Where(s => s.Name != WorkbookWriter.AboutSheetName).Sum(s => s.RowsUsed().Count() - 1);
        Assert.True(dataRows > 0);
        Assert.Equal(dataRows, rows.Value);
        var span = Assert.Single(telemetry.Spans, s => s.OperationName == $"report build {reportId}");
        Assert.Equal(file, span.GetTagItem(DporTelemetry.Tags.GeneratedReportId));
        Assert.Equal((long)dataRows, Convert.ToInt64(span.GetTagItem(DporTelemetry.Tags.Rows), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<Guid> RequestAndRunAsync(HttpClient partner, string reportId)
    {
        using var requested = await partner.PostAsJsonAsync("/api/partner/reports",
            new { reportId, from = Day0.AddDays(-10).ToString("yyyy-MM-dd"), to = Day0.AddDays(5).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var id = JsonDocument.Parse(await requested.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        await using var scope = _app.Scope();
        var partnerId = DporWebFactory.Db(scope).Partners.Single(p => p.TenantId == SandboxDirectory.AdatumTenantId).Id;
        await _app.RunJobAsync<GenerateReportJob>(j => j.RunAsync(partnerId, id, default));
        return id;
    }
}
