using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.IntegrationTests.Infrastructure;

namespace DporReports.IntegrationTests.Partners;

/// <summary>design.md §2 "Partner lookup": the approved partner's name before anything is saved, or a clear reason.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartnerLookupTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Lookup_ApprovedPartnerId_ReturnsItsName()
    {
        var partner = await new Given(_app).ApprovedPartnerAsync("Adatum Lookup Consulting", mpnIds: 2);
        using var customer = await _app.ApiClientAsync("contoso-admin");

        var found = await customer.GetFromJsonAsync<JsonElement>($"/api/partners/lookup?partnerId={partner.MpnIds[1]}");

        Assert.Equal("Adatum Lookup Consulting", found.GetProperty("displayName").GetString());
        Assert.Equal(partner.MpnIds[1], found.GetProperty("partnerId").GetString());
    }

    [Fact]
    public async Task Lookup_IdWithSurroundingSpaces_IsTrimmedAndFound()
    {
        var partner = await new Given(_app).ApprovedPartnerAsync("Spaced Partner");
        using var customer = await _app.ApiClientAsync("fabrikam-reader");

        using var response = await customer.GetAsync($"/api/partners/lookup?partnerId=%20{partner.MpnIds[0]}%20");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("12ab567")]
    [InlineData("12")]
    [InlineData("")]
    [InlineData("1234567890123456")]
    public async Task Lookup_MalformedId_Returns400SayingWhatAPartnerIdIs(string id)
    {
        using var customer = await _app.ApiClientAsync("contoso-admin");

        using var response = await customer.GetAsync($"/api/partners/lookup?partnerId={Uri.EscapeDataString(id)}");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("malformed_partner_id", problem.GetProperty("code").GetString());
        Assert.Contains("digits", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("account executive", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_UnknownId_Returns404SayingWhereToGetTheId()
    {
        using var customer = await _app.ApiClientAsync("contoso-admin");

        using var response = await customer.GetAsync($"/api/partners/lookup?partnerId={Given.NewMpnId()}");

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("unknown_partner_id", problem.GetProperty("code").GetString());
        Assert.Contains("ask the partner or your Microsoft account executive", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_PendingPartner_Returns404NotApprovedWithoutItsName()
    {
        var pending = await new Given(_app).RegisteredPartnerAsync("Pending Secret Name");
        using var customer = await _app.ApiClientAsync("contoso-admin");

        using var response = await customer.GetAsync($"/api/partners/lookup?partnerId={pending.MpnIds[0]}");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("partner_not_approved", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Pending Secret Name", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_SuspendedPartner_IsNotApprovedAnyMore()
    {
        var partner = await new Given(_app).ApprovedPartnerAsync("Suspended Partner");
        using var op = await _app.ApiClientAsync("operator");
        (await op.PostAsJsonAsync($"/api/ops/partners/{partner.Id}/suspend", new { reason = "Contract ended" })).EnsureSuccessStatusCode();
        using var customer = await _app.ApiClientAsync("contoso-admin");

        using var response = await customer.GetAsync($"/api/partners/lookup?partnerId={partner.MpnIds[0]}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("partner_not_approved", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_Operator_IsNotACustomer_Returns403()
    {
        using var op = await _app.ApiClientAsync("operator");

        using var response = await op.GetAsync("/api/partners/lookup?partnerId=1234567");

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("not a customer tenant", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The attack: enumerating the Partner ID directory (which IDs exist, which organisations are pending) by trying
    /// numbers in a loop. Lookups are limited per signed-in user; another user keeps their own allowance.
    /// </summary>
    [Fact]
    public async Task Lookup_ManyRequestsFromOneUser_AreRateLimitedPerUser()
    {
        using var limited = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["PartnerLookups:PerUserPerMinute"] = "3" });
        using var customer = await limited.ApiClientAsync("northwind-admin");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/api/partners/lookup?partnerId={Given.NewMpnId()}")).StatusCode);

        using var fourth = await customer.GetAsync($"/api/partners/lookup?partnerId={Given.NewMpnId()}");

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.NotNull(fourth.Headers.RetryAfter);
        Assert.Contains("rate_limited", await fourth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var colleague = await limited.ApiClientAsync("northwind-user");
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/api/partners/lookup?partnerId={Given.NewMpnId()}")).StatusCode);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }
}
