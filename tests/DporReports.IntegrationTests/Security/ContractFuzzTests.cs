using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DporReports.IntegrationTests.Api;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DporReports.IntegrationTests.Security;

/// <summary>
/// The attacks: whatever an outside tester (or a script gone wrong) sends. Every operation of the API is read from the
/// contract the host serves (/openapi/v1.json) and sent, for each parameter and body member, boundary values of its type —
/// empty, whitespace, 100 KB, control characters, markup, invalid and empty GUIDs, the calendar's first and last days,
/// negative and huge numbers — and, for each body, malformed JSON, other content types and a few megabytes; as an
/// anonymous caller, a customer's Global Administrator, an approved partner's admin, a pending partner's admin and an
/// operator. The same for every form of every page, with a valid antiforgery token. Asserted: never a 5xx; every 4xx a
/// problem-details body (API) whose status the contract declares; and a refused request never changes anything stored
/// (the database's rows and Hangfire's jobs, compared before and after).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class ContractFuzzTests(SandboxFixture sandbox, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Personas = ["contoso-admin", "adatum-admin", "litware-admin", "operator"];

    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?>
    {
        ["DemoData:Enabled"] = "true",
        // The budget answers 429 (checked elsewhere); here every request should reach its validation.
        ["PartnerLookups:PerUserPerMinute"] = "1000",
        ["PartnerLookups:PerTenantPerMinute"] = "10000",
    });

    private readonly List<string> _failures = [];
    private List<PageForm> _forms = [];
    private string? _formsOf;
    private bool _formsChanged;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private int _requests;

    public async Task InitializeAsync()
    {
        await _app.VerifiedTenantAsync();
        // One pull, so the ingestion health lists the tenant (and its "refresh now" form).
        await _app.RunJobAsync<Core.Usage.PullTenantUsageJob>(j => j.RunAsync(SandboxDirectory.ContosoTenantId, default));
        using var adatum = await _app.ApiClientAsync("adatum-admin");
        var schedule = await adatum.PostAsJsonAsync("/api/partner/report-schedules", new
        {
            name = "Fuzzed", reportId = "consumption-summary", period = "last28Days", cadence = "weekly", dayOfWeek = "monday", time = "07:00",
            timeZone = "UTC", recipients = new[] { "dpor@adatum.example" }, tenantIds = Array.Empty<Guid>(), enabled = true,
        });
        schedule.EnsureSuccessStatusCode();
        var workbook = await adatum.PostAsJsonAsync("/api/partner/reports", new { reportId = "consumption-summary" });
        workbook.EnsureSuccessStatusCode();
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var adatumId = (await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.AdatumTenantId)).Id;
        var litwareId = (await db.Partners.SingleAsync(p => p.TenantId == SandboxDirectory.LitwareTenantId)).Id;
        // Real ids for the route parameters, so the values reach past "not found" into each operation's own checks.
        _ids["/api/partner/report-schedules/{id}"] = (await schedule.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        _ids["/api/partner/reports/files/{id}"] = (await workbook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        _ids["/api/ops/partners/{id}"] = litwareId.ToString();
        _ids["/api/ops/partners/{partnerId}"] = adatumId.ToString();
        _ids["tenantId"] = SandboxDirectory.ContosoTenantId.ToString();
        _ids["/api/customer/subscriptions/{id}"] = (await db.Subscriptions.FirstAsync(s => s.TenantId == SandboxDirectory.ContosoTenantId)).Id.ToString();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EveryApiOperation_FuzzedFromItsContract_NeverFailsAndNeverStoresARefusal()
    {
        using var anonymous = _app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using var contract = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        var operations = Contract.Operations(contract.RootElement).ToList();
        var clients = new Dictionary<string, HttpClient> { ["anonymous"] = anonymous };
        foreach (var persona in Personas) clients[persona] = await _app.ApiClientAsync(persona);
        var values = 0;

        foreach (var (method, path, operation) in operations)
        {
            var cases = Cases(contract.RootElement, method, path, operation).ToList();
            values += cases.Count;
            foreach (var (persona, client) in clients)
            {
                // Anonymous callers are refused before anything is read: the first cases say so for every operation.
                await RunSegmentAsync(client, persona, method, path, operation, persona == "anonymous" ? cases.Take(3) : cases);
            }
        }

        foreach (var client in clients.Values) client.Dispose();
        output.WriteLine($"{operations.Count} operations, {values} cases, {clients.Count} callers: {_requests} requests");
        Assert.True(operations.Count >= 37, $"{operations.Count} operations in the contract");
        Assert.True(_failures.Count == 0, $"{_failures.Count} failures:\n" + string.Join("\n", _failures.Take(40)));
    }

    [Fact]
    public async Task EveryPageForm_Fuzzed_NeverFailsAndNeverStoresARefusal()
    {
        var pages = new Dictionary<string, string[]>
        {
            ["contoso-admin"] = ["/customer"],
            // Registration last: a changed name or Partner ID sends the organisation back to review, closing the partner pages.
            ["adatum-admin"] = ["/partner/reports", "/partner/reports/schedules", $"/partner/reports/schedules/{_ids["/api/partner/report-schedules/{id}"]}", "/partner/registration"],
            ["operator"] = ["/ops/partners", "/ops/ingestion"],
        };
        var forms = 0;
        foreach (var (persona, paths) in pages)
        {
            using var browser = await _app.SignInAsync(persona);
            foreach (var page in paths)
            {
                using var shown = await browser.GetAsync(page);
                Assert.True(shown.StatusCode == System.Net.HttpStatusCode.OK, $"{persona} {page}: {(int)shown.StatusCode} {shown.Headers.Location}");
                var found = Forms(await shown.Content.ReadAsStringAsync(), page).ToList();
                Assert.True(found.Count > 0, $"{persona} {page}: no form");
                forms += found.Count;
                for (var index = 0; index < found.Count; index++)
                {
                    foreach (var field in found[index].Fields.Keys.Where(f => f != "__RequestVerificationToken").ToList())
                    {
                        foreach (var value in FormValues)
                            await PostFormAsync(browser, persona, page, index, field, value);
                    }
                }
            }
        }
        output.WriteLine($"{forms} forms: {_requests} requests");
        Assert.True(_failures.Count == 0, $"{_failures.Count} failures:\n" + string.Join("\n", _failures.Take(40)));
    }

    /// <summary>
    /// Sends one operation's cases in order. A request that may change something (not a GET) is compared on its own: the
    /// stored state before and after it must be equal when it was refused. GETs change nothing: compared once, at the end.
    /// </summary>
    private async Task RunSegmentAsync(HttpClient client, string persona, string method, string path, JsonElement operation, IEnumerable<FuzzCase> cases)
    {
        var declared = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var before = await FingerprintAsync();
        var refusedReads = new List<string>();
        foreach (var fuzz in cases)
        {
            var where = $"{persona} {method} {path} [{fuzz.Label}]";
            using var request = new HttpRequestMessage(new HttpMethod(method), fuzz.Url);
            if (fuzz.Body is not null) request.Content = new ByteArrayContent(fuzz.Body) { Headers = { { "Content-Type", fuzz.ContentType } } };
            using var response = await client.SendAsync(request);
            _requests++;
            var status = (int)response.StatusCode;
            if (status >= 500) _failures.Add($"{where}: {status} {Cut(await response.Content.ReadAsStringAsync())}");
            else if (!declared.Contains(status.ToString(CultureInfo.InvariantCulture)))
                _failures.Add($"{where}: {status} is not in the contract ({string.Join(", ", declared)})");
            if (status is >= 400 and < 500) await CheckProblemAsync(response, status, where);
            if (method == "GET")
            {
                if (status >= 400) refusedReads.Add(where);
                continue;
            }
            var after = await FingerprintAsync();
            if (status >= 400 && after != before) _failures.Add($"{where}: refused ({status}) but stored state changed");
            before = after;
        }
        if (refusedReads.Count > 0 && await FingerprintAsync() != before)
            _failures.Add($"stored state changed across refused reads: {string.Join(" / ", refusedReads.Take(5))} (… {refusedReads.Count})");
    }

    private async Task PostFormAsync(HttpClient browser, string persona, string page, int index, string field, string value)
    {
        // The form as the page renders it now: read again after an accepted request (versions and ids change); a page that
        // is gone (its schedule deleted by an accepted request) has no form left to send.
        if (_formsChanged || _formsOf != page)
        {
            using var current = await browser.GetAsync(page);
            _forms = current.StatusCode == System.Net.HttpStatusCode.OK ? [.. Forms(await current.Content.ReadAsStringAsync(), page)] : [];
            (_formsOf, _formsChanged) = (page, false);
        }
        var forms = _forms;
        if (index >= forms.Count || !forms[index].Fields.ContainsKey(field)) return;
        var form = forms[index];
        var fields = new Dictionary<string, string>(form.Fields) { [field] = value };
        var where = $"{persona} POST {form.Action} [{field} = {Label(value)}]";
        var before = await FingerprintAsync();

        using var response = await browser.PostAsync(form.Action, new FormUrlEncodedContent(fields));
        _requests++;
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            _failures.Add($"{where}: {status} {Cut(body)}");
            return;
        }
        var shown = status == 302 && response.Headers.Location is { } next && !next.IsAbsoluteUri
            ? await browser.GetStringAsync(next)
            : body;
        var isRefusal = status >= 400 || shown.Contains("role=\"alert\"", StringComparison.Ordinal);
        if (isRefusal && await FingerprintAsync() != before) _failures.Add($"{where}: refused ({status}) but stored state changed");
        // The form may show back what was typed (so it can be corrected); a message or a cookie never repeats it.
        if (Alerts().Matches(shown).Any(alert => alert.Value.Contains(new string('x', 200), StringComparison.Ordinal)))
            _failures.Add($"{where}: a message repeats the 100 KB value");
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Sum(c => c.Length) > 4096)
            _failures.Add($"{where}: {cookies.Sum(c => c.Length)} characters of cookies");
        _formsChanged = !isRefusal;
    }

    private async Task CheckProblemAsync(HttpResponseMessage response, int status, string where)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            _failures.Add($"{where}: {status} without problem details ({response.Content.Headers.ContentType}) {Cut(text)}");
            return;
        }
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status
                || string.IsNullOrWhiteSpace(problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null))
                _failures.Add($"{where}: problem details without its status or title: {Cut(text)}");
            if (text.Length > 8_000) _failures.Add($"{where}: a {text.Length}-character problem (input echoed?)");
        }
        catch (JsonException)
        {
            _failures.Add($"{where}: problem+json that is not JSON: {Cut(text)}");
        }
    }

    /// <summary>
    /// Every table's rows (but the data-protection keys the antiforgery system may create and the caches), in one round trip, and Hangfire's
    /// job counts (a refused request must not queue a job either).
    /// </summary>
    private async Task<string> FingerprintAsync()
    {
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>()
            // Also not the portfolio snapshots: a cache that accepted reads among the fuzzed ones write (with their version), never a refusal.
            .Where(t => t is not ("DataProtectionKeys" or "TokenCacheEntries" or "PortfolioSnapshots")).Distinct().Order(StringComparer.Ordinal).ToList();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = string.Join(";\n", tables.Select(t => $"SELECT * FROM \"{t}\""));
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount)
                    .Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
            rows.Sort(StringComparer.Ordinal);
            text.Append(table).Append(':').Append(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", rows))))).Append(';');
            await reader.NextResultAsync();
        }
        var jobs = _app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
        return text.Append($"jobs:{jobs.Enqueued}/{jobs.Scheduled}/{jobs.Recurring}").ToString();
    }

    // ---- the cases of one operation -------------------------------------------------------------------------------------

    private sealed record FuzzCase(string Label, string Url, byte[]? Body, string ContentType);

    private static readonly string Big = new('x', 100_000);

    private static readonly string[] Strings =
        ["", " ", "\t\r\n\v", Big, "\u0000\u0001\u001b\u007f", "<script>alert(1)</script>", "'; DROP TABLE \"Partners\";--", "😀\u202e𝕏", "../../etc/passwd%00"];

    private static readonly string[] Guids =
        ["", "not-a-guid", "00000000-0000-0000-0000-000000000000", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "{6f9619ff-8b86-d011-b42d-00c04fc964ff}"];

    private static readonly string[] Dates = ["0001-01-01", "9999-12-31", "2026-02-30", "", "01/02/2026"];

    private static readonly string[] Integers = ["-1", "0", "2147483647", "-2147483648", "99999999999999999999", "1.5", "abc", ""];

    private static readonly string[] Booleans = ["maybe", "", "2"];

    private static readonly string[] FormValues =
        ["", " ", Big, "\u0001\u001b\r\n", "not-a-guid", "0001-01-01", "-1", "99999999999999999999", "<script>alert(1)</script>"];

    private IEnumerable<FuzzCase> Cases(JsonElement document, string method, string template, JsonElement operation)
    {
        var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
        var body = RequestSchema(document, operation);
        var baseline = body is null ? null : BaselineBody(document, body.Value);

        string Url(string? name, string? value)
        {
            var path = template;
            var query = new List<string>();
            foreach (var parameter in parameters)
            {
                var parameterName = parameter.GetProperty("name").GetString()!;
                var located = parameter.GetProperty("in").GetString();
                var chosen = parameterName == name ? value : located == "path" ? PathBaseline(template, parameterName, parameter) : null;
                if (chosen is null) continue;
                if (located == "path") path = path.Replace($"{{{parameterName}}}", Uri.EscapeDataString(chosen), StringComparison.Ordinal);
                else query.Add($"{parameterName}={Uri.EscapeDataString(chosen)}");
            }
            return query.Count == 0 ? path : $"{path}?{string.Join("&", query)}";
        }

        byte[]? Json(JsonNode? node) => node is null ? null : Encoding.UTF8.GetBytes(node.ToJsonString());

        yield return new FuzzCase("baseline", Url(null, null), Json(baseline), "application/json");
        foreach (var parameter in parameters)
        {
            var name = parameter.GetProperty("name").GetString()!;
            // In a path, an empty value is another URL (another operation), and a NUL is refused by the server before any
            // application code (the in-memory test server throws instead).
            var inPath = parameter.GetProperty("in").GetString() == "path";
            foreach (var value in ValuesOf(Kind(document, parameter.GetProperty("schema")))
                         .Where(v => !inPath || (v.Length > 0 && !v.Contains('\0', StringComparison.Ordinal))))
                yield return new FuzzCase($"{name}={Label(value)}", Url(name, value), Json(baseline), "application/json");
        }
        if (body is null || baseline is null) yield break;

        foreach (var (name, schema) in Properties(document, body.Value))
        {
            var kind = Kind(document, schema);
            var mutations = ValuesOf(kind).Select(v => (Label(v), (JsonNode?)JsonValue.Create(v)))
                .Append(("null", null)).Append(("missing", (JsonNode?)JsonValue.Create("\u0000missing")))
                .Append(("wrong type", kind == "string" ? new JsonArray(1, 2) : JsonValue.Create("wrong")));
            if (kind == "array")
                mutations = mutations.Append(("100 KB item", new JsonArray(JsonValue.Create(Big))))
                    .Append(("5000 items", new JsonArray([.. Enumerable.Range(0, 5000).Select(i => (JsonNode?)JsonValue.Create($"item{i}@adatum.example"))])));
            foreach (var (label, value) in mutations)
            {
                var mutated = baseline.DeepClone().AsObject();
                if (value is JsonValue v && v.TryGetValue<string>(out var marker) && marker == "\u0000missing") mutated.Remove(name);
                else mutated[name] = value?.DeepClone();
                yield return new FuzzCase($"body.{name}={label}", Url(null, null), Json(mutated), "application/json");
            }
        }
        var url = Url(null, null);
        yield return new FuzzCase("body={", url, Encoding.UTF8.GetBytes("{"), "application/json");
        yield return new FuzzCase("body=[]", url, Encoding.UTF8.GetBytes("[]"), "application/json");
        yield return new FuzzCase("body=null", url, Encoding.UTF8.GetBytes("null"), "application/json");
        yield return new FuzzCase("body empty", url, [], "application/json");
        yield return new FuzzCase("body unknown member", url, Json(new JsonObject { ["unknown"] = 1 }), "application/json");
        yield return new FuzzCase("text/plain", url, Json(baseline), "text/plain");
        yield return new FuzzCase("application/xml", url, Encoding.UTF8.GetBytes("<x/>"), "application/xml");
        yield return new FuzzCase("4 MB body", url, Encoding.UTF8.GetBytes($"{{\"x\":\"{new string('x', 4 * 1024 * 1024)}\"}}"), "application/json");
    }

    private string PathBaseline(string template, string name, JsonElement parameter)
    {
        var prefix = template[..(template.IndexOf($"{{{name}}}", StringComparison.Ordinal) + name.Length + 2)];
        if (_ids.TryGetValue(prefix, out var id) || _ids.TryGetValue(name, out id)) return id;
        return parameter.GetProperty("schema").TryGetProperty("format", out var format) && format.GetString() == "uuid" ? Guid.NewGuid().ToString() : "1234567";
    }

    private static string[] ValuesOf(string kind) => kind switch
    {
        "uuid" => Guids,
        "date" => Dates,
        "integer" or "number" => Integers,
        "boolean" => Booleans,
        "array" => [],
        _ => Strings,
    };

    private static JsonElement? RequestSchema(JsonElement document, JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json)
            ? Resolve(document, json.GetProperty("schema"))
            : null;

    private static IEnumerable<(string Name, JsonElement Schema)> Properties(JsonElement document, JsonElement schema) =>
        Resolve(document, schema).TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => (p.Name, p.Value))
            : [];

    /// <summary>A plausible body: every member the schema names, with a value that passes (names the contract uses).</summary>
    private static JsonObject BaselineBody(JsonElement document, JsonElement schema)
    {
        var body = new JsonObject();
        foreach (var (name, member) in Properties(document, schema))
        {
            body[name] = name switch
            {
                "partnerId" => "1234567",
                "partnerIds" => new JsonArray("5550123"),
                "reportId" => "consumption-summary",
                "period" => "last28Days",
                "cadence" => "weekly",
                "dayOfWeek" => "monday",
                "dayOfMonth" => 1,
                "time" => "07:00",
                "timeZone" => "UTC",
                "cron" => null,
                "recipients" => new JsonArray("dpor@adatum.example"),
                "domains" => new JsonArray("partners.example"),
                "displayName" => "Fuzz Partner",
                "notificationEmail" => "dpor@fuzz.example",
                "reason" => "A reason for the review",
                "tenantIds" => new JsonArray(),
                "enabled" => true,
                "name" => "Fuzzed schedule",
                "version" or "from" or "to" => null,
                _ => Kind(document, member) switch
                {
                    "boolean" => true,
                    "integer" => 1,
                    "array" => new JsonArray(),
                    _ => "x",
                },
            };
        }
        return body;
    }

    /// <summary>uuid, date, integer, number, boolean, array, object or string, from a schema (references and nullability resolved).</summary>
    private static string Kind(JsonElement document, JsonElement schema)
    {
        schema = Resolve(document, schema);
        if (schema.TryGetProperty("format", out var format) && format.GetString() is "uuid" or "date") return format.GetString()!;
        foreach (var option in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(option, out var options))
                return options.EnumerateArray().Select(o => Kind(document, o)).FirstOrDefault(k => k != "null") ?? "string";
        }
        if (!schema.TryGetProperty("type", out var type)) return "object";
        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
        return types.FirstOrDefault(t => t != "null") ?? "string";
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    // ---- page forms -----------------------------------------------------------------------------------------------------

    private sealed record PageForm(string Action, Dictionary<string, string> Fields);

    /// <summary>The page's POST forms (not sign-out: it would end the session the rest of the run needs) with their fields as rendered.</summary>
    private static IEnumerable<PageForm> Forms(string html, string page)
    {
        foreach (Match form in FormPattern().Matches(html))
        {
            var action = System.Net.WebUtility.HtmlDecode(form.Groups["action"].Success ? form.Groups["action"].Value : page);
            if (action.StartsWith("/account/", StringComparison.Ordinal)) continue;
            var inner = form.Groups["inner"].Value;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in InputPattern().Matches(inner))
            {
                var name = Attribute(input.Value, "name");
                var type = Attribute(input.Value, "type");
                if (name is null || fields.ContainsKey(name) || (type == "checkbox" && !input.Value.Contains("checked", StringComparison.Ordinal))) continue;
                fields[name] = Attribute(input.Value, "value") ?? "";
            }
            foreach (Match select in SelectPattern().Matches(inner))
                fields.TryAdd(select.Groups["name"].Value, OptionPattern().Match(select.Groups["options"].Value) is { Success: true } option ? option.Groups["value"].Value : "");
            foreach (Match area in TextAreaPattern().Matches(inner))
                fields.TryAdd(area.Groups["name"].Value, System.Net.WebUtility.HtmlDecode(area.Groups["text"].Value));
            foreach (Match button in ButtonPattern().Matches(inner))
                fields.TryAdd(button.Groups["name"].Value, button.Groups["value"].Value);
            yield return new PageForm(action, fields);
        }
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"(?<v>[^\"]*)\"", RegexOptions.IgnoreCase) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups["v"].Value) : null;

    private static string Label(string value) =>
        value.Length > 24 ? $"{value.Length} chars" : Regex.Replace(value, @"\p{C}", c => $"\\u{(int)c.Value[0]:x4}");

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex("<form\\b(?=[^>]*method=\"post\")(?:[^>]*\\baction=\"(?<action>[^\"]*)\")?[^>]*>(?<inner>.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("role=\"alert\".*?</div>", RegexOptions.Singleline)]
    private static partial Regex Alerts();

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    [GeneratedRegex("<select\\b[^>]*name=\"(?<name>[^\"]+)\"[^>]*>(?<options>.*?)</select>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SelectPattern();

    [GeneratedRegex("<option\\b[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex OptionPattern();

    [GeneratedRegex("<textarea\\b[^>]*name=\"(?<name>[^\"]+)\"[^>]*>(?<text>.*?)</textarea>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TextAreaPattern();

    [GeneratedRegex("<button\\b[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ButtonPattern();
}
