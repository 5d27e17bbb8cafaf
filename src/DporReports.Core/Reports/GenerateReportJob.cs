using System.Security.Cryptography;
using DporReports.Core.Data;
using DporReports.Core.Jobs;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Reports.Workbooks;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Reports;

/// <summary>
/// Builds one requested workbook in the partner's scope, stores it and records size and SHA-256. Re-entrant: a retry of a
/// finished report does nothing; a failure is recorded with its reason for the partner to see.
/// </summary>
[Queue(JobQueues.Reports)]
[AutomaticRetry(Attempts = 2)]
public sealed class GenerateReportJob(DporDbContext db, PartnerScope scope, ReportCatalog catalog, ReportBuilder builder, IReportFileStore files,
    TimeProvider clock, ILogger<GenerateReportJob> log)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [DisableConcurrentExecution("report:{1}", 600)]
    public async Task RunAsync(Guid partnerId, Guid generatedReportId, CancellationToken ct)
    {
        scope.Set(partnerId);
        var report = await db.Set<GeneratedReport>().SingleOrDefaultAsync(r => r.Id == generatedReportId, ct);
        if (report is null or { Status: GeneratedReportStatus.Done }) return;
        report.Start();
        await db.SaveChangesAsync(ct);
        try
        {
            var definition = catalog.Find(report.ReportId) ?? throw new InvalidOperationException($"Report '{report.ReportId}' is no longer in the catalog.");
            var document = await builder.BuildAsync(definition, report.From, report.To, report.ScopeTenantIds, report.RequestedBy, clock.GetUtcNow(), ct);
            var temporary = Path.GetTempFileName();
            try
            {
                await using (var file = File.Create(temporary))
                    await WorkbookWriter.WriteAsync(document, file, ct);
                string sha256;
                long size;
                await using (var file = File.OpenRead(temporary))
                {
                    size = file.Length;
                    sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
                    file.Position = 0;
                    await files.SaveAsync(report.Id.ToString(), file, ct);
                }
                report.Complete($"{definition.Id}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}.xlsx", size, sha256, clock.GetUtcNow());
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError(e, "Report {ReportId} of partner {PartnerId} failed", generatedReportId, partnerId);
            report.Fail(e.Message, clock.GetUtcNow());
        }
        await db.SaveChangesAsync(ct);
    }
}
