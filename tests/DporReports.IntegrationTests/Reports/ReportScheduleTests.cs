using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Reports.Schedules;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Reports;

/// <summary>
/// Report schedules through the real API: validation naming the field, one Hangfire recurring job per schedule that
/// follows it (created, changed, switched off, deleted), recipients limited to the partner's verified domains unless an
/// operator allows more, and every schedule id the partner's own or 404.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReportScheduleTests(SandboxFixture sandbox) : IAsyncLifetime
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

    internal static object Weekly(string name = "Monday summary", string[]? recipients = null, string timeZone = "Europe/Berlin") => new
    {
        name,
        reportId = "consumption-summary",
        period = "last28Days",
        cadence = "weekly",
        dayOfWeek = "monday",
        time = "07:00",
        timeZone,
        recipients = recipients ?? ["dpor@adatum.example"],
        tenantIds = Array.Empty<Guid>(),
        enabled = true,
    };

    [Fact]
    public async Task Schedule_CreateChangeSwitchOffDelete_TheRecurringJobFollowsIt()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        var created = await CreateAsync(adatum, Weekly());
        var id = created.GetProperty("id").GetGuid();
        var job = RecurringJob(id);
        Assert.NotNull(job);
        Assert.Equal("0 7 * * 1", job.Cron);
        Assert.Equal("Europe/Berlin", job.TimeZoneId);
        Assert.Equal(typeof(RunReportScheduleJob), job.Job.Type);
        // The next run the partner is shown is the one Hangfire will fire.
        Assert.Equal(job.NextExecution, created.GetProperty("nextRuns")[0].GetDateTimeOffset().UtcDateTime);

        using var changed = await adatum.PutAsJsonAsync($"/api/partner/report-schedules/{id}?version=0", new
        {
            name = "Daily", reportId = "workload-trend", period = "last7Days", cadence = "daily", time = "06:30", timeZone = "America/New_York",
            recipients = new[] { "dpor@adatum.example", "Ava.Reader@adatum.example" }, tenantIds = Array.Empty<Guid>(), enabled = true,
        });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        job = RecurringJob(id);
        Assert.Equal("30 6 * * *", job?.Cron);
        Assert.Equal("America/New_York", job?.TimeZoneId);

        using var stale = await adatum.PutAsJsonAsync($"/api/partner/report-schedules/{id}?version=0", Weekly());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("schedule_changed", await stale.CodeAsync());

        using var off = await adatum.PutAsJsonAsync($"/api/partner/report-schedules/{id}", new
        {
            name = "Daily", reportId = "workload-trend", period = "last7Days", cadence = "daily", time = "06:30", timeZone = "America/New_York",
            recipients = new[] { "dpor@adatum.example" }, enabled = false, tenantIds = Array.Empty<Guid>(),
        });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Null(RecurringJob(id));

        using var deleted = await adatum.DeleteAsync($"/api/partner/report-schedules/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var gone = await adatum.GetAsync($"/api/partner/report-schedules/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty((await adatum.GetFromJsonAsync<JsonElement[]>("/api/partner/report-schedules"))!);
        Assert.Null(RecurringJob(id));
    }

    [Theory]
    [InlineData("timeZone", "timeZone", "Mars/Olympus_Mons")]
    [InlineData("timeZone", "timeZone", "W. Europe Standard Time")]
    [InlineData("cron", "cron", "61 * * * *")]
    [InlineData("cron", "cron", "*/5 * * * *")]
    [InlineData("cron", "cron", "")]
    [InlineData("time", "time", "25:00")]
    [InlineData("time", "time", "7am")]
    [InlineData("recipients", "recipients", "someone@gmail.example")]
    [InlineData("recipients", "recipients", "not an address")]
    [InlineData("period", "period", "fortnight")]
    [InlineData("cadence", "cadence", "hourly")]
    [InlineData("dayOfWeek", "dayOfWeek", "someday")]
    [InlineData("dayOfMonth", "dayOfMonth", "31")]
    [InlineData("reportId", "reportId", "nope")]
    [InlineData("name", "name", "")]
    public async Task Create_BadField_Returns400NamingThatField_AndStoresNothing(string field, string errorKey, string value)
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Bad", ["reportId"] = "consumption-summary", ["period"] = "previousMonth", ["cadence"] = "weekly", ["dayOfWeek"] = "friday",
            ["time"] = "07:00", ["timeZone"] = "Europe/Berlin", ["recipients"] = new[] { "dpor@adatum.example" },
            ["tenantIds"] = Array.Empty<Guid>(), ["enabled"] = true,
        };
        if (field == "cron") body["cadence"] = "cron";
        if (field == "dayOfMonth") body["cadence"] = "monthly";
        body[field] = field switch
        {
            "recipients" => new[] { value },
            "dayOfMonth" => int.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        };

        using var response = await adatum.PostAsJsonAsync("/api/partner/report-schedules", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(errorKey, out _), problem.ToString());
        Assert.Empty((await adatum.GetFromJsonAsync<JsonElement[]>("/api/partner/report-schedules"))!);
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id.StartsWith(ReportSchedule.JobIdPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_ForeignTenantInScope_Returns400NamingTenantIds()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var response = await adatum.PostAsJsonAsync("/api/partner/report-schedules", new
        {
            name = "Theirs", reportId = "consumption-summary", tenantIds = new[] { SandboxDirectory.FabrikamTenantId }, period = "last28Days",
            cadence = "daily", time = "07:00", timeZone = "UTC", recipients = new[] { "dpor@adatum.example" }, enabled = true,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tenantIds", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The attack: a partner admin schedules customers' usage to an outside mailbox (a personal address, a competitor). Only
    /// the partner's own Entra-verified domains are accepted until an operator allows another; partners cannot allow it themselves.
    /// </summary>
    [Fact]
    public async Task Recipients_OutsideTheVerifiedDomains_RefusedUntilAnOperatorAllowsTheDomain()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var operatorClient = await _app.ApiClientAsync("operator");
        var outside = Weekly(recipients: ["dpor@adatum.example", "reports@adatum-customers.example"]);

        using var refused = await adatum.PostAsJsonAsync("/api/partner/report-schedules", outside);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("adatum.example", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var partnerId = (await adatum.GetFromJsonAsync<JsonElement>("/api/partner/registration")).GetProperty("id").GetGuid();
        using var selfService = await adatum.PutAsJsonAsync($"/api/ops/partners/{partnerId}/recipient-domains",
            new { domains = new[] { "adatum-customers.example" } });
        Assert.Equal(HttpStatusCode.Forbidden, selfService.StatusCode);
        using var badDomain = await operatorClient.PutAsJsonAsync($"/api/ops/partners/{partnerId}/recipient-domains",
            new { domains = new[] { "not a domain" } });
        Assert.Equal(HttpStatusCode.BadRequest, badDomain.StatusCode);
        using var allowed = await operatorClient.PutAsJsonAsync($"/api/ops/partners/{partnerId}/recipient-domains",
            new { domains = new[] { "Adatum-Customers.example" } });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        await CreateAsync(adatum, outside);
        var domains = (await adatum.GetFromJsonAsync<JsonElement[]>("/api/partner/report-schedules/recipient-domains"))!
            .Select(d => (d.GetProperty("domain").GetString(), d.GetProperty("source").GetString())).ToList();
        Assert.Equal([("adatum-customers.example", "Operator"), ("adatum.example", "SignIn")], domains);
    }

    [Fact]
    public async Task Schedules_PartnerReaderMayReadButNotChange_CustomersAreRefused()
    {
        using var admin = await _app.ApiClientAsync("adatum-admin");
        using var reader = await _app.ApiClientAsync("adatum-reader");
        using var customer = await _app.ApiClientAsync("contoso-admin");
        var id = (await CreateAsync(admin, Weekly())).GetProperty("id").GetGuid();

        Assert.Single((await reader.GetFromJsonAsync<JsonElement[]>("/api/partner/report-schedules"))!);
        using var readerCreates = await reader.PostAsJsonAsync("/api/partner/report-schedules", Weekly("Mine"));
        using var readerRuns = await reader.PostAsync($"/api/partner/report-schedules/{id}/run", null);
        using var readerDeletes = await reader.DeleteAsync($"/api/partner/report-schedules/{id}");
        using var customerLists = await customer.GetAsync("/api/partner/report-schedules");

        Assert.Equal(HttpStatusCode.Forbidden, readerCreates.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readerRuns.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readerDeletes.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customerLists.StatusCode);
        Assert.NotNull(RecurringJob(id));
    }

    /// <summary>
    /// The attack (cf. VULN-565): partner B reads, changes, runs or deletes partner A's schedule by its id, or reads its run
    /// history. Every call answers 404 exactly like an unknown id, and A's schedule and recurring job are untouched.
    /// </summary>
    [Fact]
    public async Task AnotherPartnersSchedule_EveryOperation_Returns404LikeAnUnknownId()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var victim = (await CreateAsync(adatum, Weekly())).GetProperty("id").GetGuid();
        await new Given(_app).ApproveAsync(SandboxDirectory.LitwareTenantId);
        using var litware = await _app.ApiClientAsync("litware-admin");
        var unknown = Guid.NewGuid();

        foreach (var target in new[] { victim, unknown })
        {
            using var get = await litware.GetAsync($"/api/partner/report-schedules/{target}");
            using var runs = await litware.GetAsync($"/api/partner/report-schedules/{target}/runs");
            using var put = await litware.PutAsJsonAsync($"/api/partner/report-schedules/{target}", Weekly("Hijack", ["x@litware.example"]));
            using var run = await litware.PostAsync($"/api/partner/report-schedules/{target}/run", null);
            using var delete = await litware.DeleteAsync($"/api/partner/report-schedules/{target}");
            foreach (var response in new[] { get, runs, put, run, delete })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("unknown_schedule", await response.CodeAsync());
            }
        }

        Assert.Empty((await litware.GetFromJsonAsync<JsonElement[]>("/api/partner/report-schedules"))!);
        var mine = await adatum.GetFromJsonAsync<JsonElement>($"/api/partner/report-schedules/{victim}");
        Assert.Equal("Monday summary", mine.GetProperty("name").GetString());
        Assert.Equal(0, mine.GetProperty("version").GetInt32());
        Assert.NotNull(RecurringJob(victim));
    }

    [Fact]
    public async Task Registrar_AtStart_RestoresMissingJobsAndRemovesStaleOnes()
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var id = (await CreateAsync(adatum, Weekly())).GetProperty("id").GetGuid();
        var recurring = _app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.RemoveIfExists(ReportSchedule.JobIdOf(id)); // e.g. in-memory storage after a restart
        var stale = ReportSchedule.JobIdOf(Guid.NewGuid());
        recurring.AddOrUpdate(stale, () => Console.WriteLine("deleted schedule"), "0 7 * * *");

        var registrar = _app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ReportScheduleRegistrar>().Single();
        await registrar.StartAsync(default);

        Assert.Equal("0 7 * * 1", RecurringJob(id)?.Cron);
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id == stale);
    }

    private RecurringJobDto? RecurringJob(Guid scheduleId)
    {
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == ReportSchedule.JobIdOf(scheduleId));
    }

    internal static async Task<JsonElement> CreateAsync(HttpClient partner, object body)
    {
        using var response = await partner.PostAsJsonAsync("/api/partner/report-schedules", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
