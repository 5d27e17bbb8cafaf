using DporReports.Core.Reports;
using DporReports.Core.Shared;
using DporReports.Core.Usage;
using DporReports.Web.Access;
using DporReports.Web.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Partners;

/// <summary>
/// The portfolio as of a day: totals, and the customers matching the search and filter, sorted and paged — the same rows,
/// parameters and figures as the /partner/usage page (both read <see cref="PartnerPortfolios"/>).
/// </summary>
public sealed record UsageSummary(DateOnly AsOf, int Customers, int Subscriptions, int Seats, IReadOnlyList<WorkloadTotal> Workloads,
    decimal? OverallUsage, decimal? OverallUsageChange, int Matches, int Page, int PageSize, int TotalPages, IReadOnlyList<PortfolioCustomer> Items);

/// <summary>
/// One customer's usage; <c>CopilotApps</c>: each of its Copilot subscriptions' MAU per Copilot app, on the subscription's
/// as-of day (empty when the partner holds no Copilot subscription of the customer).
/// </summary>
public sealed record CustomerUsageDetail(CustomerUsage Customer, DateOnly From, DateOnly To, IReadOnlyList<DailyActiveUsers> DailyActiveUsers,
    IReadOnlyList<CopilotAppUsage> CopilotApps);

/// <summary>Usage as JSON for partners: every figure passes through <see cref="PartnerUsageQuery"/> (verified windows only).</summary>
public static class PartnerUsageApi
{
    public static RouteGroupBuilder MapPartnerUsageApi(this RouteGroupBuilder api)
    {
        var partner = api.MapGroup("/partner").WithTags(ApiTags.PartnerUsage).RequireAuthorization(AccessPolicies.PartnerMember);
        partner.MapGet("/usage/summary", SummaryAsync)
            .WithName("GetUsageSummary").Problems(400)
            .WithSummary("Portfolio totals and per-customer usage as of a day (default today, never in the future).")
            .WithDescription("Portfolio totals and per-customer usage (MAU, PAU, usage %, overall usage % and its change against the previous " +
                "month) as of a day; search (q), filter (below: overall usage under N %), sort (sort, dir) and paging (page, pageSize) as on the page.");
        partner.MapGet("/customers/{tenantId:guid}/usage", CustomerAsync)
            .WithName("GetCustomerUsage").Problems(400, 404)
            .WithSummary("One customer's subscriptions with per-workload usage (Microsoft 365 Copilot's MAU per app too) and its daily active users over a period.")
            .WithDescription("from and to default to the last 28 days; both lie between 2010-01-01 and today, at most 366 days apart.");
        return api;
    }

    private static async Task<Results<Ok<UsageSummary>, ProblemHttpResult>> SummaryAsync(PartnerPortfolios portfolios, TimeProvider clock,
        DateOnly? asOf, string? q, string? below, string? sort, string? dir, int? page, int? pageSize, CancellationToken ct)
    {
        var (query, problems) = PortfolioQuery.FromParameters(q, below, sort, dir, page, Math.Clamp(pageSize ?? 50, 1, 200));
        if (problems.Count > 0) return problems[0].ToHttp();
        var asOfDay = DateInput.Day(asOf, Today(clock), "asOf");
        if (asOfDay.Problem is { } badDay) return badDay.ToHttp();
        var day = asOfDay.Value;
        // The dashboard's default period (the last 28 days) ending on that day: the page and the API share one computed portfolio.
        var portfolio = await portfolios.GetAsync(day.AddDays(-27), day, ct);
        var selected = portfolio.Select(query);
        return TypedResults.Ok(new UsageSummary(day, portfolio.Customers.Count, portfolio.SubscriptionCount, portfolio.Seats, portfolio.Workloads,
            portfolio.OverallUsage, portfolio.OverallUsageChange, selected.Matches, selected.Page, selected.PageSize, selected.TotalPages, selected.Items));
    }

    private static async Task<Results<Ok<CustomerUsageDetail>, ProblemHttpResult>> CustomerAsync(Guid tenantId, PartnerUsageQuery usage,
        TimeProvider clock, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var period = DateInput.Period(from, to, Today(clock));
        if (period.Problem is { } invalid) return invalid.ToHttp();
        var (since, until) = period.Value;
        var windows = await usage.WindowsAsync(ct);
        // A tenant the partner holds no verified window in answers exactly like one that does not exist.
        if ((await usage.CustomersAsync(windows, until, tenantId, ct)).SingleOrDefault() is not { } customer)
            return Problem.NotFound("unknown_customer", "You are not the verified partner of record of any subscription of this customer.").ToHttp();
        var days = (await usage.DailyActiveUsersAsync(windows, [tenantId], since, until, ct)).GetValueOrDefault(tenantId) ?? [];
        var copilot = await usage.CopilotAppsAsync(customer.Subscriptions, ct);
        return TypedResults.Ok(new CustomerUsageDetail(customer, since, until, days, [.. copilot.Values.SelectMany(apps => apps)]));
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
