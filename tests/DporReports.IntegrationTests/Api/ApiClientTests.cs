using GenerateReportJob = DporReports.Core.Reports.GenerateReportJob;
using DporReports.IntegrationTests.Api.Client;
using DporReports.IntegrationTests.Api.Client.Models;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DporReports.IntegrationTests.Api;

/// <summary>
/// A partner's own tools would use a client generated from the contract (a PSA, Power BI, a script): the Kiota client under
/// Client/ drives each area of the API here — customer, partner usage, workbooks, schedules, operations — success and
/// refusal alike, so a contract that no longer describes what the host does fails here.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ApiClientTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
    private readonly List<HttpClient> _clients = [];

    public Task InitializeAsync() => _app.VerifiedTenantAsync();

    public Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Customer_NamesAndRemovesAPartnerOfRecord_AndAnUnknownIdIsAProblemWithItsCode()
    {
        var contoso = await ClientAsync("contoso-admin");
        var subscriptions = (await contoso.Api.Customer.Subscriptions.GetAsync())!;
        var free = subscriptions.Subscriptions!.First(s => s.CanBeAssigned == true && s.PartnerOfRecord is not null);

        var removed = await contoso.Api.Customer.Subscriptions[free.Id!.Value].PartnerOfRecord.DeleteAsync();
        var named = await contoso.Api.Customer.Subscriptions[free.Id.Value].PartnerOfRecord.PutAsync(new AssignPartnerRequest { PartnerId = DemoData.AdatumMpnId });
        var unknown = await Assert.ThrowsAsync<ProblemDetails>(() =>
            contoso.Api.Customer.Subscriptions[free.Id.Value].PartnerOfRecord.PutAsync(new AssignPartnerRequest { PartnerId = "9999999" }));

        Assert.Null(removed!.PartnerOfRecord);
        Assert.Equal("Adatum Consulting", named!.PartnerOfRecord!.PartnerName);
        Assert.Equal(400, unknown.ResponseStatusCode);
        Assert.Equal("unknown_partner_id", unknown.Code);
        Assert.Contains("partnerId", unknown.Errors!.AdditionalData.Keys);
        Assert.NotEmpty((await contoso.Api.Customer.PartnerOfRecord.History.GetAsync(r => r.QueryParameters.Take = 10))!);
    }

    [Fact]
    public async Task PartnerUsage_SummaryAndCustomer_AndADayInTheFutureIsRefused()
    {
        var adatum = await ClientAsync("adatum-admin");
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

        var summary = await adatum.Api.Partner.Usage.Summary.GetAsync(r => r.QueryParameters.PageSize = 10);
        var customer = await adatum.Api.Partner.Customers[SandboxDirectory.ContosoTenantId].Usage.GetAsync();
        var future = await Assert.ThrowsAsync<ProblemDetails>(() => adatum.Api.Partner.Customers[SandboxDirectory.ContosoTenantId].Usage.GetAsync(r =>
            r.QueryParameters.To = new Date(today.AddDays(2).ToDateTime(TimeOnly.MinValue))));
        var other = await Assert.ThrowsAsync<ProblemDetails>(() => adatum.Api.Partner.Customers[Guid.NewGuid()].Usage.GetAsync());

        Assert.Equal(today, DateOnly.FromDateTime(summary!.AsOf!.Value.DateTime));
        Assert.Equal(SandboxDirectory.ContosoTenantId, customer!.Customer!.TenantId);
        Assert.Equal(400, future.ResponseStatusCode);
        Assert.Contains("to", future.Errors!.AdditionalData.Keys);
        Assert.Equal(404, other.ResponseStatusCode);
    }

    [Fact]
    public async Task Workbooks_RequestedBuiltAndDownloaded()
    {
        var adatum = await ClientAsync("adatum-admin");

        var queued = await adatum.Api.Partner.Reports.PostAsync(new ReportRequest { ReportId = "consumption-summary" });
        Guid adatumId;
        await using (var scope = _app.Scope())
            adatumId = (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(DporWebFactory.Db(scope).Partners,
                p => p.TenantId == SandboxDirectory.AdatumTenantId)).Id;
        await _app.RunJobAsync<GenerateReportJob>(j => j.RunAsync(adatumId, queued!.Id!.Value, default));
        var listed = (await adatum.Api.Partner.Reports.Files.GetAsync())!.Single(f => f.Id == queued!.Id);
        await using var file = await adatum.Api.Partner.Reports.Files[queued!.Id!.Value].GetAsync();
        var missing = await Assert.ThrowsAsync<ProblemDetails>(() => adatum.Api.Partner.Reports.Files[Guid.NewGuid()].GetAsync());

        Assert.Equal(GeneratedReportStatus.Done, listed.Status);
        var header = new byte[2];
        Assert.Equal(2, await file!.ReadAtLeastAsync(header, 2));
        Assert.Equal("PK"u8.ToArray(), header); // an .xlsx is a zip
        Assert.Equal(404, missing.ResponseStatusCode);
    }

    [Fact]
    public async Task Schedules_CreatedChangedAndDeleted_AndAnInvalidOneNamesTheField()
    {
        var adatum = await ClientAsync("adatum-admin");
        var input = new ScheduleInput
        {
            Name = "From the client", ReportId = "consumption-summary", Period = "last28Days", Cadence = "weekly", DayOfWeek = "monday",
            Time = "07:00", TimeZone = "Europe/Berlin", Recipients = ["dpor@adatum.example"], TenantIds = [], Enabled = true,
        };

        var created = await adatum.Api.Partner.ReportSchedules.PostAsync(input);
        input.Cadence = "cron";
        input.Cron = "every day";
        var invalid = await Assert.ThrowsAsync<ProblemDetails>(() => adatum.Api.Partner.ReportSchedules[created!.Id!.Value].PutAsync(input));
        input.Cron = "30 6 * * 1-5";
        var changed = await adatum.Api.Partner.ReportSchedules[created!.Id!.Value].PutAsync(input);
        var deleted = await adatum.Api.Partner.ReportSchedules[created.Id.Value].DeleteAsync();

        Assert.Equal("0 7 * * 1", created.Cron);
        Assert.Equal(400, invalid.ResponseStatusCode);
        Assert.Contains("cron", invalid.Errors!.AdditionalData.Keys);
        Assert.Equal("30 6 * * 1-5", changed!.Cron);
        Assert.Equal(created.Id, deleted!.Id);
        Assert.Empty((await adatum.Api.Partner.ReportSchedules.GetAsync())!);
    }

    [Fact]
    public async Task Operations_ReviewQueueDomainsAndHealth_AndAPartnerCannotReachThem()
    {
        var op = await ClientAsync("operator");
        var adatum = await ClientAsync("adatum-admin");

        var pending = await op.Api.Ops.Partners.GetAsync(r => r.QueryParameters.Status = PartnerStatus.Pending);
        var adatumId = (await op.Api.Ops.Partners.GetAsync(r => r.QueryParameters.Status = PartnerStatus.Approved))!.Single(p => p.DisplayName == "Adatum Consulting").Id!.Value;
        var domains = await op.Api.Ops.Partners[adatumId].RecipientDomains.PutAsync(new RecipientDomainsUpdate { Domains = ["adatum-customers.example"] });
        var health = await op.Api.Ops.Ingestion.Health.GetAsync(r => r.QueryParameters.Hours = 48);
        var refused = await Assert.ThrowsAsync<ProblemDetails>(() => adatum.Api.Ops.Partners.GetAsync());

        Assert.Contains(pending!, p => p.DisplayName == "Litware Partners");
        Assert.Contains(domains!, d => d.Domain == "adatum-customers.example" && d.Source == RecipientDomainSource.Operator);
        Assert.NotNull(health);
        Assert.Equal(403, refused.ResponseStatusCode);
        Assert.Equal("forbidden", refused.Code);
    }

    private async Task<DporApiClient> ClientAsync(string persona)
    {
        var http = await _app.ApiClientAsync(persona);
        _clients.Add(http);
        // The bearer token travels on the HttpClient; the generated client adds nothing of its own.
        return new DporApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = "https://localhost" });
    }
}
