using System.Collections.Concurrent;
using System.Net;
using System.Text;
using DporReports.Core.Graph;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DporReports.IntegrationTests.Observability;

/// <summary>
/// "Exportable by configuration": with an OTLP endpoint set, the host sends its traces, metrics and logs there — here a
/// stand-in collector on loopback that keeps what it receives over OTLP/HTTP.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OtlpExportTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _received = new();
    private WebApplication _collector = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _collector = builder.Build();
        _collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _received.Enqueue((signal, body.ToArray()));
            return Results.Ok();
        });
        await _collector.StartAsync();
    }

    public async Task DisposeAsync() => await _collector.DisposeAsync();

    [Fact]
    public async Task Host_WithAnOtlpEndpoint_ExportsItsTracesMetricsAndLogsThere()
    {
        var app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["OpenTelemetry:Otlp:Endpoint"] = _collector.Urls.Single(),
            ["OpenTelemetry:Otlp:Protocol"] = "HttpProtobuf",
            ["OpenTelemetry:ServiceName"] = "dpor-export-test",
        });
        var tenant = SandboxDirectory.ContosoTenantId;
        (await sandbox.Api.PostAsync($"_sandbox/tenants/{tenant}/consent", null)).EnsureSuccessStatusCode();
        await using (var scope = app.Scope())
            Assert.NotEmpty(await scope.ServiceProvider.GetRequiredService<GraphClient>().ListSubscriptionsAsync(tenant, default));

        // Disposing the host flushes its exporters: nothing is left in a batch.
        app.Dispose();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Has("traces", "graph directory/subscriptions") || !Has("metrics", "dpor.graph.requests") || !Has("logs", "dpor-export-test"))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20),
                $"collector received: {string.Join(", ", _received.Select(r => $"{r.Signal} ({r.Body.Length} bytes)"))}");
            await Task.Delay(100);
        }
        Assert.True(Has("traces", "dpor-export-test"));
        Assert.True(Has("traces", tenant.ToString()));
    }

    // OTLP/protobuf carries strings as UTF-8 bytes: enough to find a name without a protobuf decoder.
    private bool Has(string signal, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return _received.Any(r => r.Signal == signal && r.Body.AsSpan().IndexOf(needle) >= 0);
    }
}
