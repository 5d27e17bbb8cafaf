using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Core.Shared;
using DporReports.Web.Access;
using DporReports.Web.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Partners;

/// <summary>A partner organisation; <c>notificationLanguage</c> ("es" or "en") is the language of its mails and scheduled workbooks.</summary>
public sealed record PartnerView(Guid Id, string DisplayName, string NotificationEmail, string NotificationLanguage, PartnerStatus Status,
    string? StatusReason, IReadOnlyList<string> PartnerIds, DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt, Guid Version)
{
    public static PartnerView Of(Partner p) => new(p.Id, p.DisplayName, p.NotificationEmail, p.NotificationLanguage, p.Status, p.StatusReason,
        [.. p.MpnIds.Select(m => m.Value).Order(StringComparer.Ordinal)], p.RegisteredAt, p.UpdatedAt, p.Version);
}

public sealed record PartnerEventView(DateTimeOffset At, PartnerEventKind Kind, string ActorName, Guid ActorTenantId,
    PartnerSnapshot? Before, PartnerSnapshot After)
{
    public static PartnerEventView Of(PartnerEvent e) => new(e.At, e.Kind, e.ActorName, e.ActorTenantId, e.Before, e.After);
}

public sealed record PartnerLookupView(string PartnerId, string DisplayName, string Message);

/// <summary>
/// The whole registration (name, e-mail and Partner IDs required); <c>notificationLanguage</c> ("es" or "en", optional) changes
/// the language of the mails, left out it stays; <c>version</c> (optional) refuses a change made in between.
/// </summary>
public sealed record RegistrationUpdate(string? DisplayName, string? NotificationEmail, IReadOnlyList<string>? PartnerIds, Guid? Version = null,
    string? NotificationLanguage = null);

/// <summary>An operator's decision: the reason (required to reject or suspend) and, optionally, the version it was made on.</summary>
public sealed record ReviewDecision(string? Reason = null, Guid? Version = null);

public static class PartnersApi
{
    public static RouteGroupBuilder MapPartnersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/partners/lookup", LookupAsync)
            .RequireAuthorization(AccessPolicies.Customer)
            .WithTags(ApiTags.CustomerPartnerOfRecord).WithName("LookupPartner").Problems(400, 404, 429)
            .WithSummary("Look up an approved partner by Partner ID (MPN ID) before naming it partner of record.")
            .WithDescription("Paid from the caller's Partner ID lookup budget (per user and per tenant, per minute): 429 when spent.");

        var own = api.MapGroup("/partner/registration").WithTags(ApiTags.PartnerRegistration);
        own.MapGet("/", GetOwnAsync).RequireAuthorization(AccessPolicies.PartnerViewer)
            .WithName("GetRegistration").WithSummary("Your organisation's registration and its review status.").Problems(404);
        own.MapGet("/history", HistoryAsync).RequireAuthorization(AccessPolicies.PartnerViewer)
            .WithName("GetRegistrationHistory").WithSummary("The history of your organisation's registration, newest first.").Problems(404);
        own.MapPost("/", RegisterAsync).RequireAuthorization(AccessPolicies.PartnerApplicant)
            .WithName("Register").WithSummary("Register your organisation with its Partner IDs; an operator reviews it.")
            .WithDescription("notificationLanguage (es or en) is the language of the organisation's mails and scheduled workbooks; left out, "
                + "the language of the request (Accept-Language).")
            .Problems(400, 409, 429);
        own.MapPut("/", UpdateAsync).RequireAuthorization(AccessPolicies.PartnerApplicant)
            .WithName("UpdateRegistration").WithSummary("Replace your registration's name, notification e-mail and language, and Partner IDs.")
            .WithDescription("Changing the name or the Partner IDs sends the organisation back to review. version and notificationLanguage are "
                + "optional in the body; a language left out stays as it is.")
            .Problems(400, 404, 409, 429);
        own.MapDelete("/partner-ids/{partnerId}", RemoveMpnIdAsync).RequireAuthorization(AccessPolicies.PartnerApplicant)
            .WithName("RemovePartnerId").WithSummary("Remove one of your organisation's Partner IDs (one must remain).").Problems(400, 404, 409);

        var ops = api.MapGroup("/ops/partners").WithTags(ApiTags.Operations).RequireAuthorization(AccessPolicies.Operator);
        ops.MapGet("/", async (PartnerStatus? status, PartnerRegistry registry, CancellationToken ct) =>
                TypedResults.Ok((await registry.ListAsync(status, ct)).Select(PartnerView.Of)))
            .WithName("ListPartners").WithSummary("Partner organisations, optionally of one status, oldest registration first.").Problems(400);
        ops.MapGet("/{id:guid}", GetForOperatorAsync)
            .WithName("GetPartner").WithSummary("One partner organisation with its registration history.").Problems(404);
        ops.MapPost("/{id:guid}/approve", (Guid id, ReviewDecision? body, PartnerRegistry r, HttpContext http, CancellationToken ct) =>
                Reply(r.ApproveAsync(id, Actor(http), body?.Version, ct)))
            .WithName("ApprovePartner").WithSummary("Approve a pending organisation: customers can then name it partner of record.")
            .Problems(400, 404, 409);
        ops.MapPost("/{id:guid}/reject", (Guid id, ReviewDecision? body, PartnerRegistry r, HttpContext http, CancellationToken ct) =>
                Reply(r.RejectAsync(id, Actor(http), body?.Reason, body?.Version, ct)))
            .WithName("RejectPartner").WithSummary("Reject a pending organisation with a reason; its Partner IDs are released.")
            .Problems(400, 404, 409);
        ops.MapPost("/{id:guid}/suspend", (Guid id, ReviewDecision? body, PartnerRegistry r, HttpContext http, CancellationToken ct) =>
                Reply(r.SuspendAsync(id, Actor(http), body?.Reason, body?.Version, ct)))
            .WithName("SuspendPartner").WithSummary("Suspend an approved organisation with a reason: its partner features close.")
            .Problems(400, 404, 409);
        ops.MapPost("/{id:guid}/reinstate", (Guid id, ReviewDecision? body, PartnerRegistry r, HttpContext http, CancellationToken ct) =>
                Reply(r.ReinstateAsync(id, Actor(http), body?.Version, ct)))
            .WithName("ReinstatePartner").WithSummary("Reinstate a suspended organisation.").Problems(400, 404, 409);
        return api;
    }

    private static async Task<Results<Ok<PartnerLookupView>, ProblemHttpResult>> LookupAsync(string? partnerId, PartnerRegistry registry,
        HttpContext http, CancellationToken ct)
    {
        var lookup = await registry.LookupAsync(SignedInUser.Require(http.User), partnerId, ct);
        return lookup.Outcome switch
        {
            PartnerLookupOutcome.Found => TypedResults.Ok(new PartnerLookupView(lookup.PartnerIdValue, lookup.DisplayName!, lookup.Message)),
            PartnerLookupOutcome.Throttled => PartnerLookupBudget.Exhausted.ToHttp(),
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
            body is null ? null : new PartnerRegistration(body.DisplayName, body.NotificationEmail, body.PartnerIds, body.NotificationLanguage),
            body?.Version, ct));

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
