using System.ComponentModel.DataAnnotations;

namespace DporReports.Core.Reports.Schedules;

public sealed class ReportScheduleOptions
{
    public const string SectionName = "Reports:Schedules";

    /// <summary>The address partners open DporReports at; mails link to their workbooks under it.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Workbooks up to this size travel as attachments too; larger ones only as a link. 5 MiB stays well inside common
    /// mail servers' limits (10–35 MB) after base64's third more.
    /// </summary>
    [Range(0, 20 * 1024 * 1024)] public long AttachmentLimitBytes { get; set; } = 5 * 1024 * 1024;

    [Range(1, 50)] public int MaxRecipients { get; set; } = 20;
}
