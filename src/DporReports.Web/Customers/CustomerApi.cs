using DporReports.Core.Adoption;
using DporReports.Core.Assignments;
using DporReports.Core.Identity;
using DporReports.Core.Shared;
using DporReports.Core.Tenants;
using DporReports.Web.Access;
using DporReports.Web.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Customers;

public sealed record CustomerSubscriptionsView(Guid TenantId, string TenantName, ConsentStatus ConsentStatus, DateTimeOffset? LastInventorySyncAt,
    bool CanChangePartnerOfRecord, string WhoCanChange, IReadOnlyList<SubscriptionRow> Subscriptions);

/// <summary>The Partner ID to name; <c>version</c> (optional) refuses the change if the subscription's partner of record changed since.</summary>
public sealed record AssignPartnerRequest(string? PartnerId, Guid? Version = null);

public sealed record PartnerOfRecordResult(Guid SubscriptionId, Guid Version, PartnerOfRecordView? PartnerOfRecord);

/// <summary>
/// The tenant's own adoption signals and the "where to help" items among them: the figures its partners of record see,
/// with every day visible (the customer owns its usage). Entries follow the partner API's <c>GET /api/partner/help</c>.
/// </summary>
public sealed record CustomerAdoptionView(Guid TenantId, DateOnly AsOf, IReadOnlyList<SubscriptionSignals> Subscriptions,
    IReadOnlyList<CustomerHelpEntry> Help);

/// <summary>One "where to help" item of the customer's own tenant.</summary>
public sealed record CustomerHelpEntry(int Rank, Guid SubscriptionId, string ProductName, HelpReason Reason, decimal Figure, int SeatsAtStake);

/// <summary>The customer's partner-of-record API. The tenant is always the signed-in user's own: never a route value.</summary>
public static class CustomerApi
{
    public static RouteGroupBuilder MapCustomerApi(this RouteGroupBuilder api)
    {
        var customer = api.MapGroup("/customer").WithTags(ApiTags.CustomerPartnerOfRecord).RequireAuthorization(AccessPolicies.Customer);
        customer.MapGet("/subscriptions", SubscriptionsAsync)
            .WithName("ListSubscriptions").WithSummary("The signed-in tenant's subscriptions with their current partner of record.");
        customer.MapPut("/subscriptions/{id:guid}/partner-of-record", AssignAsync)
            .WithName("AssignPartnerOfRecord")
            .WithSummary("Name or change the partner of record of one subscription (tenant's own Global Administrator only).")
            .WithDescription("The Partner ID is paid from the caller's lookup budget (429 when spent). Pass version to refuse a change made meanwhile.")
            .Problems(400, 404, 409, 429);
        customer.MapDelete("/subscriptions/{id:guid}/partner-of-record", RemoveAsync)
            .WithName("RemovePartnerOfRecord").WithSummary("Remove the partner of record of one subscription; ?version= makes it conditional.")
            .Problems(400, 404, 409);
        customer.MapPost("/partner-of-record/assign-unassigned", AssignUnassignedAsync)
            .WithName("AssignPartnerToUnassigned").WithSummary("Name one partner for every subscription without one, all or nothing.")
            .WithDescription("The Partner ID is paid from the caller's lookup budget (429 when spent).")
            .Problems(400, 409, 429);
        customer.MapGet("/partner-of-record/history", HistoryAsync)
            .WithName("GetCustomerHistory").WithSummary("The tenant's partner-of-record ledger, newest first (take: 1 to 1000, default 200).")
            .Problems(400);
        customer.MapGet("/adoption", AdoptionAsync)
            .WithName("GetTenantAdoption").WithTags(ApiTags.CustomerPartnerOfRecord)
            .WithSummary("The tenant's adoption signals and where help would matter most: what its partners of record see.")
            .WithDescription("For the tenant's own Global Administrators, Global Readers and Reports Readers (403 with the reason otherwise). " +
                "asOf defaults to today.")
            .Problems(400, 403);
        return api;
    }

    private static async Task<Results<Ok<CustomerAdoptionView>, ProblemHttpResult>> AdoptionAsync(HttpContext http, AdoptionQuery adoption,
        TimeProvider clock, DateOnly? asOf, CancellationToken ct)
    {
        var user = SignedInUser.Require(http.User);
        var reader = TenantUsageReaderRule.Evaluate(user);
        if (!reader.Allowed) return Problem.Forbidden("not_usage_reader", reader.Reason).ToHttp();
        var day = DateInput.Day(asOf, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), "asOf");
        if (day.Problem is { } badDay) return badDay.ToHttp();
        var signals = await adoption.TenantSignalsAsync(user.TenantId, day.Value, ct);
        var help = WhereToHelp.Rank(signals, HelpRules.Default);
        return TypedResults.Ok(new CustomerAdoptionView(user.TenantId, day.Value, signals,
            [.. help.Select((item, i) => new CustomerHelpEntry(i + 1, item.Subscription.SubscriptionId, item.Subscription.ProductName, item.Reason,
                item.Figure, item.Impact))]));
    }

    private static async Task<Results<Ok<List<LedgerEntry>>, ProblemHttpResult>> HistoryAsync(HttpContext http, PartnerOfRecordQueries queries,
        int? take, CancellationToken ct) =>
        Paging.Take(take) is { Problem: { } invalid }
            ? invalid.ToHttp()
            : TypedResults.Ok(await queries.LedgerOfTenantAsync(SignedInUser.Require(http.User).TenantId, take ?? Paging.DefaultTake, ct));

    private static async Task<Ok<CustomerSubscriptionsView>> SubscriptionsAsync(HttpContext http, TenantConnections tenants,
        PartnerOfRecordQueries queries, CancellationToken ct)
    {
        var user = SignedInUser.Require(http.User);
        var tenant = await tenants.FindAsync(user.TenantId, ct);
        var decision = GlobalAdministratorRule.Evaluate(user, user.TenantId);
        return TypedResults.Ok(new CustomerSubscriptionsView(user.TenantId, tenant?.DisplayName ?? user.TenantId.ToString(),
            tenant?.ConsentStatus ?? ConsentStatus.NotConnected, tenant?.LastInventorySyncAt, decision.Allowed, decision.Reason,
            await queries.SubscriptionsOfTenantAsync(user.TenantId, ct)));
    }

    private static async Task<Results<Ok<PartnerOfRecordResult>, ProblemHttpResult>> AssignAsync(Guid id, AssignPartnerRequest? body,
        HttpContext http, PartnerOfRecordService service, PartnerOfRecordQueries queries, CancellationToken ct)
    {
        var outcome = await service.AssignAsync(SignedInUser.Require(http.User), id, body?.PartnerId, body?.Version, ct);
        return outcome.Problem is { } problem ? problem.ToHttp() : TypedResults.Ok(await ResultAsync(http, queries, id, outcome.Value, ct));
    }

    private static async Task<Results<Ok<PartnerOfRecordResult>, ProblemHttpResult>> RemoveAsync(Guid id, Guid? version, HttpContext http,
        PartnerOfRecordService service, PartnerOfRecordQueries queries, CancellationToken ct)
    {
        var outcome = await service.RemoveAsync(SignedInUser.Require(http.User), id, version, ct);
        return outcome.Problem is { } problem ? problem.ToHttp() : TypedResults.Ok(await ResultAsync(http, queries, id, outcome.Value, ct));
    }

    private static async Task<Results<Ok<BulkAssignmentResult>, ProblemHttpResult>> AssignUnassignedAsync(AssignPartnerRequest? body,
        HttpContext http, PartnerOfRecordService service, CancellationToken ct)
    {
        var outcome = await service.AssignUnassignedAsync(SignedInUser.Require(http.User), body?.PartnerId, ct);
        return outcome.Problem is { } problem ? problem.ToHttp() : TypedResults.Ok(outcome.Value!);
    }

    private static async Task<PartnerOfRecordResult> ResultAsync(HttpContext http, PartnerOfRecordQueries queries, Guid id, Guid version,
        CancellationToken ct)
    {
        var row = (await queries.SubscriptionsOfTenantAsync(SignedInUser.Require(http.User).TenantId, ct)).Single(s => s.Id == id);
        return new PartnerOfRecordResult(id, version, row.PartnerOfRecord);
    }

}
