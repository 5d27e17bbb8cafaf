using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>DporReports.Worker</c> process (the built worker host, started with <c>dotnet</c>), configured through
/// environment variables as a deployment would. Its console output is kept for the failure message.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    /// <summary>The newest lines the process wrote (stdout and stderr).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static WorkerProcess Start(string name, IReadOnlyDictionary<string, string?> settings, params string[] arguments) =>
        new(name, Process.Start(StartInfo(settings, arguments)) ?? throw new InvalidOperationException("could not start the worker"));

    /// <summary>Runs the worker until it exits on its own (a command, or a refusal to start); its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        using var worker = Start("worker", settings, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await worker._process.WaitForExitAsync(timeout.Token);
        return (worker._process.ExitCode, worker.Output);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> settings, string[] arguments)
    {
        var dll = WorkerAssembly();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return start;
    }

    /// <summary>Ends the process at once, as a crash or an evicted container would: no graceful shutdown, no requeue.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > KeptLines) _output.TryDequeue(out _);
    }

    /// <summary>The worker built beside this test assembly's configuration (the test project references it, so it is built first).</summary>
    private static string WorkerAssembly()
    {
        var configuration = typeof(WorkerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DporReports.sln"))) root = root.Parent;
        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("DporReports.sln not found above the test assembly"),
            "src", "DporReports.Worker", "bin", configuration, "net10.0", "DporReports.Worker.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the worker first: {dll}", dll);
    }
}
