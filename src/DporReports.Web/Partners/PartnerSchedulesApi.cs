using DporReports.Core.Identity;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Shared;
using DporReports.Web.Access;
using DporReports.Web.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Partners;

public sealed record ScheduleView(Guid Id, string Name, string ReportId, IReadOnlyList<Guid> TenantIds, SchedulePeriod Period,
    ScheduleCadence Cadence, DayOfWeek? DayOfWeek, int? DayOfMonth, string? Time, string TimeZone, string Cron, IReadOnlyList<string> Recipients,
    bool Enabled, int Version, DateTimeOffset UpdatedAt, string UpdatedBy, IReadOnlyList<DateTimeOffset> NextRuns)
{
    public static ScheduleView Of(ReportSchedule s, ReportSchedules schedules) => new(s.Id, s.Name, s.ReportId, s.ScopeTenantIds, s.Period,
        s.Cadence, s.DayOfWeek, s.DayOfMonth, s.Cadence == ScheduleCadence.Cron ? null : s.TimeOfDay.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        s.TimeZoneId, s.Cron, s.RecipientList, s.Enabled, s.Version, s.UpdatedAt, s.UpdatedBy, schedules.NextRuns(s, 3));
}

public sealed record ScheduleRunView(Guid Id, DateOnly From, DateOnly To, ScheduleRunStatus Status, string TriggeredBy, int Attempts,
    DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, Guid? FileId, int? Rows, long? Size, IReadOnlyList<string> Recipients,
    bool AttachmentIncluded, string? Problem)
{
    public static ScheduleRunView Of(ReportScheduleRun r) => new(r.Id, r.From, r.To, r.Status, r.TriggeredBy, r.Attempts, r.StartedAt,
        r.CompletedAt, r.GeneratedReportId, r.Rows, r.Size, r.RecipientList, r.AttachmentIncluded, r.Problem);
}

public sealed record ScheduleRunQueued(Guid ScheduleId, DateOnly From, DateOnly To);

public sealed record RecipientDomainView(string Domain, RecipientDomainSource Source, DateTimeOffset AddedAt, string AddedBy)
{
    public static RecipientDomainView Of(RecipientDomain d) => new(d.Domain, d.Source, d.AddedAt, d.AddedBy);
}

/// <summary>The complete list of operator-allowed domains (<c>[]</c> for none): required, since it replaces the list.</summary>
public sealed record RecipientDomainsUpdate(IReadOnlyList<string>? Domains);

/// <summary>
/// Report schedules: partner members read them and their run history; partner admins create, change, delete and run them
/// now. Every id is the partner's own or 404. Operators manage the extra recipient domains a partner may mail to.
/// </summary>
public static class PartnerSchedulesApi
{
    public static RouteGroupBuilder MapPartnerSchedulesApi(this RouteGroupBuilder api)
    {
        var schedules = api.MapGroup("/partner/report-schedules").WithTags(ApiTags.PartnerSchedules)
            .RequireAuthorization(AccessPolicies.PartnerMember);
        schedules.MapGet("/", async (ReportSchedules s, CancellationToken ct) => TypedResults.Ok((await s.ListAsync(ct)).Select(x => ScheduleView.Of(x, s))))
            .WithName("ListSchedules").WithSummary("Your report schedules with their next run times.");
        schedules.MapGet("/recipient-domains", async (ReportSchedules s, CancellationToken ct) =>
                TypedResults.Ok((await s.RecipientDomainsAsync(ct)).Select(RecipientDomainView.Of)))
            .WithName("ListRecipientDomains").WithSummary("The domains your schedules may mail to.");
        schedules.MapGet("/{id:guid}", async (Guid id, ReportSchedules s, CancellationToken ct) => Reply(await s.FindAsync(id, ct), s))
            .WithName("GetSchedule").WithSummary("One schedule.").Problems(404);
        schedules.MapGet("/{id:guid}/runs", RunsAsync).WithName("ListScheduleRuns").Problems(404)
            .WithSummary("A schedule's runs, newest first: period, rows, size, recipients, failures.");
        schedules.MapPost("/", CreateAsync).RequireAuthorization(AccessPolicies.PartnerAdmin).WithName("CreateSchedule").Problems(400)
            .WithSummary("Create a schedule: report, scope, period rule, cadence at a time in an IANA time zone, recipients.");
        schedules.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(AccessPolicies.PartnerAdmin).WithName("UpdateSchedule").Problems(400, 404, 409)
            .WithSummary("Replace a schedule's settings; pass ?version= to refuse a change made in between.");
        schedules.MapDelete("/{id:guid}", async (Guid id, ReportSchedules s, HttpContext http, CancellationToken ct) =>
                Reply(await s.DeleteAsync(id, SignedInUser.Require(http.User), ct), s))
            .RequireAuthorization(AccessPolicies.PartnerAdmin).WithName("DeleteSchedule").Problems(404)
            .WithSummary("Delete a schedule; its runs and files stay in your history.");
        schedules.MapPost("/{id:guid}/run", RunNowAsync).RequireAuthorization(AccessPolicies.PartnerAdmin).WithName("RunSchedule").Problems(404, 409)
            .WithSummary("Run the schedule now for the period it would cover today.");

        var ops = api.MapGroup("/ops/partners/{partnerId:guid}/recipient-domains").WithTags(ApiTags.Operations)
            .RequireAuthorization(AccessPolicies.Operator);
        ops.MapGet("/", async (Guid partnerId, OperatorRecipientDomains d, CancellationToken ct) => Domains(await d.ListAsync(partnerId, ct)))
            .WithName("GetPartnerRecipientDomains").WithSummary("The domains a partner's schedules may mail to.").Problems(404);
        ops.MapPut("/", SetDomainsAsync)
            .WithName("SetPartnerRecipientDomains").Problems(400, 404)
            .WithSummary("Set the extra domains (besides the partner's own verified ones) its schedules may mail to.");
        return api;
    }

    private static async Task<Results<Created<ScheduleView>, ProblemHttpResult>> CreateAsync(ScheduleInput? body, ReportSchedules schedules,
        HttpContext http, CancellationToken ct)
    {
        var outcome = await schedules.CreateAsync(body ?? Empty, SignedInUser.Require(http.User), ct);
        return outcome.Value is { } schedule
            ? TypedResults.Created($"/api/partner/report-schedules/{schedule.Id}", ScheduleView.Of(schedule, schedules))
            : outcome.Problem!.ToHttp();
    }

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> UpdateAsync(Guid id, int? version, ScheduleInput? body,
        ReportSchedules schedules, HttpContext http, CancellationToken ct) =>
        Reply(await schedules.UpdateAsync(id, body ?? Empty, version, SignedInUser.Require(http.User), ct), schedules);

    private static async Task<Results<Ok<List<ScheduleRunView>>, ProblemHttpResult>> RunsAsync(Guid id, ReportSchedules schedules, CancellationToken ct)
    {
        var found = await schedules.FindAsync(id, ct);
        return found.Problem is { } problem ? problem.ToHttp() : TypedResults.Ok((await schedules.RunsAsync(id, ct)).Select(ScheduleRunView.Of).ToList());
    }

    private static async Task<Results<Accepted<ScheduleRunQueued>, ProblemHttpResult>> RunNowAsync(Guid id, ReportSchedules schedules,
        HttpContext http, CancellationToken ct)
    {
        var outcome = await schedules.RunNowAsync(id, SignedInUser.Require(http.User), ct);
        return outcome.Problem is { } problem
            ? problem.ToHttp()
            : TypedResults.Accepted($"/api/partner/report-schedules/{id}/runs", new ScheduleRunQueued(id, outcome.Value.From, outcome.Value.To));
    }

    private static Results<Ok<ScheduleView>, ProblemHttpResult> Reply(Outcome<ReportSchedule> outcome, ReportSchedules schedules) =>
        outcome.Value is { } schedule ? TypedResults.Ok(ScheduleView.Of(schedule, schedules)) : outcome.Problem!.ToHttp();

    private static async Task<Results<Ok<List<RecipientDomainView>>, ProblemHttpResult>> SetDomainsAsync(Guid partnerId, RecipientDomainsUpdate body,
        OperatorRecipientDomains domains, HttpContext http, CancellationToken ct) =>
        // A missing or null list is refused, not read as "no domains": that would clear what operators allowed.
        body.Domains is null
            ? Problem.Validation("domains", "Give the complete list of extra domains, [] for none.").ToHttp()
            : Domains(await domains.SetAsync(partnerId, body.Domains, SignedInUser.Require(http.User).DisplayName, ct));

    private static Results<Ok<List<RecipientDomainView>>, ProblemHttpResult> Domains(Outcome<List<RecipientDomain>> outcome) =>
        outcome.Value is { } domains ? TypedResults.Ok(domains.Select(RecipientDomainView.Of).ToList()) : outcome.Problem!.ToHttp();

    private static readonly ScheduleInput Empty = new(null, null, null, null, null, null, null, null);
}
