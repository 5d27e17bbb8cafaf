namespace DporReports.Core.Identity;

/// <summary>The answer to "may this user change the partner of record of this tenant?", with the reason when not.</summary>
public sealed record AdministratorDecision(bool Allowed, string Reason)
{
    public static readonly AdministratorDecision Yes = new(true, "You are a Global Administrator of this tenant.");
    public static AdministratorDecision No(string reason) => new(false, reason);
}

/// <summary>
/// design.md §2 "Who may assign": only the customer tenant's OWN Global Administrator. A delegated partner technician
/// (DAP/GDAP) or a guest can carry the Global Administrator role id in a token for the customer tenant, so the role
/// alone proves nothing; every condition below closes one of those doors.
/// </summary>
public static class GlobalAdministratorRule
{
    public static AdministratorDecision Evaluate(SignedInUser user, Guid customerTenantId)
    {
        const string WhoCan = "Only a Global Administrator who is a member of this tenant can change its partner of record.";

        if (user.TenantId != customerTenantId)
            return AdministratorDecision.No($"You are signed in to another tenant. {WhoCan}");
        if (!user.DirectoryRoles.Contains(DirectoryRoleIds.GlobalAdministrator))
            return AdministratorDecision.No($"You are not a Global Administrator of this tenant. {WhoCan}");
        return WhyNotOwnMember(user, WhoCan) is { } reason ? AdministratorDecision.No(reason) : AdministratorDecision.Yes;
    }

    /// <summary>
    /// Why a user holding a role in the tenant is not one of its own members (a delegated partner technician, a guest, an
    /// account of another organisation), or null. The role alone proves nothing: these carry role ids too.
    /// </summary>
    public static string? WhyNotOwnMember(SignedInUser user, string whoCan)
    {
        if (user.DirectoryRoles.Contains(DirectoryRoleIds.GdapMarker))
            return $"You are acting through a partner's delegated admin relationship (GDAP). {whoCan}";
        if (user.ObjectId is null)
            return $"Your sign-in has no user object in this tenant (delegated admin). {whoCan}";
        if (user.IsGuest)
            return $"You are a guest in this tenant. {whoCan}";
        if (!string.IsNullOrEmpty(user.IdentityProvider) && !string.Equals(user.IdentityProvider, user.Issuer, StringComparison.Ordinal))
            return $"You signed in with an account of another organisation, as delegated admins and guests do. {whoCan}";
        return null;
    }
}

/// <summary>
/// Who sees the usage of a customer's own tenant (its adoption signals) on the customer's pages: its own members holding
/// a role Microsoft lets read usage reports in the admin center — Global Administrator, Global Reader, Reports Reader.
/// A partner's delegated technician is refused: partners see usage only through their verified windows (design.md §2).
/// </summary>
public static class TenantUsageReaderRule
{
    public const string WhoCan = "Usage is shown to the tenant's own Global Administrators, Global Readers and Reports Readers.";

    private static readonly string[] Roles = [DirectoryRoleIds.GlobalAdministrator, DirectoryRoleIds.GlobalReader, DirectoryRoleIds.ReportsReader];

    public static AdministratorDecision Evaluate(SignedInUser user)
    {
        if (!Roles.Any(user.DirectoryRoles.Contains))
            return AdministratorDecision.No($"You hold none of these roles in this tenant. {WhoCan}");
        return GlobalAdministratorRule.WhyNotOwnMember(user, WhoCan) is { } reason ? AdministratorDecision.No(reason) : new(true, WhoCan);
    }
}
