using System.Net;
using System.Security.Cryptography.X509Certificates;
using DporReports.Sandbox.Endpoints;
using DporReports.Sandbox.Hosting;
using DporReports.Sandbox.Tokens;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Json;

namespace DporReports.Sandbox;

/// <summary>
/// A local stand-in for Microsoft Entra ID (v2 endpoints) for Development and tests. It speaks the real OpenID
/// Connect / OAuth 2.0 wire formats so Microsoft.Identity.Web and MSAL sign in and acquire tokens against it offline.
/// It also stands in for Microsoft Graph's subscription inventory (<see cref="Graph"/>, under <c>/graph/v1.0/</c>).
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxState _state;

    private SandboxServer(WebApplication app, SandboxState state, X509Certificate2 certificate)
    {
        _app = app;
        _state = state;
        Certificate = certificate;
    }

    /// <summary>Backchannel base URL (discovery, keys, token, test API), with a trailing slash and the bound port.</summary>
    public Uri HttpsBaseUrl => _state.Urls.Https;

    /// <summary>Browser-facing base URL (sign-in, admin consent, logout), with a trailing slash and the bound port.</summary>
    public Uri HttpBaseUrl => _state.Urls.Http;

    /// <summary>The self-signed loopback certificate served on HTTPS. Clients trust it by thumbprint.</summary>
    public X509Certificate2 Certificate { get; }

    public SandboxOptions Options => _state.Options;

    public SandboxTokenLog TokenLog => _state.TokenLog;

    public SandboxConsentStore Consents => _state.Consents;

    /// <summary>The Microsoft Graph stand-in (subscription inventory, faults, request log) served under <c>/graph/v1.0/</c>.</summary>
    public SandboxGraph Graph => _state.Graph;

    public static Task<SandboxServer> StartAsync(SandboxOptions options, string environmentName, CancellationToken ct = default) =>
        StartAsync(options, environmentName, TimeProvider.System, ct);

    /// <summary>Starts both listeners and returns once they accept connections.</summary>
    /// <exception cref="InvalidOperationException">In the Production environment.</exception>
    public static async Task<SandboxServer> StartAsync(
        SandboxOptions options, string environmentName, TimeProvider timeProvider, CancellationToken ct = default)
    {
        if (string.Equals(environmentName, Environments.Production, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                "The Entra ID sandbox is a development stand-in and refuses to start in Production (it signs anyone in without a password). "
                + "Run it with ASPNETCORE_ENVIRONMENT=Development.");
        }
        var address = LoopbackAddress(options.Host);

        var certificate = LoopbackCertificate.Create(timeProvider);
        var urls = new SandboxUrls();
        SetUrls(urls, options.Host, options.HttpsPort, options.HttpPort);
        var issuer = new TokenIssuer(options, urls, timeProvider);
        var state = new SandboxState(options, urls, timeProvider, issuer, new SandboxTokenLog(), new SandboxConsentStore());
        WebApplication? app = null;
        try
        {
            app = Build(options, environmentName, address, certificate, state);
            await app.StartAsync(ct);
            var bound = app.Urls.Select(u => new Uri(u)).ToArray();
            SetUrls(urls, options.Host,
                bound.First(u => u.Scheme == Uri.UriSchemeHttps).Port,
                bound.First(u => u.Scheme == Uri.UriSchemeHttp).Port);
            if (!string.IsNullOrWhiteSpace(options.CertificateFile)) ExportCertificate(certificate, options.CertificateFile);
            return new SandboxServer(app, state, certificate);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            issuer.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    // Written beside and then moved into place, so a host reading it never sees half a file.
    private static void ExportCertificate(X509Certificate2 certificate, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, certificate.ExportCertificatePem());
        File.Move(temporary, full, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Issuer.Dispose();
        Certificate.Dispose();
    }

    private static WebApplication Build(
        SandboxOptions options, string environmentName, IPAddress? address, X509Certificate2 certificate, SandboxState state)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = environmentName,
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            // Not the host's arguments. These blank the listen addresses the builder would otherwise take from the
            // environment (ASPNETCORE_URLS, ..._HTTP_PORTS) or an appsettings file: command-line values win, and
            // they are read while the builder is constructed, too early for UseSetting.
            Args = ["--urls=", "--http_ports=", "--https_ports="],
        });
        // The content root may be a host app's output folder: its appsettings (Kestrel endpoints, logging) are not ours.
        foreach (var source in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList())
        {
            builder.Configuration.Sources.Remove(source);
        }
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, address, options.HttpsPort, o => o.UseHttps(certificate));
            Listen(kestrel, address, options.HttpPort, _ => { });
        });
        builder.Services.AddSingleton(state);

        var app = builder.Build();
        app.MapDiscoveryEndpoints();
        app.MapAuthorizeEndpoints();
        app.MapTokenEndpoint();
        app.MapAdminConsentEndpoints();
        app.MapLogoutEndpoint();
        app.MapTestApiEndpoints();
        app.MapGraphEndpoints();
        app.MapGraphTestApiEndpoints();
        app.MapGraphReportDownloads();
        return app;
    }

    /// <summary>"localhost" binds both loopback addresses (IPv4 only for a dynamic port, which Kestrel requires).</summary>
    private static void Listen(KestrelServerOptions kestrel, IPAddress? address, int port, Action<ListenOptions> configure)
    {
        if (address is null && port != 0)
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else
        {
            kestrel.Listen(address ?? IPAddress.Loopback, port, configure);
        }
    }

    /// <summary>Null for "localhost"; the parsed address for a loopback IP; anything else is refused.</summary>
    private static IPAddress? LoopbackAddress(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address)
            ? address
            : throw new ArgumentException($"Sandbox host '{host}' is not loopback. Use \"localhost\" or \"127.0.0.1\".", nameof(host));
    }

    private static void SetUrls(SandboxUrls urls, string host, int httpsPort, int httpPort)
    {
        urls.Https = new UriBuilder(Uri.UriSchemeHttps, host, httpsPort, "/").Uri;
        urls.Http = new UriBuilder(Uri.UriSchemeHttp, host, httpPort, "/").Uri;
    }
}
