using System.Text.Json;
using DporReports.Core.Identity;
using DporReports.Web.Access;
using DporReports.Web.Customers;

namespace DporReports.UnitTests.Deploy;

/// <summary>
/// deploy/entra-app-manifest.json is what the app registration is created from. If it drifted from the code (a role
/// renamed in AppRoleNames, a callback path moved, wids no longer requested) sign-in would still work and every check
/// would quietly refuse: partners without their role, every Global Administrator without wids, a consent answer Entra
/// will not send back. So the manifest is checked against the names the code relies on.
/// </summary>
public sealed class EntraManifestTests
{
    private const string MicrosoftGraph = "00000003-0000-0000-c000-000000000000";
    private const string ReportsReadAll = "230c1aed-a721-4c5d-9cb4-a90514e508ef";
    private const string OrganizationReadAll = "498476ce-e0fe-48b0-b801-37ba7e2685c6";

    private static readonly JsonElement Manifest = JsonDocument.Parse(DeployFiles.Read("entra-app-manifest.json")).RootElement;

    [Fact]
    public void AppRoles_Values_AreTheRolesTheCodeChecks()
    {
        var roles = Manifest.GetProperty("appRoles").EnumerateArray().ToList();

        Assert.Equal(
            new[] { AppRoleNames.Operator, AppRoleNames.PartnerAdmin, AppRoleNames.PartnerReader },
            roles.Select(r => r.GetProperty("value").GetString()).Order(StringComparer.Ordinal));
        Assert.All(roles, r => Assert.True(r.GetProperty("isEnabled").GetBoolean()));
        Assert.All(roles, r => Assert.Equal(["User"], r.GetProperty("allowedMemberTypes").EnumerateArray().Select(m => m.GetString())));
        Assert.Equal(roles.Count, roles.Select(r => Guid.Parse(r.GetProperty("id").GetString()!)).Distinct().Count());
    }

    [Fact]
    public void ExposedApi_Scope_IsTheOneTheApiPolicyRequires()
    {
        var api = Manifest.GetProperty("api");

        Assert.Equal(2, api.GetProperty("requestedAccessTokenVersion").GetInt32());
        Assert.Contains(api.GetProperty("oauth2PermissionScopes").EnumerateArray(),
            s => s.GetProperty("value").GetString() == new AccessOptions().ApiScope && s.GetProperty("isEnabled").GetBoolean());
    }

    [Fact]
    public void Tokens_CarryWidsAndAcct_TheGlobalAdministratorRuleReads()
    {
        // wids is not an optional claim: groupMembershipClaims DirectoryRole (or All) makes Entra emit it.
        Assert.Equal("DirectoryRole", Manifest.GetProperty("groupMembershipClaims").GetString());
        foreach (var token in new[] { "idToken", "accessToken" })
        {
            Assert.Contains(Manifest.GetProperty("optionalClaims").GetProperty(token).EnumerateArray(),
                c => c.GetProperty("name").GetString() == EntraClaims.AccountType);
        }
    }

    [Fact]
    public void WebRedirects_CoverSignInSignOutAndTheConsentCallback()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeployFiles.RepositoryRoot, "src", "DporReports.Web", "appsettings.json")));
        var azureAd = settings.RootElement.GetProperty("AzureAd");
        var web = Manifest.GetProperty("web");
        var redirects = web.GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()).ToList();

        Assert.Equal("AzureADMultipleOrgs", Manifest.GetProperty("signInAudience").GetString());
        Assert.Contains($"https://<host>{azureAd.GetProperty("CallbackPath").GetString()}", redirects);
        Assert.Contains($"https://<host>{azureAd.GetProperty("SignedOutCallbackPath").GetString()}", redirects);
        Assert.Contains($"https://<host>{ConsentFlow.CallbackPath}", redirects);
        Assert.Equal("https://<host>/signout-oidc", web.GetProperty("logoutUrl").GetString());
    }

    [Fact]
    public void RequiredResourceAccess_IsExactlyTheTwoGraphApplicationPermissions()
    {
        var resource = Assert.Single(Manifest.GetProperty("requiredResourceAccess").EnumerateArray());

        Assert.Equal(MicrosoftGraph, resource.GetProperty("resourceAppId").GetString());
        Assert.Equal(
            new[] { (OrganizationReadAll, "Role"), (ReportsReadAll, "Role") }.Order(),
            resource.GetProperty("resourceAccess").EnumerateArray()
                .Select(a => (a.GetProperty("id").GetString()!, a.GetProperty("type").GetString()!))
                .Order());
    }

    [Fact]
    public void RegistrationGuide_NamesTheManifestsIds()
    {
        var guide = DeployFiles.Read("entra-app-registration.md");
        var ids = Manifest.GetProperty("appRoles").EnumerateArray()
            .Concat(Manifest.GetProperty("api").GetProperty("oauth2PermissionScopes").EnumerateArray())
            .Select(e => e.GetProperty("id").GetString()!);

        Assert.All(ids, id => Assert.Contains(id, guide, StringComparison.Ordinal));
    }
}
