using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DporReports.Core.Notifications;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.IntegrationTests.Notifications;
using DporReports.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Languages;

/// <summary>
/// design.md §1 "each mail follows its recipient's language": a partner registered with Spanish and one registered with
/// English each receive every kind of assignment mail (named, replacing another, changed away from, removed) in their own
/// language, whoever caused it and whatever language that admin reads, through the real outbox and SMTP on loopback. A
/// Spanish mail that shares a sentence with the English one of the same kind, or reads as English, was not translated.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class MailLanguagesTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private const string SpanishAddress = "dpor@socio.example";
    private const string EnglishAddress = "dpor@partner.example";
    private readonly SmtpSink _sink = new();
    private DporWebFactory _app = null!;

    public async Task InitializeAsync()
    {
        _app = new DporWebFactory(sandbox, NotificationsHost.Smtp(_sink));
        await _app.ConnectedTenantAsync();
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task AssignmentMails_PartnersRegisteredInSpanishAndEnglish_EachReceivesEveryKindInItsLanguage()
    {
        var socio = await ApprovedPartnerAsync("Socio Andino", SpanishAddress, "es");
        var partner = await ApprovedPartnerAsync("Tailspin Advisors", EnglishAddress, "en");
        using var admin = await _app.ApiClientAsync("contoso-admin");
        // The admin reads Spanish: the mails still follow each partner's own language.
        admin.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("es-MX"));
        var subscriptions = await admin.ActiveSubscriptionIdsAsync();
        var (first, second) = (subscriptions[0], subscriptions[1]);

        (await admin.AssignAsync(first, socio)).EnsureSuccessStatusCode();   // named (es)
        (await admin.AssignAsync(first, partner)).EnsureSuccessStatusCode(); // changed away (es), named replacing (en)
        (await admin.AssignAsync(first, socio)).EnsureSuccessStatusCode();   // changed away (en), named replacing (es)
        (await admin.RemoveAsync(first)).EnsureSuccessStatusCode();          // removed (es)
        (await admin.AssignAsync(second, partner)).EnsureSuccessStatusCode(); // named (en)
        (await admin.RemoveAsync(second)).EnsureSuccessStatusCode();          // removed (en)
        await _app.RunJobAsync<SendNotificationsJob>(job => job.RunAsync(default));

        var spanish = _sink.Received.Where(m => m.Recipients.Single() == SpanishAddress).Select(m => m.Message).ToList();
        var english = _sink.Received.Where(m => m.Recipients.Single() == EnglishAddress).Select(m => m.Message).ToList();
        Assert.Equal(
            ["Contoso Ltd cambió su Digital Partner of Record", "Contoso Ltd lo designó como Digital Partner of Record",
                "Contoso Ltd lo designó como Digital Partner of Record", "Contoso Ltd lo quitó como Digital Partner of Record"],
            spanish.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["Contoso Ltd changed its Digital Partner of Record", "Contoso Ltd named you Digital Partner of Record",
                "Contoso Ltd named you Digital Partner of Record", "Contoso Ltd removed you as Digital Partner of Record"],
            english.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.All(spanish, m =>
        {
            var text = (m.TextBody ?? "").ReplaceLineEndings("\n");
            Assert.StartsWith("Hola, Socio Andino:\n", text, StringComparison.Ordinal);
            Assert.Contains("Ada Admin, de Contoso Ltd,", text, StringComparison.Ordinal);
            Assert.Matches(@" el \d{2}/\d{2}/\d{4} \d{2}:\d{2} UTC para:", text);
            Assert.Contains("puestos pagados, suscripción ", text, StringComparison.Ordinal);
            Assert.Contains("Hola, Socio Andino:", WebUtility.HtmlDecode(m.HtmlBody), StringComparison.Ordinal);
            Assert.Equal([], EnglishWords(text));
            Assert.Equal([], EnglishWords(WebUtility.HtmlDecode(Markup().Replace(m.HtmlBody ?? "", " "))));
        });
        Assert.All(english, m =>
        {
            Assert.StartsWith("Hello Tailspin Advisors,", m.TextBody ?? "", StringComparison.Ordinal);
            Assert.Matches(@" on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC for:", m.TextBody ?? "");
        });
        Assert.Contains(spanish, m => (m.TextBody ?? "").Contains("Reemplaza a Tailspin Advisors como Partner of Record.", StringComparison.Ordinal));
        Assert.Contains(english, m => (m.TextBody ?? "").Contains("It replaces Socio Andino as partner of record.", StringComparison.Ordinal));
        foreach (var kind in new[] { "named", "changed", "removed" })
        {
            var shared = Lines(Kind(spanish, kind)).Intersect(Lines(Kind(english, kind))).ToList();
            Assert.True(shared.Count == 0, $"'{kind}' mail lines left in English: {string.Join(" | ", shared)}");
        }
    }

    [Theory]
    [InlineData("es-MX", "es")]
    [InlineData("en-US", "en")]
    public async Task Assign_AdminsRequestLanguage_IsRecordedForTheCustomersMails(string browser, string recorded)
    {
        var partner = await ApprovedPartnerAsync("Tailspin Advisors", EnglishAddress, "en");
        using var admin = await _app.ApiClientAsync("contoso-admin");
        admin.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(browser));

        (await admin.AssignAsync((await admin.ActiveSubscriptionIdsAsync())[0], partner)).EnsureSuccessStatusCode();

        await using var scope = _app.Scope();
        var tenant = await DporWebFactory.Db(scope).CustomerTenants.SingleAsync(t => t.Id == SandboxDirectory.ContosoTenantId);
        Assert.Equal(recorded, tenant.NotificationLanguage);
    }

    [Fact]
    public async Task Register_WithoutALanguage_TakesTheRequests_AndAnUnknownOneIsRefusedNamingTheField()
    {
        var (spanishReader, _) = await new Given(_app).NewTenantUserAsync("Partner.Admin");
        spanishReader.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("es-419"));
        var (other, _) = await new Given(_app).NewTenantUserAsync("Partner.Admin");

        using var registered = await spanishReader.PostAsJsonAsync("/api/partner/registration",
            new { displayName = "Socio Andino", notificationEmail = SpanishAddress, partnerIds = new[] { Given.NewMpnId() } });
        using var refused = await other.PostAsJsonAsync("/api/partner/registration",
            new { displayName = "Tailspin", notificationEmail = EnglishAddress, partnerIds = new[] { Given.NewMpnId() }, notificationLanguage = "fr" });

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal("es", (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notificationLanguage").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("notificationLanguage", out _));
    }

    private async Task<string> ApprovedPartnerAsync(string name, string email, string language)
    {
        var (client, _) = await new Given(_app).NewTenantUserAsync("Partner.Admin", $"{name} Admin");
        using (client)
        {
            var mpnId = Given.NewMpnId();
            using var response = await client.PostAsJsonAsync("/api/partner/registration",
                new { displayName = name, notificationEmail = email, partnerIds = new[] { mpnId }, notificationLanguage = language });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            using var op = await _app.ApiClientAsync("operator");
            (await op.PostAsJsonAsync($"/api/ops/partners/{id}/approve", new { })).EnsureSuccessStatusCode();
            return mpnId;
        }
    }

    /// <summary>The mails of one kind, told apart by their subjects (asserted above in both languages).</summary>
    private static IEnumerable<MimeKit.MimeMessage> Kind(IEnumerable<MimeKit.MimeMessage> mails, string kind) => mails.Where(m => kind switch
    {
        "named" => (m.Subject ?? "").EndsWith("named you Digital Partner of Record", StringComparison.Ordinal)
                   || (m.Subject ?? "").EndsWith("lo designó como Digital Partner of Record", StringComparison.Ordinal),
        "changed" => (m.Subject ?? "").EndsWith("changed its Digital Partner of Record", StringComparison.Ordinal)
                     || (m.Subject ?? "").EndsWith("cambió su Digital Partner of Record", StringComparison.Ordinal),
        _ => (m.Subject ?? "").EndsWith("removed you as Digital Partner of Record", StringComparison.Ordinal)
             || (m.Subject ?? "").EndsWith("lo quitó como Digital Partner of Record", StringComparison.Ordinal),
    });

    /// <summary>Sentences of a mail, without its links (the same page in both languages).</summary>
    private static IEnumerable<string> Lines(IEnumerable<MimeKit.MimeMessage> mails) => mails
        .SelectMany(m => (m.TextBody ?? "").ReplaceLineEndings("\n").Split('\n'))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("http", StringComparison.Ordinal));

    /// <summary>Words Spanish never uses, in the text once the names (data, not texts) are taken out.</summary>
    private static List<string> EnglishWords(string text)
    {
        foreach (var name in Names) text = text.Replace(name, " ", StringComparison.Ordinal);
        text = Id().Replace(Link().Replace(text, " "), " ");
        return [.. Word().Matches(text).Select(w => w.Value.ToLowerInvariant()).Where(EnglishOnly.Contains).Distinct()];
    }

    private static readonly string[] Names =
    [
        "Tailspin Advisors", "Socio Andino", "Contoso Ltd", "Ada Admin", "Digital Partner of Record", "Partner of Record", "Partner ID",
        "DporReports", "Office 365", "Microsoft 365", "Enterprise Mobility + Security", "Dynamics 365", "Power BI",
    ];

    private static readonly HashSet<string> EnglishOnly = new(StringComparer.Ordinal)
    {
        "the", "your", "you", "and", "of", "is", "are", "with", "for", "this", "from", "has", "have", "not", "was", "be", "can",
        "will", "when", "which", "who", "what", "yet", "sign", "only", "by", "to", "an", "its", "or", "hello", "named", "removed",
        "replaced", "changed", "seats", "subscription", "usage", "workbooks", "verified", "verifies", "organisation", "on",
    };

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Markup();

    [GeneratedRegex("https?://\\S+")]
    private static partial Regex Link();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Id();

    [GeneratedRegex("\\p{L}+")]
    private static partial Regex Word();
}
