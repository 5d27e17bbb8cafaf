using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Core.Shared;
using DporReports.Web.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Partners;

public sealed record PartnerView(Guid Id, string DisplayName, string NotificationEmail, PartnerStatus Status, string? StatusReason,
    IReadOnlyList<string> PartnerIds, DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt, Guid Version)
{
    public static PartnerView Of(Partner p) => new(p.Id, p.DisplayName, p.NotificationEmail, p.Status, p.StatusReason,
        [.. p.MpnIds.Select(m => m.Value).Order(StringComparer.Ordinal)], p.RegisteredAt, p.UpdatedAt, p.Version);
}

public sealed record PartnerEventView(DateTimeOffset At, PartnerEventKind Kind, string ActorName, Guid ActorTenantId,
    PartnerSnapshot? Before, PartnerSnapshot After)
{
    public static PartnerEventView Of(PartnerEvent e) => new(e.At, e.Kind, e.ActorName, e.ActorTenantId, e.Before, e.After);
}

public sealed record PartnerLookupView(string PartnerId, string DisplayName, string Message);

public sealed record RegistrationUpdate(string? DisplayName, string? NotificationEmail, IReadOnlyList<string>? PartnerIds, Guid? Version);

public sealed record ReviewDecision(string? Reason, Guid? Version);

public static class PartnersApi
{
    public static RouteGroupBuilder MapPartnersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/partners/lookup", LookupAsync)
            .RequireAuthorization(AccessPolicies.Customer)
            .WithSummary("Look up an approved partner by Partner ID (MPN ID) before naming it partner of record.");

        var own = api.MapGroup("/partner/registration").WithTags("Partner registration");
        own.MapGet("/", GetOwnAsync).RequireAuthorization(AccessPolicies.PartnerViewer);
        own.MapGet("/history", HistoryAsync).RequireAuthorization(AccessPolicies.PartnerViewer);
        own.MapPost("/", RegisterAsync).RequireAuthorization(AccessPolicies.PartnerApplicant);
        own.MapPut("/", UpdateAsync).RequireAuthorization(AccessPolicies.PartnerApplicant);
        own.MapDelete("/partner-ids/{partnerId}", RemoveMpnIdAsync).RequireAuthorization(AccessPolicies.PartnerApplicant);

        var ops = api.MapGroup("/ops/partners").WithTags("Operations").RequireAuthorization(AccessPolicies.Operator);
        ops.MapGet("/", async (PartnerStatus? status, PartnerRegistry registry, CancellationToken ct) =>
            TypedResults.Ok((await registry.ListAsync(status, ct)).Select(PartnerView.Of)));
        ops.MapGet("/{id:guid}", GetForOperatorAsync);
        ops.MapPost("/{id:guid}/approve", (Guid id, ReviewDecision? body, PartnerRegistry r, HttpContext http, CancellationToken ct) =>
            Reply(r.ApproveAsync(id, Actor(http), body?.Version, ct)));
        ops.MapPost("/{id:guid}/reject", (Guid id, ReviewDecision? body, PartnerRegistry r, HttpContext http, CancellationToken ct) =>
            Reply(r.RejectAsync(id, Actor(http), body?.Reason, body?.Version, ct)));
        ops.MapPost("/{id:guid}/suspend", (Guid id, ReviewDecision? body, PartnerRegistry r, HttpContext http, CancellationToken ct) =>
            Reply(r.SuspendAsync(id, Actor(http), body?.Reason, body?.Version, ct)));
        ops.MapPost("/{id:guid}/reinstate", (Guid id, ReviewDecision? body, PartnerRegistry r, HttpContext http, CancellationToken ct) =>
            Reply(r.ReinstateAsync(id, Actor(http), body?.Version, ct)));
        return api;
    }

    private static async Task<Results<Ok<PartnerLookupView>, ProblemHttpResult>> LookupAsync(string? partnerId, PartnerRegistry registry,
        PartnerLookupThrottle throttle, HttpContext http, CancellationToken ct)
    {
        if (!throttle.TryAcquire(SignedInUser.Require(http.User)))
        {
            http.Response.Headers.RetryAfter = "60";
            return new Problem(429, "rate_limited", PartnerLookupThrottle.Refusal).ToHttp();
        }
        var lookup = await registry.LookupAsync(partnerId, ct);
        return lookup.Outcome switch
        {
            PartnerLookupOutcome.Found => TypedResults.Ok(new PartnerLookupView(lookup.PartnerIdValue, lookup.DisplayName!, lookup.Message)),
            PartnerLookupOutcome.Malformed => new Problem(400, "malformed_partner_id", lookup.Message).ToHttp(),
            PartnerLookupOutcome.NotApproved => Problem.NotFound("partner_not_approved", lookup.Message).ToHttp(),
            _ => Problem.NotFound("unknown_partner_id", lookup.Message).ToHttp(),
        };
    }

    private static async Task<Results<Ok<PartnerView>, ProblemHttpResult>> GetOwnAsync(HttpContext http, PartnerRegistry registry,
        CancellationToken ct) =>
        await registry.FindByTenantAsync(SignedInUser.Require(http.User).TenantId, ct) is { } partner
            ? TypedResults.Ok(PartnerView.Of(partner))
            : Problem.NotFound("not_registered", "Your organisation is not registered yet.").ToHttp();

    private static async Task<Results<Ok<List<PartnerEventView>>, ProblemHttpResult>> HistoryAsync(PartnerRegistry registry,
        Core.Tenancy.PartnerScope scope, CancellationToken ct) =>
        // The access handler sets the scope from the token's tenant when that tenant has an organisation.
        scope.IsSet
            ? TypedResults.Ok((await registry.HistoryAsync(ct)).Select(PartnerEventView.Of).ToList())
            : Problem.NotFound("not_registered", "Your organisation is not registered yet.").ToHttp();

    private static async Task<Results<Created<PartnerView>, ProblemHttpResult>> RegisterAsync(PartnerRegistration? body, HttpContext http,
        PartnerRegistry registry, CancellationToken ct)
    {
        var outcome = await registry.RegisterAsync(SignedInUser.Require(http.User), body, ct);
        return outcome.Value is { } partner
            ? TypedResults.Created("/api/partner/registration", PartnerView.Of(partner))
            : outcome.Problem!.ToHttp();
    }

    private static Task<Results<Ok<PartnerView>, ProblemHttpResult>> UpdateAsync(RegistrationUpdate? body, HttpContext http,
        PartnerRegistry registry, CancellationToken ct) =>
        Reply(registry.UpdateOwnAsync(SignedInUser.Require(http.User),
            body is null ? null : new PartnerRegistration(body.DisplayName, body.NotificationEmail, body.PartnerIds), body?.Version, ct));

    private static Task<Results<Ok<PartnerView>, ProblemHttpResult>> RemoveMpnIdAsync(string partnerId, HttpContext http,
        PartnerRegistry registry, CancellationToken ct) =>
        Reply(registry.RemoveOwnMpnIdAsync(SignedInUser.Require(http.User), partnerId, ct));

    private static async Task<Results<Ok<PartnerDetailsView>, ProblemHttpResult>> GetForOperatorAsync(Guid id, PartnerRegistry registry,
        Core.Tenancy.PartnerScope scope, CancellationToken ct)
    {
        var partner = await registry.FindAsync(id, ct);
        if (partner is null) return Problem.NotFound("unknown_partner", "No partner organisation has this id.").ToHttp();
        // An operator reviewing one organisation works in that organisation's scope for this request.
        scope.Set(partner.Id);
        var history = await registry.HistoryAsync(ct);
        return TypedResults.Ok(new PartnerDetailsView(PartnerView.Of(partner), [.. history.Select(PartnerEventView.Of)]));
    }

    private static async Task<Results<Ok<PartnerView>, ProblemHttpResult>> Reply(Task<Outcome<Partner>> pending)
    {
        var outcome = await pending;
        return outcome.Value is { } partner ? TypedResults.Ok(PartnerView.Of(partner)) : outcome.Problem!.ToHttp();
    }


    private static Actor Actor(HttpContext http) => SignedInUser.Require(http.User).ToActor();
}

public sealed record PartnerDetailsView(PartnerView Partner, IReadOnlyList<PartnerEventView> History);
