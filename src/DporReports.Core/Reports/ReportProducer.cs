using System.Diagnostics;
using System.Security.Cryptography;
using DporReports.Core.Data;
using DporReports.Core.Observability;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Reports.Workbooks;
using Microsoft.Extensions.Logging;

namespace DporReports.Core.Reports;

/// <summary>
/// Builds a requested workbook in the current partner scope, stores it and records size and SHA-256 — for requests on
/// demand and schedule runs alike. A build failure is recorded on the report with its reason (and saved), not thrown.
/// </summary>
public sealed class ReportProducer(DporDbContext db, ReportCatalog catalog, ReportBuilder builder, IReportFileStore files, TimeProvider clock,
    ILogger<ReportProducer> log)
{
    /// <summary>Data rows written (About sheet excluded), or null when the report failed.</summary>
    public async Task<int?> ProduceAsync(GeneratedReport report, CancellationToken ct)
    {
        using var activity = DporTelemetry.Source.StartActivity($"report build {report.ReportId}");
        activity?.SetTag(DporTelemetry.Tags.ReportId, report.ReportId);
        activity?.SetTag(DporTelemetry.Tags.PartnerId, report.PartnerId);
        activity?.SetTag(DporTelemetry.Tags.GeneratedReportId, report.Id);
        var started = Stopwatch.GetTimestamp();
        report.Start();
        await db.SaveChangesAsync(ct);
        int? rows = null;
        try
        {
            var definition = catalog.Find(report.ReportId) ?? throw new InvalidOperationException($"Report '{report.ReportId}' is no longer in the catalog.");
            var document = await builder.BuildAsync(definition, report.From, report.To, report.ScopeTenantIds, report.RequestedBy, clock.GetUtcNow(),
                report.Language, ct);
            var temporary = Path.GetTempFileName();
            try
            {
                await using (var file = File.Create(temporary))
                    await WorkbookWriter.WriteAsync(document, file, ct);
                await using (var file = File.OpenRead(temporary))
                {
                    var size = file.Length;
                    var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
                    file.Position = 0;
                    await files.SaveAsync(report.Id.ToString(), file, ct);
                    report.Complete($"{definition.Id}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}.xlsx", size, sha256, clock.GetUtcNow());
                }
                rows = document.Sheets.Sum(s => s.Rows.TryGetNonEnumeratedCount(out var n) ? n : s.Rows.Count());
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError(e, "Report {ReportId} of partner {PartnerId} failed", report.Id, report.PartnerId);
            report.Fail(e.Message, clock.GetUtcNow());
            activity.RecordFailure(e);
        }
        var reportTag = new KeyValuePair<string, object?>(DporTelemetry.Tags.ReportId, report.ReportId);
        DporTelemetry.ReportBuildDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, reportTag,
            new KeyValuePair<string, object?>(DporTelemetry.Tags.Outcome, rows is null ? DporTelemetry.Outcomes.Failed : DporTelemetry.Outcomes.Succeeded));
        if (rows is { } written)
        {
            DporTelemetry.ReportRows.Record(written, reportTag);
            activity?.SetTag(DporTelemetry.Tags.Rows, written);
        }
        await db.SaveChangesAsync(ct);
        return rows;
    }
}
