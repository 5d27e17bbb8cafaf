using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using DporReports.Sandbox.Hosting;

namespace DporReports.Sandbox.Tokens;

/// <summary>An authorize request waiting for the user to pick a persona.</summary>
internal sealed record PendingAuthorization(
    TenantSegment Tenant,
    string ClientId,
    string RedirectUri,
    string ResponseType,
    string ResponseMode,
    string? State,
    string? Nonce,
    string? Scope,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    DateTimeOffset ExpiresAt);

/// <summary>An admin consent request waiting for a Global Administrator (or a cancel).</summary>
internal sealed record PendingConsent(TenantSegment Tenant, string RedirectUri, string? State, string? Scope, DateTimeOffset ExpiresAt);

/// <summary>What a one-time authorization code is bound to.</summary>
internal sealed record AuthorizationCode(
    string PersonaKey,
    string ClientId,
    string RedirectUri,
    string? Nonce,
    string? Scope,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    DateTimeOffset ExpiresAt);

internal sealed record RefreshGrant(string PersonaKey, string ClientId, string? Scope);

/// <summary>In-memory, thread-safe store of pending requests, codes and refresh tokens.</summary>
internal sealed class GrantStore
{
    private readonly ConcurrentDictionary<string, PendingAuthorization> _authorizations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingConsent> _consents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);

    public static string NewHandle(int bytes = 32) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    public string AddAuthorization(PendingAuthorization pending) => Add(_authorizations, pending);

    public PendingAuthorization? TakeAuthorization(string requestId) => Take(_authorizations, requestId);

    public string AddConsent(PendingConsent pending) => Add(_consents, pending);

    public PendingConsent? TakeConsent(string requestId) => Take(_consents, requestId);

    public string AddCode(AuthorizationCode code) => Add(_codes, code);

    /// <summary>Removes the code as it is read, so a code works once whatever the outcome (as in Entra).</summary>
    public AuthorizationCode? RedeemCode(string code) => Take(_codes, code);

    public string AddRefreshToken(RefreshGrant grant) => Add(_refreshTokens, grant);

    public RefreshGrant? FindRefreshToken(string token) => _refreshTokens.GetValueOrDefault(token);

    private static string Add<T>(ConcurrentDictionary<string, T> map, T value)
    {
        var handle = NewHandle();
        map[handle] = value;
        return handle;
    }

    private static T? Take<T>(ConcurrentDictionary<string, T> map, string handle) where T : class =>
        map.TryRemove(handle, out var value) ? value : null;
}
