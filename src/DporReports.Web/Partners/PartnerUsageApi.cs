using DporReports.Core.Adoption;
using DporReports.Core.Languages;
using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;
using DporReports.Core.Shared;
using DporReports.Core.Usage;
using DporReports.Web.Access;
using DporReports.Web.Operations;
using DporReports.Web.Pages.PartnerUsage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Partners;

/// <summary>
/// The portfolio as of a day: totals, and the customers matching the search and filter, sorted and paged — the same rows,
/// parameters and figures as the /partner/usage page (both read <see cref="PartnerPortfolios"/>).
/// </summary>
public sealed record UsageSummary(DateOnly AsOf, int Customers, int Subscriptions, int Seats, IReadOnlyList<WorkloadTotal> Workloads,
    decimal? OverallUsage, decimal? OverallUsageChange, int Matches, int Page, int PageSize, int TotalPages, IReadOnlyList<PortfolioCustomer> Items);

/// <summary>
/// The dashboard of a period (the page's <c>period</c> choices): key figures against the previous period of equal length, the
/// portfolio trend per workload with its 7-day average, the biggest risers and fallers, and the small trend of each customer
/// on the requested page of the portfolio (same <c>q</c>, <c>below</c>, <c>sort</c>, <c>dir</c>, <c>page</c> as the summary).
/// </summary>
public sealed record UsageDashboard(string Period, DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo,
    IReadOnlyList<KeyFigure> KeyFigures, IReadOnlyList<TrendDay> Trend, IReadOnlyList<UsageMover> Risers, IReadOnlyList<UsageMover> Fallers,
    int Page, int TotalPages, IReadOnlyList<CustomerTrend> Customers);

/// <summary>A customer's small trend: per day, its daily active users in its most-active workload that day.</summary>
public sealed record CustomerTrend(Guid TenantId, string TenantName, IReadOnlyList<CustomerDay> Days);

/// <summary>
/// One customer's usage; <c>CopilotApps</c>: each of its Copilot subscriptions' MAU per Copilot app, on the subscription's
/// as-of day (empty when the partner holds no Copilot subscription of the customer).
/// </summary>
public sealed record CustomerUsageDetail(CustomerUsage Customer, DateOnly From, DateOnly To, IReadOnlyList<DailyActiveUsers> DailyActiveUsers,
    IReadOnlyList<CopilotAppUsage> CopilotApps);

/// <summary>
/// One entry of "where to help" (reports/README.md): rank, the subscription, the reason, the figure that put it there (a
/// fraction for usage % and changes, a count of seats or users, days to a renewal), the seats or users at stake, the score
/// the list is sorted by and the same sentence the page shows, in the request's language.
/// </summary>
public sealed record HelpEntry(int Rank, Guid TenantId, string CustomerName, Guid SubscriptionId, string ProductName, string Reference,
    HelpReason Reason, Workload? Workload, decimal Figure, int SeatsAtStake, int Score, string Why);

/// <summary>The ranked list over the partner's subscriptions as of a day, with the thresholds it was made with.</summary>
public sealed record HelpList(DateOnly AsOf, int Subscriptions, HelpRules Rules, IReadOnlyList<HelpEntry> Items);

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
        partner.MapGet("/usage/dashboard", DashboardAsync)
            .WithName("GetUsageDashboard").Problems(400)
            .WithSummary("Key figures against the previous period, the trend with its 7-day average, biggest changes and per-customer trends.")
            .WithDescription("period is 28d (default), 3m, 6m or a calendar month (YYYY-MM), as on the page; the previous period has the same " +
                "length and ends the day before. A key figure without data in the previous period has previous, change and changePercent null. " +
                "Customers (their small trends) follow q, below, sort, dir, page and pageSize as in the summary.");
        partner.MapGet("/customers/{tenantId:guid}/usage", CustomerAsync)
            .WithName("GetCustomerUsage").Problems(400, 404)
            .WithSummary("One customer's subscriptions with per-workload usage (Microsoft 365 Copilot's MAU per app too) and its daily active users over a period.")
            .WithDescription("from and to default to the last 28 days; both lie between 2010-01-01 and today, at most 366 days apart.");
        partner.MapGet("/help", HelpAsync)
            .WithName("GetWhereToHelp").Problems(400)
            .WithSummary("Where to help: the partner's subscriptions ranked by the seats or users at stake, each with its reason and figure.")
            .WithDescription("The rule (reasons, thresholds, order) is reports/README.md \"Where to help\", the same as the /partner/help page and the " +
                "where-to-help workbook. asOf defaults to today.");
        partner.MapGet("/adoption", AdoptionAsync)
            .WithName("GetAdoptionSignals").Problems(400)
            .WithSummary("Adoption signals of every subscription the partner is the verified partner of record of, per workload.")
            .WithDescription("Seats never assigned, licensed users inactive for 28 and 90 days, MAU and daily active users week over week and " +
                "month over month, days to renewal (reports/README.md \"Adoption signals\"); counts only, through the verified windows.");
        return api;
    }

    private static async Task<Results<Ok<HelpList>, ProblemHttpResult>> HelpAsync(AdoptionQuery adoption, TimeProvider clock,
        IStringLocalizer<Texts> T, DateOnly? asOf, CancellationToken ct)
    {
        var day = DateInput.Day(asOf, Today(clock), "asOf");
        if (day.Problem is { } badDay) return badDay.ToHttp();
        var (ranked, subscriptions) = await adoption.PartnerHelpAsync(day.Value, ct);
        return TypedResults.Ok(new HelpList(day.Value, subscriptions, HelpRules.Default, [.. ranked.Select((item, i) => new HelpEntry(i + 1,
            item.Subscription.TenantId, item.Subscription.TenantName, item.Subscription.SubscriptionId, item.Subscription.ProductName,
            item.Subscription.Reference, item.Reason, item.Workload, item.Figure, item.Impact, item.Score, HelpTexts.Why(T, item)))]));
    }

    private static async Task<Results<Ok<IReadOnlyList<SubscriptionSignals>>, ProblemHttpResult>> AdoptionAsync(AdoptionQuery adoption, TimeProvider clock,
        DateOnly? asOf, CancellationToken ct)
    {
        var day = DateInput.Day(asOf, Today(clock), "asOf");
        if (day.Problem is { } badDay) return badDay.ToHttp();
        return TypedResults.Ok(await adoption.PartnerSignalsAsync(day.Value, ct));
    }

    private static async Task<Results<KeptJson<UsageSummary>, ProblemHttpResult>> SummaryAsync(PartnerPortfolios portfolios, TimeProvider clock,
        DateOnly? asOf, string? q, string? below, string? sort, string? dir, int? page, int? pageSize, CancellationToken ct)
    {
        var (query, problems) = PortfolioQuery.FromParameters(q, below, sort, dir, page, Math.Clamp(pageSize ?? 50, 1, 200));
        if (problems.Count > 0) return problems[0].ToHttp();
        var asOfDay = DateInput.Day(asOf, Today(clock), "asOf");
        if (asOfDay.Problem is { } badDay) return badDay.ToHttp();
        var day = asOfDay.Value;
        // The dashboard's default period (the last 28 days) ending on that day: the page and the API share one computed portfolio.
        var (from, to) = PartnerDashboard.DefaultPeriod(day);
        var portfolio = await portfolios.GetAsync(from, to, ct);
        // The portfolio is immutable and of one data version: the same query's answer is the same bytes until it is replaced.
        return new KeptJson<UsageSummary>(portfolio, query, () =>
        {
            var selected = portfolio.Select(query);
            return new UsageSummary(day, portfolio.Customers.Count, portfolio.SubscriptionCount, portfolio.Seats, portfolio.Workloads,
                portfolio.OverallUsage, portfolio.OverallUsageChange, selected.Matches, selected.Page, selected.PageSize, selected.TotalPages, selected.Items);
        });
    }

    private static async Task<Results<Ok<UsageDashboard>, ProblemHttpResult>> DashboardAsync(PartnerPortfolios portfolios, PartnerUsageQuery usage,
        TimeProvider clock, string? period, string? q, string? below, string? sort, string? dir, int? page, int? pageSize, CancellationToken ct)
    {
        var (query, problems) = PortfolioQuery.FromParameters(q, below, sort, dir, page, Math.Clamp(pageSize ?? 50, 1, 200));
        if (problems.Count > 0) return problems[0].ToHttp();
        var range = UsagePeriod.Parse(period, Today(clock), out var periodError);
        if (periodError is not null) return Problem.Validation("period", "The period is 28d, 3m, 6m or a month (YYYY-MM) from 2010-01 to this month.").ToHttp();
        var dashboard = await PartnerDashboard.LoadAsync(portfolios, range.From, range.To, ct);
        var selected = dashboard.Portfolio.Select(query);
        var trends = await PartnerDashboard.CustomerTrendsAsync(usage, dashboard.Portfolio, [.. selected.Items.Select(c => c.TenantId)], range.From, range.To, ct);
        return TypedResults.Ok(new UsageDashboard(range.Key, range.From, range.To, dashboard.PreviousFrom, dashboard.PreviousTo, dashboard.KeyFigures,
            dashboard.Trend, dashboard.Risers, dashboard.Fallers, selected.Page, selected.TotalPages,
            [.. selected.Items.Select(c => new CustomerTrend(c.TenantId, c.TenantName, trends.GetValueOrDefault(c.TenantId) ?? []))]));
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
