using DporReports.Core.Identity;
using DporReports.Core.Reports;
using DporReports.Web.Access;
using DporReports.Web.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Partners;

/// <summary>Which report; optional: the period (default: the last 28 days) and the customers (default: all).</summary>
public sealed record ReportRequest(string? ReportId, DateOnly? From = null, DateOnly? To = null, IReadOnlyList<Guid>? TenantIds = null);

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
        var reports = api.MapGroup("/partner/reports").WithTags(ApiTags.PartnerWorkbooks).RequireAuthorization(AccessPolicies.PartnerMember);
        reports.MapPost("/", RequestAsync).WithName("RequestWorkbook").Problems(400)
            .WithSummary("Queue a workbook: report id, period (from, to) and scope (tenant ids, or all).");
        reports.MapGet("/files", async (ReportRequests requests, CancellationToken ct) =>
                TypedResults.Ok((await requests.ListAsync(ct)).Select(GeneratedReportView.Of)))
            .WithName("ListWorkbooks").WithSummary("Your workbooks, newest first, with their progress.");
        reports.MapGet("/files/{id:guid}", DownloadAsync).WithName("DownloadWorkbook").Problems(404, 409)
            .Produces<Stream>(StatusCodes.Status200OK, GenerateReportJob.ContentType)
            .WithSummary("Download a finished workbook.");
        return api;
    }

    private static async Task<Results<Accepted<GeneratedReportView>, ProblemHttpResult>> RequestAsync(ReportRequest? body, HttpContext http,
        ReportRequests requests, CancellationToken ct)
    {
        var outcome = await requests.RequestAsync(body?.ReportId, body?.From, body?.To, body?.TenantIds, SignedInUser.Require(http.User).DisplayName, ct);
        return outcome.Value is { } report
            ? TypedResults.Accepted($"/api/partner/reports/files/{report.Id}", GeneratedReportView.Of(report))
            : outcome.Problem!.ToHttp();
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(Guid id, ReportRequests requests, CancellationToken ct)
    {
        var outcome = await requests.OpenAsync(id, ct);
        return outcome.Problem is { } problem
            ? problem.ToHttp()
            : TypedResults.File(outcome.Value.Content, GenerateReportJob.ContentType, outcome.Value.Report.FileName);
    }
}
