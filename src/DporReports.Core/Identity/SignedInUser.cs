using System.Security.Claims;
using DporReports.Core.Shared;

namespace DporReports.Core.Identity;

/// <summary>
/// The claims of a validated Entra ID token that the product decides on, read once from the principal.
/// Built only from a principal that the authentication handlers have already validated.
/// </summary>
public sealed record SignedInUser(
    Guid TenantId,
    Guid? ObjectId,
    string DisplayName,
    string? UserPrincipalName,
    string? Issuer,
    string? IdentityProvider,
    bool IsGuest,
    IReadOnlySet<string> DirectoryRoles,
    IReadOnlySet<string> AppRoles,
    IReadOnlySet<string> Scopes)
{
    /// <summary>Null when the principal is not authenticated or carries no usable tenant id.</summary>
    public static SignedInUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        if (!Guid.TryParse(First(principal, EntraClaims.TenantId, EntraClaims.TenantIdLong), out var tenantId)) return null;

        Guid? objectId = Guid.TryParse(First(principal, EntraClaims.ObjectId, EntraClaims.ObjectIdLong), out var oid) ? oid : null;
        var upn = First(principal, EntraClaims.PreferredUsername, ClaimTypes.Upn) is { } signInName ? TextLimits.Cut(signInName) : null;
        // Names label audit records (256 characters, as Entra's display names): a longer claim is cut, never stored whole.
        var name = TextLimits.Cut(First(principal, EntraClaims.Name, ClaimTypes.Name) ?? upn ?? "(no name)");
        return new SignedInUser(
            tenantId,
            objectId,
            name,
            upn,
            First(principal, EntraClaims.Issuer) ?? principal.Claims.FirstOrDefault()?.Issuer,
            First(principal, EntraClaims.IdentityProvider, EntraClaims.IdentityProviderLong),
            First(principal, EntraClaims.AccountType) == "1",
            All(principal, EntraClaims.DirectoryRoles),
            All(principal, EntraClaims.AppRoles, ClaimTypes.Role),
            All(principal, EntraClaims.Scopes, EntraClaims.ScopesLong));
    }

    /// <summary>For code behind an authorization policy: the user is there, or the pipeline is misconfigured.</summary>
    public static SignedInUser Require(ClaimsPrincipal principal) =>
        From(principal) ?? throw new InvalidOperationException("An authorized request has a signed-in user with a tenant.");

    public bool HasAppRole(string role) => AppRoles.Contains(role);

    /// <summary>Who did it, for audit records.</summary>
    public Actor ToActor() => new(TenantId, ObjectId, DisplayName);

    private static string? First(ClaimsPrincipal principal, params string[] types) =>
        types.Select(t => principal.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static HashSet<string> All(ClaimsPrincipal principal, params string[] types) =>
        principal.Claims
            .Where(c => types.Contains(c.Type))
            // A JSON array claim arrives as one claim per element; a space-separated scp arrives as one claim.
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            // Ordinal: Entra issues role, scope and role-template values exactly as the app registration and the directory
            // define them, so "operator" is not "Operator" — a token with the wrong case was not issued for that role.
            .ToHashSet(StringComparer.Ordinal);
}

/// <summary>Who performed a recorded change: tenant, object id (absent for delegated technicians), display name.</summary>
public sealed record Actor(Guid TenantId, Guid? ObjectId, string DisplayName)
{
    public static readonly Actor System = new(Guid.Empty, null, "DporReports (system)");
}
