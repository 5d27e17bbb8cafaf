using System.Collections.Concurrent;

namespace DporReports.Sandbox;

/// <summary>Tenants whose Global Administrator granted admin consent to the DporReports app (client credentials need it).</summary>
public sealed class SandboxConsentStore
{
    private readonly ConcurrentDictionary<Guid, bool> _granted = new();

    // The app registration lives in the service tenant, so its service principal exists there from the start.
    internal SandboxConsentStore() => _granted[SandboxDirectory.ServiceTenantId] = true;

    public IReadOnlyCollection<Guid> GrantedTenants => [.. _granted.Keys];

    public bool IsGranted(Guid tenantId) => _granted.ContainsKey(tenantId);

    public void Grant(Guid tenantId) => _granted[tenantId] = true;

    public void Revoke(Guid tenantId) => _granted.TryRemove(tenantId, out _);
}
