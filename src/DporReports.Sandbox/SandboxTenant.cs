namespace DporReports.Sandbox;

/// <summary>A tenant of the sandbox directory.</summary>
/// <param name="Id">The tenant id (<c>tid</c>).</param>
/// <param name="DisplayName">The organisation's name.</param>
/// <param name="Kind">"customer", "partner" or "service".</param>
/// <param name="Domain">Its verified domain (also accepted as the tenant path segment).</param>
public sealed record SandboxTenant(Guid Id, string DisplayName, string Kind, string Domain);
