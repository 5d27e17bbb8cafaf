using System.Net;
using DporReports.Core.Reports;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Reports;

/// <summary>The workbook page: request, progress, download — and another partner's file id is a 404 there too.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartnerReportsPageTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public Task InitializeAsync() => _app.VerifiedTenantAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RequestFollowAndDownload_ThroughThePage()
    {
        using var adatum = await _app.SignInAsync("adatum-admin");
        var fields = BrowserSignIn.HiddenFields(await adatum.GetStringAsync("/partner/reports"));
        fields["ReportId"] = "consumption-summary";

        using var requested = await adatum.PostAsync("/partner/reports", new FormUrlEncodedContent(fields));
        var queued = await adatum.GetStringAsync("/partner/reports");
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            var partnerId = db.Partners.Single(p => p.TenantId == SandboxDirectory.AdatumTenantId).Id;
            scope.ServiceProvider.GetRequiredService<Core.Tenancy.PartnerScope>().Set(partnerId);
            var file = db.Set<GeneratedReport>().Single();
            await _app.RunJobAsync<GenerateReportJob>(j => j.RunAsync(partnerId, file.Id, default));
            var done = await adatum.GetStringAsync("/partner/reports");
            using var download = await adatum.GetAsync($"/partner/reports?handler=Download&id={file.Id}");

            Assert.Equal(HttpStatusCode.Redirect, requested.StatusCode);
            Assert.Contains("data-status=\"Queued\"", queued, StringComparison.Ordinal);
            Assert.Contains("data-status=\"Done\"", done, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(GenerateReportJob.ContentType, download.Content.Headers.ContentType?.MediaType);
            await AnotherPartnerCannotReachAsync(file.Id);
        }
    }

    /// <summary>Litware (approved) asks the page for Adatum's workbook: 404, and it sees no workbook of its own.</summary>
    private async Task AnotherPartnerCannotReachAsync(Guid victimFile)
    {
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        using var litware = await _app.SignInAsync("litware-admin");
        using var stolen = await litware.GetAsync($"/partner/reports?handler=Download&id={victimFile}");
        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        Assert.DoesNotContain(victimFile.ToString(), await litware.GetStringAsync("/partner/reports"), StringComparison.Ordinal);
    }
}
