using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Reports;
using DporReports.Core.Reports.Catalog;
using DporReports.Web.Access;
using DporReports.Web.Languages;
using DporReports.Web.Shell;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.PartnerReports;

/// <summary>Request a workbook, follow its progress (queued, running, done, failed with the reason) and download it.</summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
public sealed class IndexModel(ReportRequests requests, ReportCatalog catalog, IStringLocalizer<Texts> T) : PageModel
{
    public IReadOnlyList<ReportDefinition> Reports => catalog.All;
    public IReadOnlyList<GeneratedReport> Files { get; private set; } = [];
    public string? Error { get; private set; }
    [TempData] public string? Done { get; set; }

    [BindProperty] public string? ReportId { get; set; }
    [BindProperty] public DateOnly? From { get; set; }
    [BindProperty] public DateOnly? To { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Files = await requests.ListAsync(ct);

    /// <summary>The live region's status: busy while a workbook is queued or being built.</summary>
    public LiveStatus Live => Status(Files);

    public async Task<JsonResult> OnGetStatusAsync(CancellationToken ct) => Status(await requests.ListAsync(ct)).ToJson();

    private static LiveStatus Status(IReadOnlyList<GeneratedReport> files) =>
        LiveStatus.Of(files.Any(f => f.Status is GeneratedReportStatus.Queued or GeneratedReportStatus.Running),
            files.Select(f => $"{f.Id}:{f.Status}"));

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await requests.RequestAsync(ReportId, From, To, tenantIds: null, SignedInUser.Require(User).DisplayName, ct);
        if (outcome.Problem is { } problem)
        {
            Error = T.Message(problem.Message);
            Files = await requests.ListAsync(ct);
            return Page();
        }
        Done = T["{0} is queued; it appears below when it is ready.", T[outcome.Value!.Title]];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnGetDownloadAsync(Guid id, CancellationToken ct)
    {
        var outcome = await requests.OpenAsync(id, ct);
        if (outcome.Problem is { Status: 404 }) return NotFound();
        if (outcome.Problem is { } problem)
        {
            Error = T.Message(problem.Message);
            Files = await requests.ListAsync(ct);
            return Page();
        }
        return File(outcome.Value.Content, GenerateReportJob.ContentType, outcome.Value.Report.FileName);
    }
}
