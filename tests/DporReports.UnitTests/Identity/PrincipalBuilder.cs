using System.Security.Claims;
using DporReports.Core.Identity;

namespace DporReports.UnitTests.Identity;

/// <summary>Builds a validated-looking principal with Entra ID's short claim names, as our handlers leave them.</summary>
public sealed class PrincipalBuilder
{
    public static readonly Guid Customer = Guid.Parse("c1000000-0000-4000-8000-0000000000c1");
    public static readonly Guid PartnerTenant = Guid.Parse("a1000000-0000-4000-8000-0000000000a1");

    private Guid _tenant = Customer;
    private Guid? _objectId = Guid.Parse("0b000000-0000-4000-8000-000000000001");
    private readonly List<string> _wids = [];
    private readonly List<string> _roles = [];
    private string? _idp;
    private string? _acct = "0";
    private string? _issuer;

    public PrincipalBuilder InTenant(Guid tenant) { _tenant = tenant; return this; }
    public PrincipalBuilder WithRole(string widOrTemplateId) { _wids.Add(widOrTemplateId); return this; }
    public PrincipalBuilder GlobalAdministrator() => WithRole(DirectoryRoleIds.GlobalAdministrator);
    public PrincipalBuilder GlobalReader() => WithRole(DirectoryRoleIds.GlobalReader);
    public PrincipalBuilder WithAppRole(string role) { _roles.Add(role); return this; }
    public PrincipalBuilder Guest() { _acct = "1"; return this; }
    public PrincipalBuilder WithoutObjectId() { _objectId = null; return this; }
    public PrincipalBuilder AuthenticatedBy(string idp) { _idp = idp; return this; }
    public PrincipalBuilder IssuedBy(string issuer) { _issuer = issuer; return this; }
    public PrincipalBuilder WithoutAcct() { _acct = null; return this; }

    public ClaimsPrincipal BuildPrincipal()
    {
        var issuer = _issuer ?? $"https://login.microsoftonline.com/{_tenant}/v2.0";
        var claims = new List<Claim>
        {
            new("tid", _tenant.ToString()),
            new("iss", issuer),
            new("name", "Test User"),
            new("preferred_username", "test@contoso.example"),
        };
        if (_objectId is { } oid) claims.Add(new Claim("oid", oid.ToString()));
        if (_idp is not null) claims.Add(new Claim("idp", _idp));
        if (_acct is not null) claims.Add(new Claim("acct", _acct));
        claims.AddRange(_wids.Select(w => new Claim("wids", w)));
        claims.AddRange(_roles.Select(r => new Claim("roles", r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType: "test", nameType: "name", roleType: "roles"));
    }

    public SignedInUser Build() => SignedInUser.From(BuildPrincipal()) ?? throw new InvalidOperationException("Principal without a tenant.");
}
