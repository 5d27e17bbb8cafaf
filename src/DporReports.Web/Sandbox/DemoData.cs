using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Sandbox;

namespace DporReports.Web.Sandbox;

/// <summary>
/// Demo data for the embedded default, matching the sandbox's tenants: Adatum is an approved partner (Partner IDs
/// 1234567 and 1234568), Litware has registered and waits for approval (2345678), Proseware has not registered.
/// Idempotent: it only adds what is missing, through the same registry the product uses.
/// </summary>
internal sealed class DemoData(IServiceProvider services, IConfiguration configuration) : IHostedService
{
    public const string AdatumMpnId = "1234567";
    public const string LitwareMpnId = "2345678";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("DemoData:Enabled")) return;
        await using var scope = services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<PartnerRegistry>();
        var adatum = await EnsureRegisteredAsync(registry, "adatum-admin", "Adatum Consulting", "dpor@adatum.example",
            [AdatumMpnId, "1234568"], cancellationToken);
        if (adatum.Status == PartnerStatus.Pending)
            await registry.ApproveAsync(adatum.Id, Actor.System, null, cancellationToken);

        await using var second = services.CreateAsyncScope();
        await EnsureRegisteredAsync(second.ServiceProvider.GetRequiredService<PartnerRegistry>(), "litware-admin", "Litware Partners",
            "partners@litware.example", [LitwareMpnId], cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<Partner> EnsureRegisteredAsync(PartnerRegistry registry, string personaKey, string name, string email,
        string[] mpnIds, CancellationToken ct)
    {
        var persona = SandboxDirectory.Persona(personaKey);
        if (await registry.FindByTenantAsync(persona.TenantId, ct) is { } existing) return existing;
        var admin = new SignedInUser(persona.TenantId, persona.ObjectId, persona.DisplayName, persona.UserPrincipalName, null, null,
            false, new HashSet<string>(), new HashSet<string>(persona.AppRoles), new HashSet<string>());
        var outcome = await registry.RegisterAsync(admin, new PartnerRegistration(name, email, mpnIds), ct);
        return outcome.Value ?? throw new InvalidOperationException($"Demo data: {outcome.Problem?.Message}");
    }
}

public static class DemoDataModule
{
    /// <summary>Registers the demo data seeder; it runs only when DemoData:Enabled is true (the embedded default).</summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services) => services.AddHostedService<DemoData>();
}
