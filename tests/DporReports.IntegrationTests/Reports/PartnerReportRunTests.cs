using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ClosedXML.Excel;
using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace DporReports.IntegrationTests.Reports;

/// <summary>
/// Workbooks on demand: request → job → stored file → download. The workbook holds exactly the verified window's figures
/// (asserted on cell contents, not only status codes) and another partner's file id answers 404 like an unknown one.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartnerReportRunTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private readonly FakeTimeProvider _clock = new(T0);
    private DporWebFactory _app = null!;
    private Guid _subscription;

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" }) { Clock = _clock };
        await _app.ConnectedTenantAsync();
        using var admin = await _app.ApiClientAsync("contoso-admin");
        _subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            for (var offset = -10; offset <= 5; offset++)
                db.Add(SubscriptionUsageFact.Of(Contoso, Day0.AddDays(offset),
                    new SubscriptionWorkloadUsage(_subscription, Workload.Exchange, 250, 200, 100 + offset)));
            await db.SaveChangesAsync();
        }
        await _app.AssignAndVerifyAsync(_subscription, DemoData.AdatumMpnId);
        _clock.Advance(TimeSpan.FromDays(5));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ConsumptionSummary_WorkbookHoldsTheWindowsFigures_MatchingTheJsonApi()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        var file = await RequestAndRunAsync(adatum, "consumption-summary");
        using var download = await adatum.GetAsync($"/api/partner/reports/files/{file}");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(GenerateReportJob.ContentType, download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        Assert.Equal("About", workbook.Worksheets.First().Name);
        var sheet = workbook.Worksheet("Consumption summary");
        var headers = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList();
        var mauColumn = headers.IndexOf("Exchange MAU") + 1;
        var row = sheet.RowsUsed().Skip(1).Single(r => r.Cells().Any(c => c.GetString() == _subscription.ToString()));
        var summary = await adatum.GetFromJsonAsync<JsonElement>($"/api/partner/usage/summary?asOf={Day0.AddDays(5):yyyy-MM-dd}");
        var jsonMau = summary.GetProperty("items")[0].GetProperty("subscriptions")[0].GetProperty("workloads")[0].GetProperty("activeUsers").GetInt32();
        Assert.Equal(105, jsonMau);
        Assert.Equal(jsonMau, row.Cell(mauColumn).GetValue<int>());
        // No figure from before verification (90..99) anywhere in the workbook.
        var numbers = workbook.Worksheets.SelectMany(s => s.CellsUsed()).Where(c => c.DataType == XLDataType.Number).Select(c => c.GetDouble()).ToList();
        Assert.DoesNotContain(numbers, n => n is >= 90 and <= 99);

        var listed = (await adatum.GetFromJsonAsync<JsonElement[]>("/api/partner/reports/files"))!.Single(f => f.GetProperty("id").GetGuid() == file);
        Assert.Equal("Done", listed.GetProperty("status").GetString());
        Assert.Equal(bytes.Length, listed.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), listed.GetProperty("sha256").GetString());
    }

    /// <summary>
    /// Two subscriptions of one product are told apart in the workbook (reference, trial, renewal), and the About sheet lists
    /// the product names Microsoft's table does not know with their users, so none is silently dropped.
    /// </summary>
    [Fact]
    public async Task ConsumptionSummary_NamesEachSubscriptionsReference_AndTheAboutSheetTheUnknownProducts()
    {
        string commerceId;
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            commerceId = (await db.Subscriptions.SingleAsync(s => s.Id == _subscription)).CommerceSubscriptionId!;
            db.AddRange(UnknownProductFact.Of(Contoso, Day0.AddDays(5), [new UnknownProductUsers("CONTOSO LEGACY ADD-ON", 7)]));
            await db.SaveChangesAsync();
        }
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        var file = await RequestAndRunAsync(adatum, "consumption-summary");
        using var download = await adatum.GetAsync($"/api/partner/reports/files/{file}");
        using var workbook = new XLWorkbook(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));

        var sheet = workbook.Worksheet("Consumption summary");
        var headers = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList();
        var row = sheet.RowsUsed().Skip(1).Single(r => r.Cells().Any(c => c.GetString() == _subscription.ToString()));
        Assert.Equal(commerceId.Trim()[..6].ToUpperInvariant(), row.Cell(headers.IndexOf("Reference") + 1).GetString());
        var about = workbook.Worksheet("About").CellsUsed().Select(c => c.GetString()).ToList();
        Assert.Contains(about, text => text.Contains("Contoso Ltd: CONTOSO LEGACY ADD-ON (7 users)", StringComparison.Ordinal));
    }

    /// <summary>The workbook's change column is the dashboard's own computation: the same figure as the summary API's.</summary>
    [Fact]
    public async Task ConsumptionSummary_ChangeAgainstAMonthEarlier_MatchesTheSummaryApi()
    {
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            for (var offset = 6; offset <= 40; offset++)
                db.Add(SubscriptionUsageFact.Of(Contoso, Day0.AddDays(offset), new SubscriptionWorkloadUsage(_subscription, Workload.Exchange, 250, 200, 100 + offset)));
            await db.SaveChangesAsync();
        }
        _clock.Advance(TimeSpan.FromDays(35));
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        var file = await RequestAndRunAsync(adatum, "consumption-summary", Day0.AddDays(40));
        using var download = await adatum.GetAsync($"/api/partner/reports/files/{file}");
        using var workbook = new XLWorkbook(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet("Consumption summary");
        var changeColumn = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList().IndexOf("Change vs previous month (points)") + 1;
        var row = sheet.RowsUsed().Skip(1).Single(r => r.Cells().Any(c => c.GetString() == _subscription.ToString()));
        var summary = await adatum.GetFromJsonAsync<JsonElement>($"/api/partner/usage/summary?asOf={Day0.AddDays(40):yyyy-MM-dd}");
        var jsonChange = summary.GetProperty("items")[0].GetProperty("subscriptions")[0].GetProperty("overallUsageChange").GetDecimal();

        Assert.Equal((140m - 109m) / 250, jsonChange); // day 40 against day 9, a month earlier and inside the window
        Assert.Equal((double)jsonChange, row.Cell(changeColumn).GetDouble(), 6);
    }

    /// <summary>The attack (cf. VULN-565): partner B downloads partner A's workbook by its id. It answers 404 like an unknown id.</summary>
    [Fact]
    public async Task Download_AnotherPartnersFile_Returns404LikeAnUnknownOne()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var file = await RequestAndRunAsync(adatum, "workload-trend");
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        using var litware = await _app.ApiClientAsync("litware-admin");

        using var stolen = await litware.GetAsync($"/api/partner/reports/files/{file}");
        using var unknown = await litware.GetAsync($"/api/partner/reports/files/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        Assert.Equal(await unknown.CodeAsync(), await stolen.CodeAsync());
        Assert.Empty((await litware.GetFromJsonAsync<JsonElement[]>("/api/partner/reports/files"))!);
    }

    [Fact]
    public async Task Request_BadInput_Returns400NamingTheField_CustomersAreRefused()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var customer = await _app.ApiClientAsync("contoso-admin");

        using var unknownReport = await adatum.PostAsJsonAsync("/api/partner/reports", new { reportId = "nope" });
        using var foreignTenant = await adatum.PostAsJsonAsync("/api/partner/reports",
            new { reportId = "consumption-summary", tenantIds = new[] { SandboxDirectory.FabrikamTenantId } });
        using var backwards = await adatum.PostAsJsonAsync("/api/partner/reports",
            new { reportId = "consumption-summary", from = "2026-10-05", to = "2026-10-01" });
        using var refused = await customer.PostAsJsonAsync("/api/partner/reports", new { reportId = "consumption-summary" });

        Assert.Equal(HttpStatusCode.BadRequest, unknownReport.StatusCode);
        Assert.Contains("reportId", await unknownReport.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, foreignTenant.StatusCode);
        Assert.Contains("tenantIds", await foreignTenant.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>
    /// A workbook requested by someone reading Spanish is written in Spanish: the About sheet, the report's sheet names and
    /// headers (from the definition's "es" blocks) and fixed texts in cells; the figures are the same as in English.
    /// </summary>
    [Fact]
    public async Task ConsumptionSummary_RequestedInSpanish_ReadsBackWithSpanishSheetsHeadersAndAbout()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        adatum.DefaultRequestHeaders.AcceptLanguage.Add(new System.Net.Http.Headers.StringWithQualityHeaderValue("es-MX"));

        var file = await RequestAndRunAsync(adatum, "consumption-summary");
        using var workbook = new XLWorkbook(new MemoryStream(await adatum.GetByteArrayAsync($"/api/partner/reports/files/{file}")));

        Assert.Equal(["Acerca de", "Resumen de consumo"], workbook.Worksheets.Select(w => w.Name));
        var about = workbook.Worksheet("Acerca de").RowsUsed().ToDictionary(r => r.Cell(1).GetString(), r => r.Cell(2).GetString());
        Assert.Equal("Valor", about["Elemento"]);
        Assert.Equal("Resumen de consumo", about["Informe"]);
        Assert.Equal($"{Day0.AddDays(-10):dd/MM/yyyy} al {Day0.AddDays(5):dd/MM/yyyy}", about["Período"]);
        Assert.Equal("Todos los clientes", about["Alcance"]);
        Assert.StartsWith("Por cliente y suscripción", about["Descripción"], StringComparison.Ordinal);
        Assert.StartsWith("Puestos pagados (PAU):", about["Definiciones"], StringComparison.Ordinal);
        Assert.Contains("Productos que no están en la tabla de Microsoft", about.Keys);
        Assert.Single(about.Keys, k => k == "Informe");
        var sheet = workbook.Worksheet("Resumen de consumo");
        var headers = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList();
        Assert.Equal(["Cliente", "Producto", "Referencia", "Prueba", "Se renueva / finaliza", "Familia", "Id. de suscripción", "Puestos pagados (PAU)"],
            headers.Take(8));
        Assert.Contains("MAU de Exchange", headers);
        Assert.Contains("% de uso de Skype Empresarial", headers);
        var row = sheet.RowsUsed().Skip(1).Single(r => r.Cells().Any(c => c.GetString() == _subscription.ToString()));
        Assert.Equal(105, row.Cell(headers.IndexOf("MAU de Exchange") + 1).GetValue<int>());
    }

    [Fact]
    public async Task AssignmentLedger_NamesEachEventsPartnerIdAndState_AndKeepsToThePeriod()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var assignedAt = T0.UtcDateTime;

        // The period holds the day Contoso's subscription was assigned to Adatum and verified.
        var rows = await LedgerRowsAsync(adatum, await RequestAndRunAsync(adatum, "assignment-ledger"));
        var contoso = rows.Where(r => r["Subscription ID"] == _subscription.ToString()).ToList();
        Assert.NotEmpty(contoso);
        Assert.All(contoso, r => Assert.Equal(DemoData.AdatumMpnId, r["Partner ID"]));
        Assert.All(contoso, r => Assert.Equal("Verified", r["State"]));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r["Partner ID"]) || string.IsNullOrEmpty(r["State"])));
        Assert.All(rows, r => Assert.InRange(DateTime.Parse(r["When"], System.Globalization.CultureInfo.InvariantCulture),
            Day0.AddDays(-10).ToDateTime(TimeOnly.MinValue), Day0.AddDays(6).ToDateTime(TimeOnly.MinValue)));

        // A period starting the day after leaves those events out: nothing from before the chosen period.
        var later = await LedgerRowsAsync(adatum, await RequestAndRunAsync(adatum, "assignment-ledger", from: Day0.AddDays(1)));
        Assert.DoesNotContain(later, r => r["Subscription ID"] == _subscription.ToString());
        Assert.All(later, r => Assert.True(DateTime.Parse(r["When"], System.Globalization.CultureInfo.InvariantCulture) >= assignedAt.Date.AddDays(1)));
    }

    private static async Task<List<Dictionary<string, string>>> LedgerRowsAsync(HttpClient partner, Guid file)
    {
        using var workbook = new XLWorkbook(new MemoryStream(await partner.GetByteArrayAsync($"/api/partner/reports/files/{file}")));
        var sheet = workbook.Worksheet("Assignment ledger");
        var headers = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList();
        return [.. sheet.RowsUsed().Skip(1).Select(r => headers.Select((h, i) => (h, Value: r.Cell(i + 1).DataType == XLDataType.DateTime
                ? r.Cell(i + 1).GetDateTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)
                : r.Cell(i + 1).GetString()))
            .ToDictionary(x => x.h, x => x.Value))];
    }

    private async Task<Guid> RequestAndRunAsync(HttpClient partner, string reportId, DateOnly? to = null, DateOnly? from = null)
    {
        using var requested = await partner.PostAsJsonAsync("/api/partner/reports",
            new { reportId, from = (from ?? Day0.AddDays(-10)).ToString("yyyy-MM-dd"), to = (to ?? Day0.AddDays(5)).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var view = JsonDocument.Parse(await requested.Content.ReadAsStringAsync()).RootElement;
        var id = view.GetProperty("id").GetGuid();
        using var notYet = await partner.GetAsync($"/api/partner/reports/files/{id}");
        Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
        await using var scope = _app.Scope();
        var partnerId = DporWebFactory.Db(scope).Partners.Single(p => p.TenantId == SandboxDirectory.AdatumTenantId).Id;
        await _app.RunJobAsync<GenerateReportJob>(j => j.RunAsync(partnerId, id, default));
        return id;
    }
}
