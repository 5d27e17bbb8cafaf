using DporReports.Core.Data;
using DporReports.Core.Jobs;
using DporReports.Core.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Reports;

/// <summary>
/// Builds one requested workbook in the partner's scope. Re-entrant: a retry of a finished report does nothing; a failure
/// is recorded with its reason for the partner to see.
/// </summary>
[Queue(JobQueues.Reports)]
[AutomaticRetry(Attempts = 2)]
public sealed class GenerateReportJob(DporDbContext db, PartnerScope scope, ReportProducer producer)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [DisableConcurrentExecution("report:{1}", 600)]
    public async Task RunAsync(Guid partnerId, Guid generatedReportId, CancellationToken ct)
    {
        scope.Set(partnerId);
        var report = await db.Set<GeneratedReport>().SingleOrDefaultAsync(r => r.Id == generatedReportId, ct);
        if (report is null or { Status: GeneratedReportStatus.Done }) return;
        await producer.ProduceAsync(report, ct);
    }
}
