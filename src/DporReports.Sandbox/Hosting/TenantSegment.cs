namespace DporReports.Sandbox.Hosting;

/// <summary>The <c>{tenant}</c> path segment: a tenant id, a verified domain, or "organizations"/"common".</summary>
internal readonly record struct TenantSegment(string Raw, Guid? TenantId)
{
    public bool IsMultiTenant => TenantId is null;

    public static bool TryParse(string raw, out TenantSegment segment)
    {
        if (raw is "organizations" or "common")
        {
            segment = new TenantSegment(raw, null);
            return true;
        }
        // Any GUID is accepted here so metadata and keys work for tenants the directory does not list.
        var id = Guid.TryParse(raw, out var guid) ? guid : SandboxDirectory.FindTenantByDomain(raw)?.Id;
        segment = new TenantSegment(raw, id);
        return id is not null;
    }

    /// <summary>Personas a sign-in on this segment may pick: the tenant's own, or everyone on a multi-tenant endpoint.</summary>
    public bool Allows(SandboxPersona persona) => TenantId is null || TenantId == persona.TenantId;
}
