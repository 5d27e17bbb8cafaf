namespace DporReports.Sandbox;

/// <summary>A user the persona picker can sign in as. The fields map one to one onto Entra ID token claims.</summary>
/// <param name="Key">Stable key used by the picker, the test API and <see cref="SandboxDirectory.Persona"/>.</param>
/// <param name="DisplayName">The <c>name</c> claim.</param>
/// <param name="UserPrincipalName">The <c>preferred_username</c> claim (a guest's or technician's home sign-in name).</param>
/// <param name="TenantId">The <c>tid</c> of the tokens (the resource tenant for guests and partner technicians).</param>
/// <param name="ObjectId">The <c>oid</c>; null for GDAP technicians, whose tokens carry no <c>oid</c> claim.</param>
/// <param name="Wids">Directory role template ids (<c>wids</c>).</param>
/// <param name="AppRoles">App roles of the DporReports app registration (<c>roles</c>).</param>
/// <param name="Idp">Issuer of the user's home tenant (<c>idp</c>); null for the tenant's own members.</param>
/// <param name="Acct">0 member, 1 guest (<c>acct</c>).</param>
/// <param name="Description">What the persona stands for, shown in the picker.</param>
public sealed record SandboxPersona(
    string Key,
    string DisplayName,
    string UserPrincipalName,
    Guid TenantId,
    Guid? ObjectId,
    IReadOnlyList<string> Wids,
    IReadOnlyList<string> AppRoles,
    string? Idp,
    int Acct,
    string Description);
