using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;

namespace DporReports.IntegrationTests.Languages;

/// <summary>
/// Every page as a Spanish-speaking browser gets it (Accept-Language es-MX), for each kind of person: no text a person reads
/// may be left in English. A text is "left in English" when it is one of the English keys of Texts.es.resx (a path that
/// skipped the localizer) or when it reads as English (common English words that Spanish never uses).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class SpanishPagesTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" });

    public Task InitializeAsync() => _app.VerifiedTenantAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string?, string> Pages() => new()
    {
        { null, "/" },
        { "contoso-admin", "/" },
        { "contoso-admin", "/customer" },
        { "contoso-admin", "/customer/history" },
        { "contoso-reader", "/customer" },
        { "adatum-admin", "/" },
        { "adatum-admin", "/partner/usage" },
        { "adatum-admin", $"/partner/usage/customers/{SandboxDirectory.ContosoTenantId}" },
        { "adatum-admin", "/partner/customers" },
        { "adatum-admin", "/partner/reports" },
        { "adatum-admin", "/partner/reports/schedules" },
        { "adatum-admin", "/partner/alerts" },
        { "adatum-admin", "/partner/registration" },
        { "operator", "/" },
        { "operator", "/ops/partners" },
        { "operator", "/ops/ingestion" },
        { "contoso-user", "/access-denied" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_InSpanish_HasNoEnglishText(string? persona, string path)
    {
        using var browser = persona is null ? _app.CreateClient() : await _app.SignInAsync(persona, path == "/access-denied" ? "/" : path);
        browser.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("es-MX"));

        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        var english = EnglishTexts(html);
        Assert.True(english.Count == 0, $"{persona} {path} shows English: {string.Join(" | ", english)}");
    }

    [Fact]
    public async Task ScheduleDetail_InSpanish_HasNoEnglishText()
    {
        using var api = await _app.ApiClientAsync("adatum-admin");
        var created = await Reports.ReportScheduleTests.CreateAsync(api, Reports.ReportScheduleTests.Weekly("Resumen semanal", ["ana@adatum.example"]));
        using var browser = await _app.SignInAsync("adatum-admin", "/partner/reports/schedules");
        browser.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("es"));

        var html = await browser.GetStringAsync($"/partner/reports/schedules/{created.GetProperty("id").GetString()}");

        Assert.Contains("Semanalmente el lunes a las 07:00 (Europe/Berlin)", html, StringComparison.Ordinal);
        var english = EnglishTexts(html);
        Assert.True(english.Count == 0, $"schedule page shows English: {string.Join(" | ", english)}");
    }

    [Fact]
    public async Task CheckId_InSpanish_SaysWhyInSpanish_WithTheEnteredValue()
    {
        using var browser = await _app.SignInAsync("contoso-admin", "/customer");
        browser.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("es-419"));
        var page = await browser.GetStringAsync("/customer");
        var subscription = SubscriptionId().Match(page).Groups["id"].Value;
        var fields = BrowserSignIn.HiddenFields(page);
        fields["subscriptionId"] = subscription;

        fields["PartnerId"] = "12ab";
        using var malformed = await browser.PostAsync("/customer?handler=Check", new FormUrlEncodedContent(fields));
        fields["PartnerId"] = "99999999";
        using var unknown = await browser.PostAsync("/customer?handler=Check", new FormUrlEncodedContent(fields));

        Assert.Contains("'12ab' no es un Partner ID", WebUtility.HtmlDecode(await malformed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var unknownHtml = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("No hay ningún socio registrado con el Partner ID 99999999.", WebUtility.HtmlDecode(unknownHtml), StringComparison.Ordinal);
        Assert.Empty(EnglishTexts(unknownHtml));
    }

    /// <summary>
    /// The charts' own texts (axis, legend, each point's name, the summary) and the customers' small trends are SVG, which the
    /// page-wide check leaves out: they are checked here, in Spanish, with day-first dates and es-419 numbers.
    /// </summary>
    [Fact]
    public async Task PartnerUsage_InSpanish_ChartsAndTrendsSpeakSpanish()
    {
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        using (var admin = await _app.ApiClientAsync("contoso-admin"))
        await using (var scope = _app.Scope())
        {
            var db = DporWebFactory.Db(scope);
            var subscription = (await admin.ActiveSubscriptionIdsAsync())[0]; // Adatum's, verified today
            db.Add(DporReports.Core.Usage.SubscriptionDailyUsageFact.Of(SandboxDirectory.ContosoTenantId, today,
                new DporReports.Core.Usage.SubscriptionWorkloadUsage(subscription, DporReports.Core.Subscriptions.Workload.Teams, 2_000, 0, 1_234)));
            await db.SaveChangesAsync();
        }
        using var browser = await _app.SignInAsync("adatum-admin", "/partner/usage");
        browser.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("es-MX"));

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/partner/usage"));

        var day = today.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var n = 1_234.ToString("#,0", System.Globalization.CultureInfo.GetCultureInfo("es-419")); // Latin-American numbers
        Assert.Contains($"aria-label=\"Teams, {day}: {n}; promedio de 7 días {n}\"", html, StringComparison.Ordinal);
        Assert.Contains(">Fecha</text>", html, StringComparison.Ordinal);
        Assert.Contains(">Teams, promedio de 7 días</text>", html, StringComparison.Ordinal);
        Assert.Contains($"Teams: 1 días del {day} al {day}; Usuarios activos: mínimo {n} el {day}", html, StringComparison.Ordinal);
        Assert.Contains($"aria-label=\"Usuarios activos diarios del {day} al {day}: mínimo {n}, máximo {n}, último {n}.\"", html, StringComparison.Ordinal);
        Assert.Contains("sin datos del período anterior", html, StringComparison.Ordinal);
        Assert.Empty(EnglishTexts(html));
    }

    [GeneratedRegex("data-subscription=\"(?<id>[0-9a-f-]{36})\" data-status=\"Enabled\"")]
    private static partial Regex SubscriptionId();

    [Fact]
    public async Task LanguagePicker_RemembersSpanish_OverTheBrowsersEnglish()
    {
        using var browser = await _app.SignInAsync("contoso-admin", "/customer");
        browser.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));

        var english = await browser.GetStringAsync("/customer");
        using var picked = await browser.GetAsync("/language/es?returnUrl=%2Fcustomer");
        var spanish = await browser.GetStringAsync("/customer");
        using var offSite = await browser.GetAsync("/language/en?returnUrl=https%3A%2F%2Fevil.example%2F");

        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        Assert.Equal("/customer", picked.Headers.Location?.OriginalString);
        Assert.Contains("<html lang=\"es\">", spanish, StringComparison.Ordinal);
        Assert.Contains("Suscripciones", spanish, StringComparison.Ordinal);
        Assert.Equal("/", offSite.Headers.Location?.OriginalString);
    }

    /// <summary>Texts of the page (element text and the attributes people hear or see) that read as English.</summary>
    private static List<string> EnglishTexts(string html)
    {
        var body = Hidden().Replace(html, " ");
        var texts = Tag().Split(body).Select(WebUtility.HtmlDecode)
            .Concat(ReadAttribute().Matches(body).Select(m => WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .Select(t => Space().Replace(t!, " ").Trim())
            .Where(t => t.Length > 0)
            .Distinct();
        return [.. texts.Where(t => EnglishKeys.Contains(t) || Words().Matches(t).Any(w => EnglishOnly.Contains(w.Value.ToLowerInvariant())))
            .Where(t => !Allowed.Any(a => t.Contains(a, StringComparison.Ordinal)))];
    }

    /// <summary>Keys whose Spanish differs from the English (names such as "Partner of Record" stay as they are).</summary>
    private static readonly HashSet<string> EnglishKeys = LoadKeys();

    private static HashSet<string> LoadKeys()
    {
        var resx = Path.Combine(AppContext.BaseDirectory, "Texts.es.resx");
        return [.. XDocument.Load(resx).Root!.Elements("data")
            .Where(d => d.Attribute("name")!.Value != d.Element("value")!.Value && !d.Attribute("name")!.Value.Contains('{', StringComparison.Ordinal))
            .Select(d => d.Attribute("name")!.Value)];
    }

    private static readonly HashSet<string> EnglishOnly = new(StringComparer.Ordinal)
    {
        "the", "your", "you", "and", "of", "is", "are", "with", "for", "this", "from", "has", "have", "not", "was", "be", "can",
        "will", "when", "which", "who", "what", "yet", "sign", "page", "only", "by", "to", "an", "its", "or", "none", "show",
        "search", "customers", "subscriptions", "seats", "usage", "status", "name", "date", "back", "reload", "next", "previous",
    };

    /// <summary>Data, not texts: names of the sandbox's organisations, products, people and Microsoft's terms.</summary>
    private static readonly string[] Allowed =
    [
        "Contoso", "Adatum", "Fabrikam", "Northwind", "Litware", "Proseware", "DporReports", "Office 365", "Microsoft 365",
        "Enterprise Mobility", "Dynamics 365", "Partner of Record", "Partners of Record", "Partner.Admin", "Partner.Reader", "@",
    ];

    [GeneratedRegex("<(script|style|head|code|svg)\\b.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Hidden();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("\\b(?:aria-label|title|placeholder|alt|data-label)=\"(?<value>[^\"]*)\"")]
    private static partial Regex ReadAttribute();

    [GeneratedRegex("\\s+")]
    private static partial Regex Space();

    [GeneratedRegex("\\p{L}+")]
    private static partial Regex Words();
}
