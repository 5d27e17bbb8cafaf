namespace DporReports.Sandbox.Hosting;

/// <summary>
/// The public base URLs (trailing slash) that answers are built from. Known before start for fixed ports and
/// corrected once Kestrel reports the ports it actually bound.
/// </summary>
internal sealed class SandboxUrls
{
    public Uri Https { get; set; } = new("https://localhost/");

    public Uri Http { get; set; } = new("http://localhost/");

    public string HttpsHost => Https.Host;

    /// <summary><c>{https}{tenant}/v2.0</c>: the issuer of every token for that tenant.</summary>
    public string Issuer(string tenant) => $"{Https}{tenant}/v2.0";
}
