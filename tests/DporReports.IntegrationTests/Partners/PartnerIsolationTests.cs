using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DporReports.Core.Partners;
using DporReports.Core.Tenancy;
using DporReports.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.IntegrationTests.Partners;

/// <summary>
/// Partner isolation. The attack (cf. bitwarden VULN-565, eShop#996): partner A reads or changes partner B's rows by
/// passing B's ids. The partner comes from A's token only, partner-owned tables are filtered by that scope, and B's
/// ids answer 404 exactly like ids that do not exist.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartnerIsolationTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RemovePartnerId_OfAnotherOrganisation_Returns404AndTheVictimKeepsIt()
    {
        var victim = await new Given(_app).ApprovedPartnerAsync("Victim", mpnIds: 2);
        var attacker = await new Given(_app).ApprovedPartnerAsync("Attacker", mpnIds: 2);

        using var response = await attacker.Admin.DeleteAsync($"/api/partner/registration/partner-ids/{victim.MpnIds[0]}");
        using var missing = await attacker.Admin.DeleteAsync($"/api/partner/registration/partner-ids/{Given.NewMpnId()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(missing.StatusCode, response.StatusCode);
        Assert.Equal(
            JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString(),
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        var victimView = await victim.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");
        Assert.Equal(2, victimView.GetProperty("partnerIds").GetArrayLength());
    }

    [Fact]
    public async Task History_ShowsOnlyTheSignedInPartnersOwnEvents()
    {
        var mine = await new Given(_app).ApprovedPartnerAsync("Mine");
        var theirs = await new Given(_app).ApprovedPartnerAsync("Theirs");

        var history = await mine.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration/history");

        var names = history.EnumerateArray().Select(e => e.GetProperty("after").GetProperty("displayName").GetString()).Distinct().ToList();
        Assert.Equal(["Mine"], names);
        Assert.Equal(2, history.GetArrayLength()); // Registered, Approved
        Assert.NotEqual(theirs.Id, mine.Id);
    }

    [Fact]
    public async Task Registration_ReadsTheTokensOwnOrganisationOnly()
    {
        var mine = await new Given(_app).RegisteredPartnerAsync("Token Tenant Org");
        await new Given(_app).RegisteredPartnerAsync("Other Org");

        var view = await mine.Admin.GetFromJsonAsync<JsonElement>("/api/partner/registration");

        Assert.Equal(mine.Id, view.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task PartnerOwnedQuery_WithoutScope_Throws()
    {
        await new Given(_app).RegisteredPartnerAsync("Scoped Rows");
        await using var scope = _app.Scope();
        var db = DporWebFactory.Db(scope);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.PartnerEvents.ToListAsync());
        Assert.Contains("No partner scope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerOwnedQuery_WithScope_SeesOnlyThatPartnersRows()
    {
        var a = await new Given(_app).RegisteredPartnerAsync("Scope A");
        var b = await new Given(_app).RegisteredPartnerAsync("Scope B");
        await using var scope = _app.Scope();
        scope.ServiceProvider.GetRequiredService<PartnerScope>().Set(a.Id);

        var events = await DporWebFactory.Db(scope).PartnerEvents.ToListAsync();

        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(a.Id, e.PartnerId));
        Assert.DoesNotContain(events, e => e.PartnerId == b.Id);
    }

    /// <summary>
    /// A convention, so that a new partner-owned table cannot be added without the filter: every entity that refers to
    /// a partner organisation is IPartnerOwned and filtered, unless listed here with the reason it is shared.
    /// </summary>
    [Fact]
    public async Task Model_EveryEntityReferringToAPartner_IsPartnerOwnedAndFiltered()
    {
        var shared = new Dictionary<Type, string>
        {
            [typeof(PartnerMpnId)] = "the public Partner ID directory customers look partners up in",
            [typeof(Core.Assignments.AssignmentEvent)] = "the customer tenant's ledger; partners reach its rows only through their own, "
                + "partner-filtered assignments (PartnerOfRecordQueries.LedgerOfPartnerAsync)",
        };
        await using var scope = _app.Scope();
        var model = DporWebFactory.Db(scope).Model;

        var referring = model.GetEntityTypes()
            .Where(e => e.GetForeignKeys().Any(fk => fk.PrincipalEntityType.ClrType == typeof(Partner)))
            .Select(e => e.ClrType)
            .ToList();

        Assert.NotEmpty(referring);
        foreach (var type in referring.Where(t => !shared.ContainsKey(t)))
        {
            Assert.True(typeof(IPartnerOwned).IsAssignableFrom(type), $"{type.Name} refers to a partner but is not IPartnerOwned");
            Assert.NotEmpty(model.FindEntityType(type)!.GetDeclaredQueryFilters());
        }
        Assert.All(model.GetEntityTypes().Where(e => typeof(IPartnerOwned).IsAssignableFrom(e.ClrType)),
            e => Assert.NotEmpty(e.GetDeclaredQueryFilters()));
    }
}
