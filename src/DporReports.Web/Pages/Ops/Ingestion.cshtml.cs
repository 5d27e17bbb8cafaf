using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.Web.Operations;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DporReports.Web.Pages.Ops;

/// <summary>Ingestion health for operators: outcomes, slowest tenants, throttling, failures — and "refresh now". No usage figures.</summary>
public sealed class IngestionModel(UsageQueries usage, TenantConnections tenants, IBackgroundJobClient jobs, TimeProvider clock) : PageModel
{
    public IngestionHealth Health { get; private set; } = null!;
    public string? Done { get; private set; }
    public IReadOnlyList<UnknownProduct> UnknownProducts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Health = await usage.HealthAsync(clock.GetUtcNow().AddDays(-1), ct);
        UnknownProducts = await usage.UnknownProductsAsync(null, ct);
    }

    public async Task<IActionResult> OnPostRefreshAsync(Guid tenantId, CancellationToken ct)
    {
        var result = await IngestionApi.RefreshAsync(tenantId, tenants, jobs, ct);
        Done = result.Result is Microsoft.AspNetCore.Http.HttpResults.Accepted
            ? "The usage pull is queued; watch it on the job dashboard."
            : "No connected tenant has this id.";
        await OnGetAsync(ct);
        return Page();
    }
}
