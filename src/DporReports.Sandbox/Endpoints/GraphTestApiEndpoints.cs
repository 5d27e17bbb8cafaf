using System.Text.Json;
using DporReports.Sandbox.Hosting;

namespace DporReports.Sandbox.Endpoints;

/// <summary>Body of <c>POST /_sandbox/graph/tenants/{tid}/subscriptions</c>.</summary>
internal sealed record AddGraphSubscriptionRequest(string? SkuPartNumber, int? TotalLicenses, string? Status, bool? IsTrial);

/// <summary>Body of <c>PATCH /_sandbox/graph/tenants/{tid}/subscriptions/{id}</c>: only the given fields change.</summary>
internal sealed record UpdateGraphSubscriptionRequest(string? Status, int? TotalLicenses, bool? IsTrial);

/// <summary>Body of <c>POST /_sandbox/graph/tenants/{tid}/scale</c>.</summary>
internal sealed record ScaleGraphRequest(int? Subscriptions);

/// <summary>Body of <c>PUT /_sandbox/graph/tenants/{tid}/page-size</c>.</summary>
internal sealed record GraphPageSizeRequest(int? Size);

/// <summary>Body of <c>POST /_sandbox/graph/faults</c>.</summary>
internal sealed record AddGraphFaultRequest(Guid? TenantId, string? Path, int? Status, int? RetryAfterSeconds, int? DelayMs, int? Count);

/// <summary>
/// The <c>/_sandbox/graph/</c> knobs (HTTPS listener only): change a tenant's subscription inventory and page size,
/// inject faults, read the Graph request log, reset everything to the seed; usage-report knobs in the other part.
/// </summary>
internal static partial class GraphTestApiEndpoints
{
    public static void MapGraphTestApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/_sandbox/graph");
        api.AddEndpointFilter((context, next) =>
            context.HttpContext.Request.IsHttps ? next(context) : ValueTask.FromResult<object?>(Results.NotFound()));

        api.MapGet("/tenants/{tid:guid}/subscriptions", (Guid tid, SandboxState state) =>
            UnknownTenant(state, tid) ?? Results.Json(state.Graph.Subscriptions(tid)));
        api.MapGet("/tenants/{tid:guid}/subscribedSkus", (Guid tid, SandboxState state) =>
            UnknownTenant(state, tid) ?? Results.Json(state.Graph.SubscribedSkus(tid)));
        api.MapGet("/tenants/{tid:guid}/subscriptions/{id:guid}", (Guid tid, Guid id, SandboxState state) =>
            UnknownTenant(state, tid) ?? (state.Graph.Subscriptions(tid).FirstOrDefault(s => s.Id == id) is { } subscription
                ? Results.Json(subscription)
                : UnknownSubscription(tid, id)));
        api.MapPost("/tenants/{tid:guid}/subscriptions", AddSubscriptionAsync);
        api.MapPatch("/tenants/{tid:guid}/subscriptions/{id:guid}", UpdateSubscriptionAsync);
        api.MapDelete("/tenants/{tid:guid}/subscriptions/{id:guid}", (Guid tid, Guid id, SandboxState state) =>
            UnknownTenant(state, tid) ?? (state.Graph.RemoveSubscription(tid, id) ? Results.NoContent() : UnknownSubscription(tid, id)));
        api.MapPost("/tenants/{tid:guid}/scale", ScaleAsync);
        api.MapGet("/tenants/{tid:guid}/page-size", (Guid tid, SandboxState state) =>
            UnknownTenant(state, tid) ?? Results.Json(new { size = state.Graph.PageSize(tid) }));
        api.MapPut("/tenants/{tid:guid}/page-size", SetPageSizeAsync);

        api.MapGet("/faults", (SandboxState state) => Results.Json(state.Graph.Faults));
        api.MapPost("/faults", AddFaultAsync);
        api.MapDelete("/faults", (SandboxState state) =>
        {
            state.Graph.ClearFaults();
            return Results.NoContent();
        });
        api.MapGet("/requests", (SandboxState state) => Results.Json(state.Graph.Requests));
        api.MapDelete("/requests", (SandboxState state) =>
        {
            state.Graph.ClearRequests();
            return Results.NoContent();
        });
        api.MapPost("/reset", (SandboxState state) =>
        {
            state.Graph.Reset();
            return Results.NoContent();
        });
        MapReportKnobs(api);
    }

    private static async Task<IResult> AddSubscriptionAsync(Guid tid, HttpContext context, SandboxState state)
    {
        if (UnknownTenant(state, tid) is { } notFound)
        {
            return notFound;
        }
        var (request, invalid) = await ReadAsync<AddGraphSubscriptionRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        if (string.IsNullOrWhiteSpace(request!.SkuPartNumber))
        {
            return BadRequest("Give a skuPartNumber, e.g. \"ENTERPRISEPACK\".");
        }
        if (request.Status is not null && SandboxGraph.CanonicalStatus(request.Status) is null)
        {
            return BadRequest(SandboxGraph.UnknownStatusMessage(request.Status));
        }
        if (request.TotalLicenses is < 0)
        {
            return BadRequest("totalLicenses must be 0 or more.");
        }
        var subscription = state.Graph.AddSubscription(
            tid, request.SkuPartNumber, request.TotalLicenses ?? 1, request.Status ?? "Enabled", request.IsTrial ?? false);
        return Results.Created($"/_sandbox/graph/tenants/{tid}/subscriptions/{subscription.Id}", subscription);
    }

    private static async Task<IResult> UpdateSubscriptionAsync(Guid tid, Guid id, HttpContext context, SandboxState state)
    {
        if (UnknownTenant(state, tid) is { } notFound)
        {
            return notFound;
        }
        var (request, invalid) = await ReadAsync<UpdateGraphSubscriptionRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        if (request!.Status is not null && SandboxGraph.CanonicalStatus(request.Status) is null)
        {
            return BadRequest(SandboxGraph.UnknownStatusMessage(request.Status));
        }
        if (request.TotalLicenses is < 0)
        {
            return BadRequest("totalLicenses must be 0 or more.");
        }
        return state.Graph.UpdateSubscription(tid, id, request.Status, request.TotalLicenses, request.IsTrial) is { } updated
            ? Results.Json(updated)
            : UnknownSubscription(tid, id);
    }

    private static async Task<IResult> ScaleAsync(Guid tid, HttpContext context, SandboxState state)
    {
        if (UnknownTenant(state, tid) is { } notFound)
        {
            return notFound;
        }
        var (request, invalid) = await ReadAsync<ScaleGraphRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        if (request!.Subscriptions is not { } count || count < 0 || count > SandboxGraph.MaxScaleSubscriptions)
        {
            return BadRequest($"Give \"subscriptions\": a count from 0 to {SandboxGraph.MaxScaleSubscriptions}.");
        }
        state.Graph.Scale(tid, count);
        return Results.Json(new { tenantId = tid, subscriptions = count });
    }

    private static async Task<IResult> SetPageSizeAsync(Guid tid, HttpContext context, SandboxState state)
    {
        if (UnknownTenant(state, tid) is { } notFound)
        {
            return notFound;
        }
        var (request, invalid) = await ReadAsync<GraphPageSizeRequest>(context);
        if (invalid is not null)
        {
            return invalid;
        }
        if (request!.Size is not { } size || size < 1 || size > SandboxGraph.MaxPageSize)
        {
            return BadRequest($"Give \"size\" from 1 to {SandboxGraph.MaxPageSize}.");
        }
        state.Graph.SetPageSize(tid, size);
        return Results.Json(new { size });
    }

    private static async Task<IResult> AddFaultAsync(HttpContext context, SandboxState state)
    {
        var (request, invalid) = await ReadAsync<AddGraphFaultRequest>(context);
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
            var fault = state.Graph.AddFault(new SandboxGraphFault(
                request.TenantId, request.Path, request.Status, request.RetryAfterSeconds, request.DelayMs, request.Count ?? 1));
            return Results.Json(fault, statusCode: StatusCodes.Status201Created);
        }
        catch (ArgumentException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    private static async Task<(T? Request, IResult? Invalid)> ReadAsync<T>(HttpContext context) where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, BadRequest("Send the request as application/json."));
        }
        try
        {
            var request = await context.Request.ReadFromJsonAsync<T>(context.RequestAborted);
            return request is null ? (null, BadRequest("The body is empty.")) : (request, null);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"The body is not valid JSON: {ex.Message}"));
        }
    }

    private static IResult BadRequest(string error) => Results.BadRequest(new { error });

    private static IResult? UnknownTenant(SandboxState state, Guid tid) =>
        state.Graph.Knows(tid) ? null : Results.NotFound(new { error = $"Tenant '{tid}' is not in the sandbox directory." });

    private static IResult UnknownSubscription(Guid tid, Guid id) =>
        Results.NotFound(new { error = $"Tenant '{tid}' has no subscription '{id}'." });
}
