namespace DporReports.Core.Identity;

/// <summary>Entra ID claim names and well-known ids the product relies on (see docs: token claims reference).</summary>
public static class EntraClaims
{
    public const string TenantId = "tid";
    public const string ObjectId = "oid";
    public const string Issuer = "iss";
    public const string IdentityProvider = "idp";
    public const string AccountType = "acct";
    public const string DirectoryRoles = "wids";
    public const string AppRoles = "roles";
    public const string Scopes = "scp";
    public const string Name = "name";
    public const string PreferredUsername = "preferred_username";

    // Long forms, in case a handler maps inbound claims (ours turn mapping off, but a principal may come from elsewhere).
    public const string TenantIdLong = "http://schemas.microsoft.com/identity/claims/tenantid";
    public const string ObjectIdLong = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public const string ScopesLong = "http://schemas.microsoft.com/identity/claims/scope";
    public const string IdentityProviderLong = "http://schemas.microsoft.com/identity/claims/identityprovider";
}

/// <summary>Directory role template ids (the same in every tenant).</summary>
public static class DirectoryRoleIds
{
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string GlobalReader = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
    public const string ReportsReader = "4a5d8f65-41da-4de4-8968-e035b65339cf";

    // Present in tokens of a partner's GDAP technician acting in a customer tenant (not documented as such by Microsoft).
    public const string GdapMarker = "08372b87-7d02-482a-9e02-fb03ea5fe193";
}

/// <summary>App roles defined on the DporReports app registration (deploy/entra-app-registration.md).</summary>
public static class AppRoleNames
{
    public const string PartnerAdmin = "Partner.Admin";
    public const string PartnerReader = "Partner.Reader";
    public const string Operator = "Operator";
}
