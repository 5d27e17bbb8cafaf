using DporReports.Sandbox.Tokens;

namespace DporReports.Sandbox.Hosting;

/// <summary>Everything the endpoints share, registered as one singleton.</summary>
internal sealed class SandboxState(
    SandboxOptions options,
    SandboxUrls urls,
    TimeProvider time,
    TokenIssuer issuer,
    SandboxTokenLog tokenLog,
    SandboxConsentStore consents)
{
    public SandboxOptions Options { get; } = options;

    public SandboxUrls Urls { get; } = urls;

    public TimeProvider Time { get; } = time;

    public TokenIssuer Issuer { get; } = issuer;

    public SandboxTokenLog TokenLog { get; } = tokenLog;

    public SandboxConsentStore Consents { get; } = consents;

    public GrantStore Grants { get; } = new();

    public SandboxGraph Graph { get; } = new(time, consents);
}
