using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Partners;
using DporReports.Sandbox;

namespace DporReports.Web.Sandbox;

/// <summary>
/// Demo data for the embedded default, matching the sandbox's tenants: Adatum is an approved partner (Partner IDs
/// 1234567 and 1234568), Litware has registered and waits for approval (2345678), Proseware has not registered. With
/// the sandbox in this process, Adatum also gets its customers' history (<see cref="DemoHistory"/>), seeded in the
/// background so the host starts as fast as without it. Idempotent: it only adds what is missing, through the same
/// services the product uses. Refuses to run in Production.
/// </summary>
internal sealed class DemoData(IServiceProvider services, IConfiguration configuration, IHostEnvironment environment, TimeProvider clock,
    IHostApplicationLifetime lifetime, ILogger<DemoData> log) : IHostedService
{
    public const string AdatumMpnId = "1234567";
    public const string LitwareMpnId = "2345678";

    // Adatum has been an approved partner since before any of its demo customers named it.
    private static readonly TimeSpan AdatumRegisteredBefore = TimeSpan.FromDays(200);

    /// <summary>The background seeding of the customers' history: completed when there is none to seed or it is done.</summary>
    public Task<DemoHistoryRun?> History { get; private set; } = Task.FromResult<DemoHistoryRun?>(null);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("DemoData:Enabled")) return;
        if (environment.IsProduction())
            throw new InvalidOperationException("DemoData:Enabled is true, but the environment is Production: demo data (made-up "
                + "customers, partners and usage) never goes into a production database. Remove DemoData:Enabled.");

        await using (var scope = services.CreateAsyncScope())
        {
            var registeredAt = new FixedClock(clock.GetUtcNow() - AdatumRegisteredBefore);
            var registry = ActivatorUtilities.CreateInstance<PartnerRegistry>(scope.ServiceProvider, registeredAt);
            var adatum = await EnsureRegisteredAsync(registry, "adatum-admin", "Adatum Consulting", "dpor@adatum.example",
                [AdatumMpnId, "1234568"], cancellationToken);
            if (adatum.Status == PartnerStatus.Pending)
                await registry.ApproveAsync(adatum.Id, Actor.System, null, cancellationToken);
        }

        await using (var second = services.CreateAsyncScope())
        {
            await EnsureRegisteredAsync(second.ServiceProvider.GetRequiredService<PartnerRegistry>(), "litware-admin", "Litware Partners",
                "partners@litware.example", [LitwareMpnId], cancellationToken);
        }

        // The customers' history needs the sandbox in this process (it grants their consent and writes their earlier
        // report files): the embedded one, or one a test host registered as an instance.
        if ((services.GetService<EmbeddedSandbox>()?.Server ?? services.GetService<SandboxServer>()) is { } sandbox)
        {
            _seeded = new TaskCompletionSource<DemoHistoryRun?>(TaskCreationOptions.RunContinuationsAsynchronously);
            History = _seeded.Task;
            // Only once the server listens: a start that fails (a port in use) must not begin a seeding it then cuts short.
            lifetime.ApplicationStarted.Register(() =>
            {
                if (Interlocked.Exchange(ref _seedingStarted, 1) == 0)
                    _ = Task.Run(async () => _seeded.TrySetResult(await SeedHistoryAsync(sandbox, lifetime.ApplicationStopping)), CancellationToken.None);
            });
        }
    }

    private TaskCompletionSource<DemoHistoryRun?>? _seeded;
    private int _seedingStarted;

    /// <summary>Seeding stops at its next await once the host is stopping; what it stored stays and the next start completes it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host that never started never seeds: History completes with nothing.
        if (Interlocked.Exchange(ref _seedingStarted, 1) == 0) _seeded?.TrySetResult(null);
        await ((Task)History).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task<DemoHistoryRun?> SeedHistoryAsync(SandboxServer sandbox, CancellationToken ct)
    {
        try
        {
            return await ActivatorUtilities.CreateInstance<DemoHistory>(services, sandbox).SeedAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            // Demo data must never take the host down; what was stored stays, and the next start completes it.
            log.LogError(e, "Demo history could not be completed; the next start tries again");
            return null;
        }
    }

    private static async Task<Partner> EnsureRegisteredAsync(PartnerRegistry registry, string personaKey, string name, string email,
        string[] mpnIds, CancellationToken ct)
    {
        var persona = SandboxDirectory.Persona(personaKey);
        if (await registry.FindByTenantAsync(persona.TenantId, ct) is { } existing) return existing;
        // The seed's partners write Spanish: their mails and scheduled workbooks come in Spanish.
        var outcome = await registry.RegisterAsync(DemoUsers.Of(personaKey), new PartnerRegistration(name, email, mpnIds, Language.Spanish), ct);
        return outcome.Value ?? throw new InvalidOperationException($"Demo data: {outcome.Problem?.Message}");
    }

    private sealed class FixedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}

public static class DemoDataModule
{
    /// <summary>
    /// Registers the demo data seeder; it runs only when DemoData:Enabled is true (the embedded default), and the customers'
    /// history only when the sandbox runs in this process.
    /// </summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services)
    {
        services.AddSingleton<DemoData>();
        return services.AddHostedService(sp => sp.GetRequiredService<DemoData>());
    }
}
