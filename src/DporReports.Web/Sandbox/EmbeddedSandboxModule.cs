using DporReports.Core.Identity;
using System.Security.Cryptography.X509Certificates;
using DporReports.Sandbox;

namespace DporReports.Web.Sandbox;

public static class EmbeddedSandboxModule
{
    /// <summary>
    /// The embedded default (Development, Sandbox:Embedded true): the local Entra ID stand-in runs inside this process
    /// on its own loopback ports, and this host trusts exactly its self-signed certificate. Anywhere else it is off;
    /// in Production it refuses to start at all.
    /// </summary>
    public static WebApplicationBuilder AddEmbeddedSandbox(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>("Sandbox:Embedded")) return builder;
        if (builder.Environment.IsProduction())
            throw new InvalidOperationException("Sandbox:Embedded is true, but the environment is Production: the Entra ID sandbox "
                + "never runs in Production. Remove Sandbox:Embedded and configure the 'AzureAd' section for Microsoft Entra ID.");

        var options = builder.Configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
        var sandbox = new EmbeddedSandbox(options, builder.Environment.EnvironmentName);
        builder.Services.AddSingleton(sandbox);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedSandbox>());
        builder.Services.AddSingleton(sp => new LocalEntraTrust(sp.GetRequiredService<EmbeddedSandbox>().Certificate));
        return builder;
    }
}

/// <summary>Starts the sandbox with the host, before the first sign-in can reach it, and stops it with the host.</summary>
public sealed class EmbeddedSandbox(SandboxOptions options, string environmentName) : IHostedService, IAsyncDisposable
{
    private readonly Lazy<Task<SandboxServer>> _server = new(() => SandboxServer.StartAsync(options, environmentName));

    /// <summary>The running sandbox (started on first use if the host has not started it yet).</summary>
    public SandboxServer Server => _server.Value.GetAwaiter().GetResult();

    public X509Certificate2 Certificate => Server.Certificate;

    public async Task StartAsync(CancellationToken cancellationToken) => await _server.Value;

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (!_server.IsValueCreated || Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await (await _server.Value).DisposeAsync();
    }

    private int _disposed;
}
