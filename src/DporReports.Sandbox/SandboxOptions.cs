namespace DporReports.Sandbox;

/// <summary>Settings of the local Entra ID stand-in. Bound from the "Sandbox" configuration section.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>"localhost" or a loopback IP address such as "127.0.0.1". Anything else is refused.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>Browser-facing listener (persona picker, admin consent, logout). 0 = dynamic.</summary>
    public int HttpPort { get; set; } = 5100;

    /// <summary>Backchannel listener (discovery, JWKS, token, instance discovery, /_sandbox test API). 0 = dynamic.</summary>
    public int HttpsPort { get; set; } = 5101;

    /// <summary>The DporReports app registration.</summary>
    public string ClientId { get; set; } = "8f2c1d7e-3b4a-4c5d-9e6f-a1b2c3d4e5f6";

    public string ClientSecret { get; set; } = "sandbox-dev-secret";

    /// <summary>
    /// When set, the sandbox writes its (new on every start) TLS certificate here as PEM, public part only, so hosts in
    /// other processes (workers, a second web host) can trust exactly it: they read the same setting.
    /// </summary>
    public string? CertificateFile { get; set; }
}
