using DporReports.Sandbox.Hosting;

namespace DporReports.Sandbox.Endpoints;

/// <summary>Body of <c>POST /_sandbox/graph/tenants/{tid}/users</c>.</summary>
internal sealed record ReportUsersRequest(int? Count);

/// <summary>Body of <c>PUT /_sandbox/graph/tenants/{tid}/report-settings</c>.</summary>
internal sealed record ReportTenantSettingsRequest(bool? DisplayConcealedNames);

/// <summary>Body of <c>PUT /_sandbox/graph/reports/settings</c>: only the given fields change.</summary>
internal sealed record ReportSettingsRequest(bool? BudgetEnabled, int? BudgetLimit, int? BudgetWindowSeconds, int? DownloadLifetimeSeconds);

/// <summary>Body of <c>POST /_sandbox/graph/reports/download-faults</c>.</summary>
internal sealed record ReportDownloadFaultRequest(
    Guid? TenantId, string? Function, string? Kind, int? Count, int? AfterRows, long? AfterBytes, string? Column, string? NewName, int? DelayMs);

/// <summary>Body of <c>POST /_sandbox/graph/synthetic-tenants</c>.</summary>
internal sealed record SyntheticTenantsRequest(int? Count, int? MedianUsers, int? Seed);

/// <summary>The usage-report knobs under <c>/_sandbox/graph/</c>: users, concealed names, budget, download faults, synthetic tenants.</summary>
internal static partial class GraphTestApiEndpoints
{
    private static void MapReportKnobs(RouteGroupBuilder api)
    {
        api.MapGet("/tenants/{tid:guid}/users", (Guid tid, SandboxState state) =>
            UnknownTenant(state, tid) ?? Results.Json(state.Graph.Reports.Tenant(tid)));
        api.MapPost("/tenants/{tid:guid}/users", SetUsersAsync);
        api.MapGet("/tenants/{tid:guid}/report-settings", (Guid tid, SandboxState state) =>
            UnknownTenant(state, tid) ?? Results.Json(state.Graph.Reports.Tenant(tid)));
        api.MapPut("/tenants/{tid:guid}/report-settings", SetReportTenantSettingsAsync);

        api.MapGet("/reports/settings", (SandboxState state) => Results.Json(state.Graph.Reports.Settings));
        api.MapPut("/reports/settings", SetReportSettingsAsync);
        api.MapPost("/reports/budget/reset", (SandboxState state) =>
        {
            state.Graph.Reports.ResetBudget();
            return Results.NoContent();
        });
        api.MapGet("/reports/download-faults", (SandboxState state) => Results.Json(state.Graph.Reports.DownloadFaults));
        api.MapPost("/reports/download-faults", AddDownloadFaultAsync);
        api.MapDelete("/reports/download-faults", (SandboxState state) =>
        {
            state.Graph.Reports.ClearDownloadFaults();
            return Results.NoContent();
        });

        api.MapGet("/synthetic-tenants", (SandboxState state) =>
            Results.Json(state.Graph.SyntheticTenants ?? new SandboxSyntheticTenants(0, 0, 0, [])));
        api.MapPost("/synthetic-tenants", CreateSyntheticTenantsAsync);
        api.MapDelete("/synthetic-tenants", (SandboxState state) =>
        {
            state.Graph.RemoveSyntheticTenants();
            return Results.NoContent();
        });
    }

    private static async Task<IResult> SetUsersAsync(Guid tid, HttpContext context, SandboxState state)
    {
        if (UnknownTenant(state, tid) is { } notFound)
        {
            return notFound;
        }
        var (request, invalid) = await ReadAsync<ReportUsersRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        if (request!.Count is not { } count || count < 0 || count > SandboxGraphReports.MaxUsers)
        {
            return BadRequest($"Give \"count\": the number of report users, 0 to {SandboxGraphReports.MaxUsers}.");
        }
        return Results.Json(state.Graph.Reports.SetUserCount(tid, count));
    }

    private static async Task<IResult> SetReportTenantSettingsAsync(Guid tid, HttpContext context, SandboxState state)
    {
        if (UnknownTenant(state, tid) is { } notFound)
        {
            return notFound;
        }
        var (request, invalid) = await ReadAsync<ReportTenantSettingsRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        if (request!.DisplayConcealedNames is not { } concealed)
        {
            return BadRequest("Give \"displayConcealedNames\": true (names are hashed) or false.");
        }
        return Results.Json(state.Graph.Reports.SetDisplayConcealedNames(tid, concealed));
    }

    private static async Task<IResult> SetReportSettingsAsync(HttpContext context, SandboxState state)
    {
        var (request, invalid) = await ReadAsync<ReportSettingsRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        try
        {
            return Results.Json(state.Graph.Reports.Configure(
                request!.BudgetEnabled, request.BudgetLimit, request.BudgetWindowSeconds, request.DownloadLifetimeSeconds));
        }
        catch (ArgumentException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> AddDownloadFaultAsync(HttpContext context, SandboxState state)
    {
        var (request, invalid) = await ReadAsync<ReportDownloadFaultRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        if (request!.TenantId is { } tenantId && UnknownTenant(state, tenantId) is { } notFound)
        {
            return notFound;
        }
        try
        {
            var fault = state.Graph.Reports.AddDownloadFault(new SandboxReportDownloadFault(
                request.TenantId, request.Function, request.Kind ?? "", request.Count ?? 1,
                request.AfterRows, request.AfterBytes, request.Column, request.NewName, request.DelayMs));
            return Results.Json(fault, statusCode: StatusCodes.Status201Created);
        }
        catch (ArgumentException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> CreateSyntheticTenantsAsync(HttpContext context, SandboxState state)
    {
        var (request, invalid) = await ReadAsync<SyntheticTenantsRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        if (request!.Count is not { } count || count < 1 || count > Graph.SyntheticTenantSet.MaxCount
            || request.MedianUsers is < 1 or > Graph.SyntheticTenantSet.MaxMedianUsers)
        {
            return BadRequest($"Give \"count\" from 1 to {Graph.SyntheticTenantSet.MaxCount}, and optionally \"medianUsers\" "
                + $"(1 to {Graph.SyntheticTenantSet.MaxMedianUsers}, default 300) and \"seed\" (default 1).");
        }
        var created = state.Graph.CreateSyntheticTenants(count, request.MedianUsers ?? 300, request.Seed ?? 1);
        return Results.Json(created, statusCode: StatusCodes.Status201Created);
    }
}
