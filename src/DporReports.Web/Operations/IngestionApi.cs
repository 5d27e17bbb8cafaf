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
        var ops = api.MapGroup("/ops").WithTags(ApiTags.Operations).RequireAuthorization(AccessPolicies.Operator);
        ops.MapGet("/ingestion/health", HealthAsync)
            .WithName("GetIngestionHealth").Problems(400)
            .WithSummary("Ingestion runs by outcome, slowest tenants, throttling and recent failures (hours: 1 to 720, default 24).");
        ops.MapPost("/tenants/{tenantId:guid}/usage/refresh", RefreshAsync)
            .WithName("RefreshTenantUsage").Problems(404)
            .WithSummary("Pull one tenant's usage reports now.");
        return api;
    }

    private static async Task<Results<Ok<IngestionHealth>, ProblemHttpResult>> HealthAsync(UsageQueries queries, TimeProvider clock, int? hours,
        CancellationToken ct) =>
        hours is not null and not (>= 1 and <= 24 * 30)
            ? Core.Shared.Problem.Validation("hours", "Give 1 to 720 hours.").ToHttp()
            : TypedResults.Ok(await queries.HealthAsync(clock.GetUtcNow().AddHours(-(hours ?? 24)), ct));

    internal static async Task<Results<Accepted, ProblemHttpResult>> RefreshAsync(Guid tenantId, TenantConnections tenants,
        IBackgroundJobClient jobs, CancellationToken ct)
    {
        if (await tenants.FindAsync(tenantId, ct) is not { IsConnected: true })
            return new Core.Shared.Problem(404, "unknown_tenant", "No connected tenant has this id.").ToHttp();
        jobs.Enqueue<PullTenantUsageJob>(j => j.RunAsync(tenantId, CancellationToken.None));
        return TypedResults.Accepted((string?)null);
    }
}
