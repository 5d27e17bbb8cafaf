using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Identity.Client;
using Microsoft.Identity.Web;

namespace DporReports.Core.Identity;

/// <summary>
/// Trust in exactly one certificate: the local sandbox's self-signed loopback certificate, pinned by its SHA-256
/// thumbprint. Registered only in Development, for the HTTP clients that talk to the sandbox; no machine-wide
/// certificate store changes. Token validation itself is untouched: it is the normal Identity.Web pipeline.
/// </summary>
public sealed class LocalEntraTrust
{
    private readonly Func<string?> _thumbprint;

    public LocalEntraTrust(X509Certificate2 certificate)
    {
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        _thumbprint = () => thumbprint;
    }

    private LocalEntraTrust(Func<string?> thumbprint) => _thumbprint = thumbprint;

    /// <summary>
    /// The certificate another process's sandbox exported to <paramref name="path"/> (<c>Sandbox:CertificateFile</c>): what
    /// a worker host or a second web host trusts. Read at each TLS handshake, so a restarted sandbox's new certificate is
    /// trusted without restarting this host, and a host started before the sandbox simply fails its first calls.
    /// </summary>
    public static LocalEntraTrust FromFile(string path) => new(() =>
    {
        if (!File.Exists(path)) return null;
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    });

    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Accept },
    };

    private bool Accept(object sender, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None
        || (presented is not null && _thumbprint() is { } pinned
            && string.Equals(presented.GetCertHashString(HashAlgorithmName.SHA256), pinned, StringComparison.OrdinalIgnoreCase));
}

public static class LocalEntraModule
{
    public const string HttpClientName = "local-entra";

    /// <summary>Where the sandbox writes its certificate (PEM) at start, and where hosts without a sandbox read it.</summary>
    public const string CertificateFileKey = "Sandbox:CertificateFile";

    /// <summary>
    /// Development only, and only when AzureAd:Instance is a loopback URL: MSAL, the OpenID Connect and JWT bearer
    /// back-channels and the issuer validator talk to the local sandbox over HTTPS, trusting its pinned certificate.
    /// MSAL refuses http authorities and sends instance discovery to login.microsoftonline.com whatever the instance,
    /// hence its own HTTP factory that answers discovery locally and refuses every non-loopback call.
    /// </summary>
    public static IServiceCollection AddLocalEntraForDevelopment(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment)
    {
        if (!environment.IsDevelopment()) return services;
        if (!Uri.TryCreate(configuration[$"{EntraIdOptions.SectionName}:Instance"], UriKind.Absolute, out var instance) || !instance.IsLoopback)
            return services;

        // A host that does not run the sandbox itself trusts the certificate the sandbox's host exported.
        if (configuration[CertificateFileKey] is { Length: > 0 } certificateFile)
            services.TryAddSingleton(_ => LocalEntraTrust.FromFile(Path.GetFullPath(certificateFile, environment.ContentRootPath)));
        services.AddHttpClient(HttpClientName).ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp));
        services.Configure<AadIssuerValidatorOptions>(o => o.HttpClientName = HttpClientName);
        services.AddSingleton<IMsalHttpClientFactory>(sp => new LocalEntraMsalHttpClientFactory(instance, CreateHandler(sp)));
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IServiceProvider>((o, sp) => o.BackchannelHttpHandler = CreateHandler(sp));
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IServiceProvider>((o, sp) => o.BackchannelHttpHandler = CreateHandler(sp));
        return services;
    }

    /// <summary>The primary handler for clients that may talk to the sandbox: pinned trust when registered (Development), else the default.</summary>
    public static HttpMessageHandler CreateHandler(IServiceProvider services) =>
        services.GetService<LocalEntraTrust>()?.CreateHandler() ?? new SocketsHttpHandler();

    private sealed class LocalEntraMsalHttpClientFactory(Uri local, HttpMessageHandler inner) : IMsalHttpClientFactory, IDisposable
    {
        private readonly HttpClient _client = new(new LoopbackOnly(local) { InnerHandler = inner });

        public HttpClient GetHttpClient() => _client;

        public void Dispose() => _client.Dispose();

        private sealed class LoopbackOnly(Uri local) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var uri = request.RequestUri!;
                if (!uri.IsLoopback)
                {
                    if (!uri.AbsolutePath.EndsWith("/common/discovery/instance", StringComparison.OrdinalIgnoreCase))
                        throw new InvalidOperationException($"Blocked a non-loopback identity call in Development: {uri}");
                    request.RequestUri = new UriBuilder(uri) { Scheme = local.Scheme, Host = local.Host, Port = local.Port }.Uri;
                }
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
