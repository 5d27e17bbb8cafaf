using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DporReports.Core.Adoption.Alerts;
using DporReports.IntegrationTests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Adoption;

/// <summary>
/// Alert settings through the real API and page: defaults until saved, each bad value a 400 naming its field, recipients held
/// to the partner's verified domains as schedules are, admins change and readers read, and the weekly digest's recurring
/// job follows the settings.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AlertSettingsTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private DporWebFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    internal static JsonObject Valid() => new()
    {
        ["enabled"] = true,
        ["lowUsageBelowPercent"] = 30,
        ["lowUsageMinSeats"] = 50,
        ["fallingMauByPercent"] = 20,
        ["copilotUsageBelowPercent"] = 25,
        ["recipients"] = new JsonArray("dpor@adatum.example"),
        ["dayOfWeek"] = "monday",
        ["time"] = "08:00",
        ["timeZone"] = "Europe/Madrid",
    };

    [Fact]
    public async Task Settings_DefaultsUntilSaved_SavedByAnAdmin_TheWeeklyJobFollowsThem()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var partnerId = (await adatum.GetFromJsonAsync<JsonElement>("/api/partner/registration")).GetProperty("id").GetGuid();

        var defaults = await adatum.GetFromJsonAsync<JsonElement>("/api/partner/alerts");
        Assert.False(defaults.GetProperty("enabled").GetBoolean());
        Assert.Equal(30, defaults.GetProperty("lowUsageBelowPercent").GetDecimal());
        Assert.Equal(50, defaults.GetProperty("lowUsageMinSeats").GetInt32());
        Assert.Equal("Monday", defaults.GetProperty("dayOfWeek").GetString());
        Assert.Equal("08:00", defaults.GetProperty("time").GetString());
        Assert.Equal(0, defaults.GetProperty("version").GetInt32());
        Assert.Null(RecurringJob(partnerId));

        using var saved = await adatum.PutAsJsonAsync("/api/partner/alerts?version=0", Valid());
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var body = await saved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(25, body.GetProperty("copilotUsageBelowPercent").GetDecimal());
        var job = RecurringJob(partnerId);
        Assert.NotNull(job);
        Assert.Equal("0 8 * * 1", job.Cron);
        Assert.Equal("Europe/Madrid", job.TimeZoneId);
        Assert.Equal(typeof(SendAlertDigestJob), job.Job.Type);
        Assert.Equal(job.NextExecution, body.GetProperty("nextDigests")[0].GetDateTimeOffset().UtcDateTime);

        using var stale = await adatum.PutAsJsonAsync("/api/partner/alerts?version=0", Valid());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var off = Valid();
        off["enabled"] = false;
        off["copilotUsageBelowPercent"] = null;
        using var switchedOff = await adatum.PutAsJsonAsync("/api/partner/alerts?version=1", off);
        Assert.Equal(HttpStatusCode.OK, switchedOff.StatusCode);
        Assert.Null(RecurringJob(partnerId));
        var now = await adatum.GetFromJsonAsync<JsonElement>("/api/partner/alerts");
        Assert.Equal(JsonValueKind.Null, now.GetProperty("copilotUsageBelowPercent").ValueKind);
        Assert.Equal(2, now.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Registrar_AtStart_RestoresTheDigestJobAndRemovesStaleOnes()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var partnerId = (await adatum.GetFromJsonAsync<JsonElement>("/api/partner/registration")).GetProperty("id").GetGuid();
        using var saved = await adatum.PutAsJsonAsync("/api/partner/alerts?version=0", Valid());
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var recurring = _app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.RemoveIfExists(AlertSettings.JobIdOf(partnerId)); // e.g. in-memory storage after a restart
        var stale = AlertSettings.JobIdOf(Guid.NewGuid()); // e.g. a partner that switched alerts off while Hangfire was unreachable
        recurring.AddOrUpdate(stale, () => Console.WriteLine("alerts switched off"), "0 8 * * 1");

        await _app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<AlertDigestRegistrar>().Single().StartAsync(default);

        var job = RecurringJob(partnerId);
        Assert.Equal("0 8 * * 1", job?.Cron);
        Assert.Equal("Europe/Madrid", job?.TimeZoneId);
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id == stale);
    }

    [Theory]
    [InlineData("lowUsageBelowPercent", "150")]
    [InlineData("lowUsageBelowPercent", "0")]
    [InlineData("lowUsageBelowPercent", "12.345")]
    [InlineData("lowUsageMinSeats", "0")]
    [InlineData("lowUsageMinSeats", "null")]
    [InlineData("fallingMauByPercent", "-5")]
    [InlineData("copilotUsageBelowPercent", "101")]
    [InlineData("recipients", "[\"someone@gmail.example\"]")]
    [InlineData("recipients", "[\"not an address\"]")]
    [InlineData("recipients", "[]")]
    [InlineData("dayOfWeek", "\"someday\"")]
    [InlineData("dayOfWeek", "\"1\"")]
    [InlineData("time", "\"25:00\"")]
    [InlineData("timeZone", "\"Mars/Olympus_Mons\"")]
    [InlineData("timeZone", "\"W. Europe Standard Time\"")]
    [InlineData("enabled", "null")]
    public async Task Settings_BadValue_400NamingTheField_NothingSaved(string field, string json)
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var body = Valid();
        body[field] = JsonNode.Parse(json);

        using var response = await adatum.PutAsJsonAsync("/api/partner/alerts", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0, (await adatum.GetFromJsonAsync<JsonElement>("/api/partner/alerts")).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Settings_RecipientOutsideTheVerifiedDomains_RefusedWithTheSchedulesWords()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var body = Valid();
        body["recipients"] = new JsonArray("dpor@adatum.example", "reports@adatum-customers.example");

        using var response = await adatum.PutAsJsonAsync("/api/partner/alerts", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("recipients")[0].GetString();
        Assert.Equal("'reports@adatum-customers.example' is outside your organisation's verified domains (adatum.example). Reports carry customers' usage, " +
            "so they go to your organisation only; ask an operator to allow another domain.", message);
    }

    [Fact]
    public async Task Settings_EveryThresholdOffWhileOn_Refused()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var body = Valid();
        body["lowUsageBelowPercent"] = null;
        body["fallingMauByPercent"] = null;
        body["copilotUsageBelowPercent"] = null;

        using var response = await adatum.PutAsJsonAsync("/api/partner/alerts", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Settings_ReaderReadsButCannotChange_CustomersAndOtherPartnersSeeOnlyTheirOwn()
    {
        using var admin = await _app.ApiClientAsync("adatum-admin");
        using var reader = await _app.ApiClientAsync("adatum-reader");
        using var customer = await _app.ApiClientAsync("contoso-admin");
        (await admin.PutAsJsonAsync("/api/partner/alerts", Valid())).EnsureSuccessStatusCode();

        Assert.True((await reader.GetFromJsonAsync<JsonElement>("/api/partner/alerts")).GetProperty("enabled").GetBoolean());
        Assert.Empty((await reader.GetFromJsonAsync<JsonElement[]>("/api/partner/alerts/digests"))!);
        using var readerSaves = await reader.PutAsJsonAsync("/api/partner/alerts", Valid());
        using var customerReads = await customer.GetAsync("/api/partner/alerts");
        using var customerDigests = await customer.GetAsync("/api/partner/alerts/digests");
        Assert.Equal(HttpStatusCode.Forbidden, readerSaves.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customerReads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customerDigests.StatusCode);

        // Another approved partner sees its own (unsaved) settings, never Adatum's.
        var other = await new Given(_app).ApprovedPartnerAsync("Other Partner");
        var theirs = await other.Admin.GetFromJsonAsync<JsonElement>("/api/partner/alerts");
        Assert.False(theirs.GetProperty("enabled").GetBoolean());
        Assert.Empty(theirs.GetProperty("recipients").EnumerateArray());
    }

    [Fact]
    public async Task Page_AdminSeesTheForm_ReaderSeesTheSettingsWithoutSaving()
    {
        using var admin = await _app.SignInAsync("adatum-admin", "/partner/alerts");
        using var reader = await _app.SignInAsync("adatum-reader", "/partner/alerts");

        var adminHtml = await admin.GetStringAsync("/partner/alerts");
        var readerHtml = await reader.GetStringAsync("/partner/alerts");

        Assert.Contains("name=\"Form.LowUsageBelowPercent\"", adminHtml, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">", adminHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<button type=\"submit\">", readerHtml, StringComparison.Ordinal);
        Assert.Contains("Partner.Admin", readerHtml, StringComparison.Ordinal);
    }

    private RecurringJobDto? RecurringJob(Guid partnerId)
    {
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == AlertSettings.JobIdOf(partnerId));
    }
}
