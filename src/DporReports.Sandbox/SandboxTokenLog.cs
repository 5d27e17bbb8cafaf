using System.Collections.Concurrent;

namespace DporReports.Sandbox;

/// <summary>One call to a token endpoint, successful or not.</summary>
/// <param name="Time">When the call arrived.</param>
/// <param name="Tenant">The tenant segment of the path as sent (a GUID, "organizations", "common", ...).</param>
/// <param name="GrantType">The grant_type form field as sent.</param>
/// <param name="ClientId">The authenticating client id, if any was sent.</param>
/// <param name="Persona">The persona the tokens were issued for; null for app-only calls and failures before one was known.</param>
/// <param name="Error">The OAuth error code when the call failed; null on success.</param>
public sealed record SandboxTokenRequest(
    DateTimeOffset Time, string Tenant, string GrantType, string? ClientId, string? Persona, string? Error);

/// <summary>Every token call, so tests can assert which tenant got which grant.</summary>
public sealed class SandboxTokenLog
{
    private readonly ConcurrentQueue<SandboxTokenRequest> _entries = new();

    public IReadOnlyList<SandboxTokenRequest> Entries => _entries.ToArray();

    public void Clear() => _entries.Clear();

    internal void Add(SandboxTokenRequest entry) => _entries.Enqueue(entry);
}
