using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Data;
using DporReports.Core.Partners;
using DporReports.Core.Reports;
using DporReports.Core.Reports.Schedules;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Security;

/// <summary>
/// Bad input gets a clear error and stores nothing: texts longer than their columns, dates outside the calendar we serve,
/// JSON bodies missing a member, page forms whose values do not bind. Through the real host, on each provider.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class InputLimitsTests(InputLimitsTests.Host host) : IClassFixture<InputLimitsTests.Host>, IAsyncLifetime
{
    private readonly DporWebFactory _app = host.App;
    private Guid _adatum;

    /// <summary>One host for these tests: each compares what is stored before and after its own requests.</summary>
    public sealed class Host(SandboxFixture sandbox) : IDisposable
    {
        public DporWebFactory App { get; } = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

        public void Dispose() => App.Dispose();
    }

    public async Task InitializeAsync()
    {
        await using var scope = _app.Scope();
        _adatum = (await DporWebFactory.Db(scope).Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId)).Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// The attack: texts longer than their columns. SQLite stored a 100 KB schedule recipient; every run then failed in the
    /// outbox, was retried and built the workbook again, and stayed "running". PostgreSQL and SQL Server would have failed
    /// the save itself (a 500). Each input is checked against its column's length as the model declares it on this provider:
    /// one character more is a 400 naming the field, the length itself is not refused.
    /// </summary>
    [Theory]
    [InlineData("registration", "displayName", typeof(Partner), nameof(Partner.DisplayName))]
    [InlineData("registration", "notificationEmail", typeof(Partner), nameof(Partner.NotificationEmail))]
    [InlineData("registration", "partnerIds", typeof(PartnerMpnId), nameof(PartnerMpnId.Value))]
    [InlineData("rejection", "reason", typeof(Partner), nameof(Partner.StatusReason))]
    [InlineData("schedule", "name", typeof(ReportSchedule), nameof(ReportSchedule.Name))]
    [InlineData("schedule", "timeZone", typeof(ReportSchedule), nameof(ReportSchedule.TimeZoneId))]
    [InlineData("schedule", "cron", typeof(ReportSchedule), nameof(ReportSchedule.Cron))]
    [InlineData("schedule", "recipients", typeof(ReportSchedule), nameof(ReportSchedule.Recipients))]
    [InlineData("schedule", "tenantIds", typeof(ReportSchedule), nameof(ReportSchedule.Scope))]
    [InlineData("workbook", "tenantIds", typeof(GeneratedReport), nameof(GeneratedReport.Scope))]
    [InlineData("domains", "domains", typeof(RecipientDomain), nameof(RecipientDomain.Domain))]
    public async Task Input_LongerThanItsColumn_IsRefusedNamingTheFieldAndItsLengthIsNot(string form, string field, Type entity, string property)
    {
        int max;
        await using (var scope = _app.Scope())
            max = DporWebFactory.Db(scope).Model.FindEntityType(entity)!.FindProperty(property)!.GetMaxLength()
                  ?? throw new InvalidOperationException($"{entity.Name}.{property} has no maximum length");
        var send = await ArrangeAsync(form, field);
        var before = await StoredCountsAsync();

        using var tooLong = await send(max + 1);
        var (status, fields) = await ErrorsAsync(tooLong);
        Assert.True(status == HttpStatusCode.BadRequest && fields.Contains(field), $"{form}.{field} at {max + 1} characters: {(int)status} {string.Join(",", fields)}");
        Assert.Equal(before, await StoredCountsAsync());

        if (field is "cron" or "recipients" or "tenantIds" or "timeZone") return; // no valid value of exactly that length exists
        using var atMax = await send(max);
        var (_, fieldsAtMax) = await ErrorsAsync(atMax);
        Assert.DoesNotContain(field, fieldsAtMax);
    }

    /// <summary>The last line of defence behind the validators: nothing longer than its column is ever saved, on any provider.</summary>
    [Fact]
    public async Task Save_TextLongerThanItsColumn_IsRefusedAndNothingIsWritten()
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var before = await db.Partners.CountAsync();
        db.Partners.Add(Partner.Register(Guid.NewGuid(), new string('p', PartnerRules.MaxNameLength + 1), "dpor@long.example", "en", ["5550001"],
            TimeProvider.System.GetUtcNow()));

        var refused = await Assert.ThrowsAsync<StoredTextTooLongException>(() => db.SaveChangesAsync());

        Assert.Equal(nameof(Partner.DisplayName), refused.Property);
        db.ChangeTracker.Clear();
        Assert.Equal(before, await db.Partners.CountAsync());
    }

    /// <summary>
    /// The attack: a 100 KB Partner ID echoed into a page message travelled in the TempData cookie (35 Set-Cookie headers,
    /// 136 KB) and every later request of that browser got 431. Messages quote input bounded.
    /// </summary>
    [Fact]
    public async Task PageMessage_HugeInput_KeepsTheCookiesSmall()
    {
        await _app.ConnectedTenantAsync();
        using var browser = await _app.SignInAsync("contoso-admin");
        using var api = await _app.ApiClientAsync("contoso-admin");
        var subscription = (await api.ActiveSubscriptionIdsAsync())[0];
        var token = await browser.AntiforgeryTokenAsync("/customer");

        using var response = await browser.PostAsync("/customer?handler=Assign", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["subscriptionId"] = subscription.ToString(), ["partnerId"] = new string('9', 100_000),
        }));

        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        Assert.True(cookies.Sum(c => c.Length) < 4096, $"{cookies.Count} cookies, {cookies.Sum(c => c.Length)} characters");
        var page = await browser.GetStringAsync("/customer");
        Assert.Contains("is not a Partner ID", page, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('9', 200), page, StringComparison.Ordinal);
    }

    /// <summary>
    /// Dates are bounded before any arithmetic: 0001-01-01 (minus 27 days) used to be a 500 on the summary, the customer
    /// usage, a workbook request, the dashboards' month and the workbook form. And a period never ends in the future.
    /// </summary>
    [Theory]
    [InlineData("/api/partner/usage/summary?asOf=0001-01-01", "asOf")]
    [InlineData("/api/partner/usage/summary?asOf=9999-12-31", "asOf")]
    [InlineData("/api/partner/customers/{fabrikam}/usage?to=0001-01-01", "to")]
    [InlineData("/api/partner/customers/{fabrikam}/usage?to={tomorrow}", "to")]
    [InlineData("/api/partner/customers/{fabrikam}/usage?from=0001-01-01", "from")]
    public async Task Api_DateOutOfRange_Is400NamingTheParameter(string path, string field)
    {
        using var adatum = await _app.ApiClientAsync("adatum-admin");

        using var response = await adatum.GetAsync(path.Replace("{fabrikam}", SandboxDirectory.FabrikamTenantId.ToString(), StringComparison.Ordinal)
            .Replace("{tomorrow}", DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                StringComparison.Ordinal));

        var (status, fields) = await ErrorsAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(field, fields);
    }

    [Fact]
    public async Task Workbook_EndingAtTheStartOfTime_Is400AndNothingIsQueued()
    {
        var before = (await StoredCountsAsync()).Workbooks;
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        using var browser = await _app.SignInAsync("adatum-admin");
        var token = await browser.AntiforgeryTokenAsync("/partner/reports");

        using var api = await adatum.PostAsJsonAsync("/api/partner/reports", new { reportId = "consumption-summary", to = "0001-01-01" });
        using var page = await browser.PostAsync("/partner/reports", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["ReportId"] = "consumption-summary", ["To"] = "0001-01-01",
        }));
        var month = await browser.GetAsync("/partner/usage?period=0001-01");

        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-error", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, month.StatusCode);
        Assert.Contains("not one of the choices", await month.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await StoredCountsAsync()).Workbooks);
    }

    /// <summary>
    /// The attack (and the accident): a body missing a member read as "empty". PUT recipient-domains without "domains"
    /// silently cleared what operators had allowed. A missing or unknown member is a 400 naming it, and nothing changes.
    /// </summary>
    [Theory]
    [InlineData("{}")]
    [InlineData("{\"domains\":null}")]
    [InlineData("{\"domain\":[\"partners.example\"]}")]
    [InlineData("")]
    public async Task RecipientDomains_BodyWithoutTheList_IsRefusedAndTheListStays(string body)
    {
        using var op = await _app.ApiClientAsync("operator");
        var path = $"/api/ops/partners/{_adatum}/recipient-domains";
        (await op.PutAsJsonAsync(path, new { domains = new[] { "partners.example" } })).EnsureSuccessStatusCode();

        using var response = await op.PutAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var domains = await op.GetFromJsonAsync<JsonElement[]>(path);
        Assert.Contains(domains!, d => d.GetProperty("domain").GetString() == "partners.example");
    }

    [Fact]
    public async Task Registration_MissingMember_IsRefusedNamingIt()
    {
        var (partner, _) = await new Given(_app).NewTenantUserAsync("Partner.Admin");

        using var response = await partner.PostAsJsonAsync("/api/partner/registration", new { displayName = "No Ids", notificationEmail = "a@b.example" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("partnerIds", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        partner.Dispose();
    }

    /// <summary>
    /// A page form value that does not bind used to fall back to the default ("From" not a date meant "the last 28 days")
    /// and the request went ahead. The binding error is shown (400) and nothing is queued.
    /// </summary>
    [Fact]
    public async Task PageForm_ValueThatDoesNotBind_IsShownAndNothingHappens()
    {
        var before = (await StoredCountsAsync()).Workbooks;
        using var browser = await _app.SignInAsync("adatum-admin");
        var token = await browser.AntiforgeryTokenAsync("/partner/reports");

        using var response = await browser.PostAsync("/partner/reports", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["ReportId"] = "consumption-summary", ["From"] = "last tuesday",
        }));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-field=\"From\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("last tuesday", page, StringComparison.Ordinal);
        Assert.Equal(before, (await StoredCountsAsync()).Workbooks);
    }

    /// <summary>What a form needs first (a pending partner to reject), then a sender of the field at a given length.</summary>
    private async Task<Func<int, Task<HttpResponseMessage>>> ArrangeAsync(string form, string field)
    {
        switch (form)
        {
            case "registration":
                return async length =>
                {
                    var body = new Dictionary<string, object?>
                    {
                        ["displayName"] = "Long Fields Ltd", ["notificationEmail"] = "dpor@long.example", ["partnerIds"] = new[] { Given.NewMpnId() },
                    };
                    body[field] = field switch
                    {
                        "notificationEmail" => Email(length),
                        "partnerIds" => new[] { new string('7', length) },
                        _ => new string('L', length),
                    };
                    var (partner, _) = await new Given(_app).NewTenantUserAsync("Partner.Admin");
                    return await partner.PostAsJsonAsync("/api/partner/registration", body);
                };
            case "rejection":
                var pending = await new Given(_app).RegisteredPartnerAsync("To Reject");
                return async length =>
                {
                    using var op = await _app.ApiClientAsync("operator");
                    return await op.PostAsJsonAsync($"/api/ops/partners/{pending.Id}/reject", new { reason = new string('r', length) });
                };
            case "schedule":
                return async length =>
                {
                    var body = new Dictionary<string, object?>
                    {
                        ["name"] = "Limits", ["reportId"] = "consumption-summary", ["period"] = "last28Days", ["cadence"] = "weekly",
                        ["dayOfWeek"] = "monday", ["time"] = "07:00", ["timeZone"] = "UTC", ["recipients"] = new[] { "dpor@adatum.example" },
                        ["tenantIds"] = Array.Empty<Guid>(), ["enabled"] = true,
                    };
                    switch (field)
                    {
                        case "cron": (body["cadence"], body["cron"]) = ("cron", "0 7 * * " + new string('1', length)); break;
                        case "recipients": body["recipients"] = new[] { Email(length) }; break;
                        case "tenantIds": body["tenantIds"] = Enumerable.Range(0, length / 36 + 1).Select(_ => Guid.NewGuid()).ToArray(); break;
                        case "timeZone": body["timeZone"] = new string('Z', length); break;
                        default: body[field] = new string('S', length); break;
                    }
                    using var adatum = await _app.ApiClientAsync("adatum-admin");
                    return await adatum.PostAsJsonAsync("/api/partner/report-schedules", body);
                };
            case "workbook":
                return async length =>
                {
                    using var adatum = await _app.ApiClientAsync("adatum-admin");
                    return await adatum.PostAsJsonAsync("/api/partner/reports",
                        new { reportId = "consumption-summary", tenantIds = Enumerable.Range(0, length / 36 + 1).Select(_ => Guid.NewGuid()).ToArray() });
                };
            default:
                return async length =>
                {
                    using var op = await _app.ApiClientAsync("operator");
                    return await op.PutAsJsonAsync($"/api/ops/partners/{_adatum}/recipient-domains", new { domains = new[] { Domain(length) } });
                };
        }
    }

    /// <summary>A well-formed address of exactly <paramref name="length"/> characters (64-character local part, 63-character labels).</summary>
    private static string Email(int length) => new string('x', 64) + "@" + Domain(length - 65);

    /// <summary>A well-formed domain name of exactly <paramref name="length"/> characters.</summary>
    private static string Domain(int length)
    {
        var labels = new List<string>();
        var left = length;
        while (left > 64)
        {
            labels.Add("d" + new string('a', 62));
            left -= 64;
        }
        labels.Add("e" + new string('x', Math.Max(1, left) - 1));
        return string.Join(".", labels);
    }

    private static async Task<(HttpStatusCode Status, HashSet<string> Fields)> ErrorsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var fields = new HashSet<string>(StringComparer.Ordinal);
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            && JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            fields.UnionWith(errors.EnumerateObject().Select(e => e.Name));
        return (response.StatusCode, fields);
    }

    /// <summary>Partners, and Adatum's schedules, workbooks and recipient domains (read in Adatum's partner scope).</summary>
    private async Task<(int Partners, int Schedules, int Workbooks, int Domains)> StoredCountsAsync()
    {
        await using var scope = _app.Scope();
        scope.ServiceProvider.GetRequiredService<Core.Tenancy.PartnerScope>().Set(_adatum);
        var db = DporWebFactory.Db(scope);
        return (await db.Partners.CountAsync(), await db.Set<ReportSchedule>().CountAsync(), await db.Set<GeneratedReport>().CountAsync(),
            await db.Set<RecipientDomain>().CountAsync());
    }
}
