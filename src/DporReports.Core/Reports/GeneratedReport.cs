using DporReports.Core.Tenancy;

namespace DporReports.Core.Reports;

public enum GeneratedReportStatus
{
    Queued = 0,
    Running = 1,
    Done = 2,
    Failed = 3,
}

/// <summary>
/// A workbook a partner asked for (or a schedule produced): its progress, and once done, the stored file with its size and
/// SHA-256. Partner-owned: another partner's id answers 404. Files stay in the history after an assignment ends — they were
/// delivered under a valid assignment.
/// </summary>
public sealed class GeneratedReport : IPartnerOwned
{
    private GeneratedReport() { }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public string ReportId { get; private set; } = "";
    public string Title { get; private set; } = "";

    /// <summary>The workbook's language ("es" or "en"): the requester's on demand, the partner's notification language on a schedule.</summary>
    public string Language { get; private set; } = Languages.Language.English;

    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }

    /// <summary>Comma-separated tenant ids, or empty for all customers.</summary>
    public string Scope { get; private set; } = "";

    public GeneratedReportStatus Status { get; private set; }
    public string? FailureReason { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? FileName { get; private set; }
    public long? Size { get; private set; }
    public string? Sha256 { get; private set; }

    public IReadOnlyList<Guid> ScopeTenantIds => [.. Scope.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];

    public static GeneratedReport Request(Guid partnerId, string reportId, string title, DateOnly from, DateOnly to,
        IReadOnlyCollection<Guid> tenants, string requestedBy, string language, DateTimeOffset now) => new()
    {
        Language = language,
        Id = Guid.NewGuid(),
        PartnerId = partnerId,
        ReportId = reportId,
        Title = title,
        From = from,
        To = to,
        Scope = string.Join(",", tenants.Order()),
        Status = GeneratedReportStatus.Queued,
        RequestedAt = now,
        RequestedBy = requestedBy,
    };

    public void Start() => Status = GeneratedReportStatus.Running;

    public void Complete(string fileName, long size, string sha256, DateTimeOffset now) =>
        (Status, FileName, Size, Sha256, CompletedAt, FailureReason) = (GeneratedReportStatus.Done, fileName, size, sha256, now, null);

    public void Fail(string reason, DateTimeOffset now) =>
        (Status, FailureReason, CompletedAt) = (GeneratedReportStatus.Failed, reason.Length > 1000 ? reason[..1000] : reason, now);
}
