using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Reports;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Shared;
using DporReports.Core.Tenancy;
using DporReports.Web.Access;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Web.Partners;

public sealed record ReportRequest(string? ReportId, DateOnly? From, DateOnly? To, IReadOnlyList<Guid>? TenantIds);

public sealed record GeneratedReportView(Guid Id, string ReportId, string Title, DateOnly From, DateOnly To, IReadOnlyList<Guid> TenantIds,
    GeneratedReportStatus Status, string? FailureReason, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string? FileName, long? Size,
    string? Sha256)
{
    public static GeneratedReportView Of(GeneratedReport r) => new(r.Id, r.ReportId, r.Title, r.From, r.To, r.ScopeTenantIds, r.Status,
        r.FailureReason, r.RequestedAt, r.CompletedAt, r.FileName, r.Size, r.Sha256);
}

/// <summary>Workbooks on demand: request one, follow its progress, download it. Every id is the partner's own or 404.</summary>
public static class PartnerReportsApi
{
    public static RouteGroupBuilder MapPartnerReportsApi(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/partner/reports").WithTags("Partner: workbooks").RequireAuthorization(AccessPolicies.PartnerMember);
        reports.MapPost("/", RequestAsync).WithSummary("Queue a workbook: report id, period (from, to) and scope (tenant ids, or all).");
        reports.MapGet("/files", async (DporDbContext db, CancellationToken ct) => TypedResults.Ok(
                (await db.Set<GeneratedReport>().AsNoTracking().OrderByDescending(r => r.RequestedAt).Take(200).ToListAsync(ct)).Select(GeneratedReportView.Of)))
            .WithSummary("Your workbooks, newest first, with their progress.");
        reports.MapGet("/files/{id:guid}", DownloadAsync).WithSummary("Download a finished workbook.");
        return api;
    }

    private static async Task<Results<Accepted<GeneratedReportView>, ProblemHttpResult>> RequestAsync(ReportRequest? body, HttpContext http,
        ReportCatalog catalog, PartnerUsageQuery usage, PartnerScope scope, DporDbContext db, IBackgroundJobClient jobs, TimeProvider clock,
        CancellationToken ct)
    {
        if (catalog.Find(body?.ReportId ?? "") is not { } definition)
            return Problem.Validation("reportId", $"Unknown report. Known: {string.Join(", ", catalog.All.Select(r => r.Id))}.").ToHttp();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var to = body!.To ?? today;
        var from = body.From ?? to.AddDays(-27);
        if (from > to || to > today || to.DayNumber - from.DayNumber > 366)
            return Problem.Validation("from", "The period must run forward, end no later than today and span at most 366 days.").ToHttp();
        var tenants = (body.TenantIds ?? []).Distinct().ToList();
        var mine = (await usage.WindowsAsync(ct)).Select(w => w.TenantId).ToHashSet();
        if (tenants.FirstOrDefault(t => !mine.Contains(t)) is var unknown && unknown != Guid.Empty)
            return Problem.Validation("tenantIds", $"You are not the verified partner of record of any subscription of tenant {unknown}.").ToHttp();

        var user = SignedInUser.From(http.User)!;
        var report = GeneratedReport.Request(scope.PartnerId, definition.Id, definition.Title, from, to, tenants, user.DisplayName, clock.GetUtcNow());
        db.Add(report);
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<GenerateReportJob>(j => j.RunAsync(report.PartnerId, report.Id, CancellationToken.None));
        return TypedResults.Accepted($"/api/partner/reports/files/{report.Id}", GeneratedReportView.Of(report));
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(Guid id, DporDbContext db, IReportFileStore files,
        CancellationToken ct)
    {
        // Partner-scoped: another partner's file id is indistinguishable from one that does not exist.
        var report = await db.Set<GeneratedReport>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (report is null) return Problem.NotFound("unknown_report_file", "You have no workbook with this id.").ToHttp();
        if (report.Status != GeneratedReportStatus.Done)
            return Problem.Conflict("report_not_ready", report.Status == GeneratedReportStatus.Failed
                ? $"This workbook failed: {report.FailureReason}"
                : $"This workbook is {report.Status.ToString().ToLowerInvariant()}; try again shortly.").ToHttp();
        var stream = await files.OpenReadAsync(report.Id.ToString(), ct);
        if (stream is null) return Problem.NotFound("report_file_missing", "The workbook's file is no longer stored.").ToHttp();
        return TypedResults.File(stream, GenerateReportJob.ContentType, report.FileName);
    }
}
