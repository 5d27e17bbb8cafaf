using System.Runtime.InteropServices;

namespace DporReports.Sandbox;

/// <summary>Runs the sandbox on its own: <c>dotnet run --project src/DporReports.Sandbox [--Sandbox:HttpPort=5100]</c>.</summary>
public static class SandboxProgram
{
    private static readonly string[] EnvironmentVariables = ["ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    public static async Task<int> Main(string[] args)
    {
        // As in ASP.NET Core: ASPNETCORE_ENVIRONMENT wins over DOTNET_ENVIRONMENT, and unset means Production.
        var environmentName = EnvironmentVariables
            .Select(Environment.GetEnvironmentVariable)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? Environments.Production;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = new SandboxOptions();
        configuration.GetSection(SandboxOptions.SectionName).Bind(options);

        SandboxServer server;
        try
        {
            server = await SandboxServer.StartAsync(options, environmentName);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }

        await using (server)
        {
            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

            await Console.Out.WriteLineAsync($"""
                Entra ID sandbox ({environmentName})
                  Instance (backchannel, HTTPS): {server.HttpsBaseUrl}
                  Browser-facing (HTTP):         {server.HttpBaseUrl}
                  Microsoft Graph (HTTPS):       {server.HttpsBaseUrl}graph/v1.0/
                  TLS certificate thumbprint:    {server.Certificate.Thumbprint} (self-signed, new on every start)
                  Client id:                     {options.ClientId}
                Personas:
                """);
            foreach (var persona in SandboxDirectory.Personas)
            {
                await Console.Out.WriteLineAsync($"  {persona.Key,-24} {persona.DisplayName,-28} {persona.UserPrincipalName}");
            }
            await Console.Out.WriteLineAsync("Press Ctrl+C to stop.");

            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: fall through to dispose, which stops Kestrel.
            }

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }
        return 0;
    }
}
