using DporReports.Core.Data;
using DporReports.Core.Languages;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Shared;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Reports;

/// <summary>Requests, lists and opens the signed-in partner's workbooks (API and page alike); everything is partner-scoped.</summary>
public sealed class ReportRequests(DporDbContext db, PartnerScope scope, ReportCatalog catalog, PartnerUsageQuery usage, IReportFileStore files,
    IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task<Outcome<GeneratedReport>> RequestAsync(string? reportId, DateOnly? from, DateOnly? to, IReadOnlyCollection<Guid>? tenantIds,
        string requestedBy, CancellationToken ct)
    {
        if (catalog.Find(reportId ?? "") is not { } definition)
            return Problem.Validation("reportId", $"Unknown report. Known: {string.Join(", ", catalog.All.Select(r => r.Id))}.");
        var period = DateInput.Period(from, to, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (period.Problem is { } invalid) return invalid;
        var (since, until) = period.Value;
        var tenants = (tenantIds ?? []).Distinct().ToList();
        if (tenants.Count > Schedules.ScheduleLimits.ScopeTenants)
            return Problem.Validation("tenantIds", $"Name at most {Schedules.ScheduleLimits.ScopeTenants} customers, or none for all of them.");
        if (await usage.RefuseScopeAsync(tenants, ct) is { } refusal) return Problem.Validation("tenantIds", refusal);

        var report = GeneratedReport.Request(scope.PartnerId, definition.Id, definition.Title, since, until, tenants, requestedBy,
            Language.Current, clock.GetUtcNow());
        db.Add(report);
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<GenerateReportJob>(j => j.RunAsync(report.PartnerId, report.Id, CancellationToken.None));
        return report;
    }

    public Task<List<GeneratedReport>> ListAsync(CancellationToken ct) =>
        db.Set<GeneratedReport>().AsNoTracking().OrderByDescending(r => r.RequestedAt).Take(200).ToListAsync(ct);

    /// <summary>The finished workbook's stream, or why not. Another partner's id is indistinguishable from an unknown one.</summary>
    public async Task<Outcome<(GeneratedReport Report, Stream Content)>> OpenAsync(Guid id, CancellationToken ct)
    {
        var report = await db.Set<GeneratedReport>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (report is null) return Problem.NotFound("unknown_report_file", "You have no workbook with this id.");
        if (report.Status != GeneratedReportStatus.Done)
            return Problem.Conflict("report_not_ready", report.Status == GeneratedReportStatus.Failed
                ? $"This workbook failed: {report.FailureReason}"
                : $"This workbook is {report.Status.ToString().ToLowerInvariant()}; try again shortly.");
        var stream = await files.OpenReadAsync(report.Id.ToString(), ct);
        return stream is null ? Problem.NotFound("report_file_missing", "The workbook's file is no longer stored.") : (report, stream);
    }
}
