using DporReports.Core.Tenants;
using DporReports.Core.Usage;
using DporReports.Web.Access;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Operations;

/// <summary>Operators watch ingestion health (no usage figures) and can pull one tenant's usage now.</summary>
public static class IngestionApi
{
    public static RouteGroupBuilder MapIngestionApi(this RouteGroupBuilder api)
    {
        var ops = api.MapGroup("/ops").WithTags("Operations").RequireAuthorization(AccessPolicies.Operator);
        ops.MapGet("/ingestion/health", async (UsageQueries queries, TimeProvider clock, int? hours, CancellationToken ct) =>
                TypedResults.Ok(await queries.HealthAsync(clock.GetUtcNow().AddHours(-Math.Clamp(hours ?? 24, 1, 24 * 30)), ct)))
            .WithSummary("Ingestion runs by outcome, slowest tenants, throttling and recent failures.");
        ops.MapPost("/tenants/{tenantId:guid}/usage/refresh", RefreshAsync)
            .WithSummary("Pull one tenant's usage reports now.");
        return api;
    }

    internal static async Task<Results<Accepted, ProblemHttpResult>> RefreshAsync(Guid tenantId, TenantConnections tenants,
        IBackgroundJobClient jobs, CancellationToken ct)
    {
        if (await tenants.FindAsync(tenantId, ct) is not { IsConnected: true })
            return new Core.Shared.Problem(404, "unknown_tenant", "No connected tenant has this id.").ToHttp();
        jobs.Enqueue<PullTenantUsageJob>(j => j.RunAsync(tenantId, CancellationToken.None));
        return TypedResults.Accepted((string?)null);
    }
}
