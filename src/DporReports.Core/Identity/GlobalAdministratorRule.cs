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
        if (user.DirectoryRoles.Contains(DirectoryRoleIds.GdapMarker))
            return AdministratorDecision.No($"You are acting through a partner's delegated admin relationship (GDAP). {WhoCan}");
        if (user.ObjectId is null)
            return AdministratorDecision.No($"Your sign-in has no user object in this tenant (delegated admin). {WhoCan}");
        if (user.IsGuest)
            return AdministratorDecision.No($"You are a guest in this tenant. {WhoCan}");
        if (!string.IsNullOrEmpty(user.IdentityProvider) && !string.Equals(user.IdentityProvider, user.Issuer, StringComparison.Ordinal))
            return AdministratorDecision.No($"You signed in with an account of another organisation, as delegated admins and guests do. {WhoCan}");
        return AdministratorDecision.Yes;
    }
}
