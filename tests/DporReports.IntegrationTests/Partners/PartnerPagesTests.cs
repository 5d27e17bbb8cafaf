using System.Net;
using DporReports.IntegrationTests.Infrastructure;

namespace DporReports.IntegrationTests.Partners;

/// <summary>The server-rendered flow: a partner admin registers on the page, an operator approves in the queue.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartnerPagesTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RegisterThenApprove_ThroughThePages_PartnerHomeShowsApproved()
    {
        var mpnId = Given.NewMpnId();
        using var partner = await _app.SignInAsync("proseware-admin");
        var form = await partner.GetStringAsync("/partner/registration");
        var fields = BrowserSignIn.HiddenFields(form);
        fields["DisplayName"] = "Proseware Cloud Services";
        fields["PartnerIds"] = $"{mpnId}";
        fields["NotificationEmail"] = "dpor@proseware.example";

        using var registered = await partner.PostAsync("/partner/registration", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var page = await registered.Content.ReadAsStringAsync();
        Assert.Contains("data-status=\"Pending\"", page, StringComparison.Ordinal);

        using var op = await _app.SignInAsync("operator");
        var queue = await op.GetStringAsync("/ops/partners?status=Pending");
        Assert.Contains("Proseware Cloud Services", queue, StringComparison.Ordinal);
        var approveForm = BrowserSignIn.HiddenFields(Section(queue, "Proseware Cloud Services"));
        approveForm["decision"] = "approve";
        using var approved = await op.PostAsync("/ops/partners", new FormUrlEncodedContent(approveForm));
        // Post/redirect/get back to the pending list the operator was looking at: a reload shows, never repeats.
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("/ops/partners?status=Pending", approved.Headers.Location?.OriginalString);
        var after = await op.GetStringAsync(approved.Headers.Location);
        Assert.Contains("Proseware Cloud Services is now Approved.", after, StringComparison.Ordinal);
        Assert.DoesNotContain("is now Approved.", await op.GetStringAsync(approved.Headers.Location), StringComparison.Ordinal);

        var home = await partner.GetStringAsync("/");
        Assert.Contains("Approved", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistrationForm_WithoutAntiforgeryToken_IsRefused()
    {
        using var partner = await _app.SignInAsync("litware-admin");

        using var response = await partner.PostAsync("/partner/registration", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["DisplayName"] = "Forged Post", ["PartnerIds"] = Given.NewMpnId(), ["NotificationEmail"] = "f@forged.example",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RegistrationForm_InvalidInput_ShowsTheErrorAndKeepsTheInput()
    {
        using var partner = await _app.SignInAsync("adatum-reader");
        using var admin = await _app.SignInAsync("adatum-admin");
        var fields = BrowserSignIn.HiddenFields(await admin.GetStringAsync("/partner/registration"));
        fields["DisplayName"] = "Adatum Consulting";
        fields["PartnerIds"] = "12ab";
        fields["NotificationEmail"] = "dpor@adatum.example";

        using var response = await admin.PostAsync("/partner/registration", new FormUrlEncodedContent(fields));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("is not a Partner ID", html, StringComparison.Ordinal);
        Assert.Contains("value=\"12ab\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await partner.GetAsync("/partner/registration")).StatusCode); // readers cannot open it
    }

    /// <summary>The part of the operator page for one organisation (its card), where its forms are.</summary>
    private static string Section(string html, string name)
    {
        var start = html.IndexOf($"aria-label=\"{name}\"", StringComparison.Ordinal);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        // Only the first form of the card: approve.
        var card = html[start..end];
        return card[..(card.IndexOf("</form>", StringComparison.Ordinal) + 7)];
    }
}
