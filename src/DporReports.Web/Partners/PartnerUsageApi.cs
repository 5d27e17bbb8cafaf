using DporReports.Core.Reports;
using DporReports.Core.Shared;
using DporReports.Core.Subscriptions;
using DporReports.Web.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Partners;

public sealed record WorkloadTotal(Workload Workload, int Seats, int ActiveUsers, decimal? UsagePercent);

public sealed record UsageSummary(DateOnly AsOf, int Customers, int Subscriptions, int Seats, IReadOnlyList<WorkloadTotal> Workloads,
    int Page, int PageSize, int TotalPages, IReadOnlyList<CustomerUsage> Items);

public sealed record CustomerUsageDetail(CustomerUsage Customer, DateOnly From, DateOnly To, IReadOnlyList<DailyActiveUsers> DailyActiveUsers);

/// <summary>Usage as JSON for partners: every figure passes through <see cref="PartnerUsageQuery"/> (verified windows only).</summary>
public static class PartnerUsageApi
{
    public static RouteGroupBuilder MapPartnerUsageApi(this RouteGroupBuilder api)
    {
        var partner = api.MapGroup("/partner").WithTags("Partner: usage").RequireAuthorization(AccessPolicies.PartnerMember);
        partner.MapGet("/usage/summary", SummaryAsync)
            .WithSummary("Portfolio totals and per-customer usage (MAU, PAU, usage %) as of a day, paged by customer.");
        partner.MapGet("/customers/{tenantId:guid}/usage", CustomerAsync)
            .WithSummary("One customer's subscriptions with per-workload usage and its daily active users over a period.");
        return api;
    }

    private static async Task<Results<Ok<UsageSummary>, ProblemHttpResult>> SummaryAsync(PartnerUsageQuery usage, TimeProvider clock,
        DateOnly? asOf, int? page, int? pageSize, CancellationToken ct)
    {
        var day = asOf ?? Today(clock);
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var customers = await usage.CustomersAsync(await usage.WindowsAsync(ct), day, onlyTenant: null, ct);
        var totalPages = Math.Max(1, (customers.Count + size - 1) / size);
        var current = Math.Clamp(page ?? 1, 1, totalPages);
        var latest = customers.SelectMany(c => c.Subscriptions).SelectMany(s => s.Workloads).ToList();
        var workloads = Enum.GetValues<Workload>().Select(w =>
        {
            var rows = latest.Where(u => u.Workload == w).ToList();
            var seats = rows.Sum(r => r.Seats);
            var active = rows.Sum(r => r.ActiveUsers);
            return new WorkloadTotal(w, seats, active, seats == 0 ? null : Math.Round((decimal)active / seats, 4));
        }).ToList();
        return TypedResults.Ok(new UsageSummary(day, customers.Count, customers.Sum(c => c.Subscriptions.Count),
            customers.SelectMany(c => c.Subscriptions).Sum(s => s.Seats), workloads, current, size, totalPages,
            [.. customers.Skip((current - 1) * size).Take(size)]));
    }

    private static async Task<Results<Ok<CustomerUsageDetail>, ProblemHttpResult>> CustomerAsync(Guid tenantId, PartnerUsageQuery usage,
        TimeProvider clock, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var until = to ?? Today(clock);
        var since = from ?? until.AddDays(-27);
        if (since > until || until.DayNumber - since.DayNumber > 366)
            return Problem.Validation("from", "The period must run forward and span at most 366 days.").ToHttp();
        var windows = await usage.WindowsAsync(ct);
        // A tenant the partner holds no verified window in answers exactly like one that does not exist.
        if ((await usage.CustomersAsync(windows, until, tenantId, ct)).SingleOrDefault() is not { } customer)
            return Problem.NotFound("unknown_customer", "You are not the verified partner of record of any subscription of this customer.").ToHttp();
        var days = (await usage.DailyActiveUsersAsync(windows, [tenantId], since, until, ct)).GetValueOrDefault(tenantId) ?? [];
        return TypedResults.Ok(new CustomerUsageDetail(customer, since, until, days));
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
