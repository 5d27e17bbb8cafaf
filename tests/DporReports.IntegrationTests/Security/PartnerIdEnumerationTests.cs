using System.Net;
using System.Net.Http.Json;
using DporReports.IntegrationTests.Assignments;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;

namespace DporReports.IntegrationTests.Security;

/// <summary>
/// The attack: enumerating the Partner ID directory — which IDs exist, which organisations are pending — by trying numbers.
/// The lookup API was limited, but four other answers told the same unthrottled: naming a partner of record (unknown 400,
/// not approved 400, known 409 on a suspended subscription), the bulk assignment (the partner's name), and registration
/// (which ID is taken); and the limit was per user, so sixty users of one tenant had sixty budgets. Every one of these
/// answers is now paid from one budget, per user and per tenant, and each door is throttled the same way.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartnerIdEnumerationTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private const int PerUser = 3;
    private const int PerTenant = 5;
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;

    private readonly DporWebFactory _app = new(sandbox, new Dictionary<string, string?>
    {
        ["DemoData:Enabled"] = "true",
        ["PartnerLookups:PerUserPerMinute"] = PerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PartnerLookups:PerTenantPerMinute"] = "1000",
    });

    private Guid _subscription;

    public async Task InitializeAsync()
    {
        await _app.ConnectedTenantAsync();
        using var admin = await _app.ApiClientAsync("contoso-admin");
        _subscription = (await admin.ActiveSubscriptionIdsAsync())[0];
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string> Doors => ["lookup", "assign", "bulk-assign", "registration"];

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task Door_BeyondTheUsersBudget_IsThrottledLikeTheLookup(string door)
    {
        using var user = await FreshUserAsync(door == "registration" ? "Partner.Admin" : null);
        var probe = Probe(door, user);
        if (door == "registration") await RegisterAsync(user); // pays one: its own first ID

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < PerUser + 1; i++) answers.Add(await probe());

        var paid = door == "registration" ? PerUser - 1 : PerUser;
        Assert.All(answers.Take(paid), status => Assert.NotEqual(HttpStatusCode.TooManyRequests, status));
        Assert.All(answers.Skip(paid), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
    }

    [Fact]
    public async Task CheckIdOnThePage_BeyondTheUsersBudget_IsThrottledLikeTheLookup()
    {
        using var browser = await _app.SignInAsync("contoso-admin");
        for (var i = 0; i < PerUser; i++)
            Assert.DoesNotContain("looked up many Partner IDs", await CheckAsync(browser, Given.NewMpnId()), StringComparison.Ordinal);

        Assert.Contains("looked up many Partner IDs", await CheckAsync(browser, DemoData.AdatumMpnId), StringComparison.Ordinal);
    }

    /// <summary>Many users of one tenant share the tenant's budget: a new account does not bring a new allowance.</summary>
    [Fact]
    public async Task Lookup_ManyUsersOfOneTenant_ShareTheTenantsBudget()
    {
        using var limited = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["PartnerLookups:PerUserPerMinute"] = "100",
            ["PartnerLookups:PerTenantPerMinute"] = PerTenant.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var given = new Given(limited);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PerTenant + 2; i++)
        {
            using var user = await UserOfAsync(limited, Contoso, roles: null);
            using var response = await user.GetAsync($"/api/partners/lookup?partnerId={Given.NewMpnId()}");
            statuses.Add(response.StatusCode);
        }
        using var otherTenant = (await given.NewTenantUserAsync(null)).Client;

        Assert.All(statuses.Take(PerTenant), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.All(statuses.Skip(PerTenant), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.NotFound, (await otherTenant.GetAsync($"/api/partners/lookup?partnerId={Given.NewMpnId()}")).StatusCode);
    }

    /// <summary>
    /// A subscription that cannot be assigned answers the same for any Partner ID — unknown, pending or approved — and
    /// costs nothing: the lookup runs only for a request that could really assign.
    /// </summary>
    [Fact]
    public async Task Assign_SuspendedSubscription_AnswersTheSameForEveryPartnerId()
    {
        var pending = await new Given(_app).RegisteredPartnerAsync("Pending Partner");
        await sandbox.SetSubscriptionStatusAsync(Contoso, _subscription, "Suspended");
        await _app.SyncInventoryAsync(Contoso);
        using var admin = await FreshUserAsync(null);

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var id in new[] { "9999999", pending.MpnIds[0], DemoData.AdatumMpnId, "9999998", "9999997" })
        {
            using var response = await admin.AssignAsync(_subscription, id);
            answers.Add((response.StatusCode, await response.CodeAsync()));
        }

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Conflict, "subscription_not_active"), a));
    }

    /// <summary>
    /// The attack: squatting. Anyone may claim unclaimed Partner IDs; an operator rejecting the claim used to leave the IDs
    /// held, so the real owner still got "taken". A rejected claim releases its IDs (its history keeps them).
    /// </summary>
    [Fact]
    public async Task Register_IdsOfARejectedSquatter_AreFreeForTheirOwner()
    {
        var given = new Given(_app);
        var squatter = await given.RegisteredPartnerAsync("Squatter Ltd");
        var (owner, _) = await given.NewTenantUserAsync("Partner.Admin", "Real Owner Admin");
        var body = new { displayName = "Real Owner", notificationEmail = "dpor@owner.example", partnerIds = squatter.MpnIds };
        using var taken = await owner.PostAsJsonAsync("/api/partner/registration", body);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        using var op = await _app.ApiClientAsync("operator");
        (await op.PostAsJsonAsync($"/api/ops/partners/{squatter.Id}/reject", new { reason = "Not the owner of this Partner ID" })).EnsureSuccessStatusCode();

        using var registered = await owner.PostAsJsonAsync("/api/partner/registration", body);

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var history = await squatter.Admin.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/partner/registration/history");
        Assert.Contains(history!, e => e.GetProperty("kind").GetString() == "Rejected"
            && e.GetProperty("before").GetProperty("mpnIds").EnumerateArray().Any(id => id.GetString() == squatter.MpnIds[0]));
        owner.Dispose();
    }

    /// <summary>One probe through a door: a fresh unknown ID (or, for registration, one held by another organisation).</summary>
    private Func<Task<HttpStatusCode>> Probe(string door, HttpClient user) => door switch
    {
        "lookup" => async () => (await user.GetAsync($"/api/partners/lookup?partnerId={Given.NewMpnId()}")).StatusCode,
        "assign" => async () => (await user.AssignAsync(_subscription, Given.NewMpnId())).StatusCode,
        "bulk-assign" => async () =>
            (await user.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = Given.NewMpnId() })).StatusCode,
        _ => async () =>
        {
            var own = (await user.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/partner/registration")).GetProperty("partnerIds")[0].GetString();
            var taken = (await new Given(_app).RegisteredPartnerAsync("Holder")).MpnIds[0];
            return (await user.PutAsJsonAsync("/api/partner/registration",
                new { displayName = "Prober", notificationEmail = "dpor@prober.example", partnerIds = new[] { own, taken } })).StatusCode;
        },
    };

    private static async Task RegisterAsync(HttpClient user) =>
        (await user.PostAsJsonAsync("/api/partner/registration",
            new { displayName = "Prober", notificationEmail = "dpor@prober.example", partnerIds = new[] { Given.NewMpnId() } })).EnsureSuccessStatusCode();

    /// <summary>A new user: a Global Administrator of Contoso, or (with a role) a partner admin of a new tenant.</summary>
    private async Task<HttpClient> FreshUserAsync(string? role) =>
        role is null ? await UserOfAsync(_app, Contoso, roles: null) : (await new Given(_app).NewTenantUserAsync(role)).Client;

    private async Task<HttpClient> UserOfAsync(DporWebFactory app, Guid tenant, string[]? roles)
    {
        var token = await sandbox.TokenWithClaimsAsync(new Dictionary<string, object?>
        {
            ["tid"] = tenant.ToString(), ["oid"] = Guid.NewGuid().ToString(), ["name"] = "Another Admin", ["acct"] = 0,
            ["wids"] = new[] { Core.Identity.DirectoryRoleIds.GlobalAdministrator }, ["roles"] = roles,
        });
        var client = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = SandboxFixture.Bearer(token);
        return client;
    }

    private async Task<string> CheckAsync(HttpClient browser, string partnerId)
    {
        var token = await browser.AntiforgeryTokenAsync("/customer");
        using var response = await browser.PostAsync("/customer?handler=Check", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["subscriptionId"] = _subscription.ToString(), ["PartnerId"] = partnerId,
        }));
        return await response.Content.ReadAsStringAsync();
    }
}
