using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Reports.Schedules;
using DporReports.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.PartnerReports;

/// <summary>One schedule: its settings (editable by partner admins), next runs, "run now", delete, and its run history.</summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
public sealed class ScheduleModel(ReportSchedules schedules, ReportCatalog catalog, IAuthorizationService authorization,
    IStringLocalizer<Texts> T) : PageModel
{
    public ReportSchedule Schedule { get; private set; } = null!;
    public IReadOnlyList<ReportScheduleRun> Runs { get; private set; } = [];
    public IReadOnlyList<DateTimeOffset> NextRuns { get; private set; } = [];
    public IReadOnlyList<string> Domains { get; private set; } = [];
    public IReadOnlyDictionary<string, string[]>? Errors { get; private set; }
    public string? Error { get; private set; }
    public bool IsAdmin => SignedInUser.Require(User).HasAppRole(AppRoleNames.PartnerAdmin);
    public string ReportTitle => catalog.Find(Schedule.ReportId)?.Title ?? Schedule.ReportId;
    [TempData] public string? Done { get; set; }

    [BindProperty] public ScheduleForm Form { get; set; } = new();
    [BindProperty] public int Version { get; set; }

    public ScheduleFieldsView Fields => new(Form, Errors, catalog.All, Domains);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Form = ScheduleForm.Of(Schedule);
        Version = Schedule.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken ct)
    {
        if (!await IsAdminAsync()) return Forbid();
        var outcome = await schedules.UpdateAsync(id, Form.ToInput(), Version, SignedInUser.Require(User), ct);
        if (outcome.Problem is { Status: 404 }) return NotFound();
        if (outcome.Problem is { } problem)
        {
            Errors = problem.Errors ?? new Dictionary<string, string[]> { [""] = [problem.Message] };
            if (!await LoadAsync(id, ct)) return NotFound();
            return Page();
        }
        Done = T["Saved."];
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRunAsync(Guid id, CancellationToken ct)
    {
        if (!await IsAdminAsync()) return Forbid();
        var outcome = await schedules.RunNowAsync(id, SignedInUser.Require(User), ct);
        if (outcome.Problem is { Status: 404 }) return NotFound();
        if (outcome.Problem is { } problem)
        {
            Error = T[problem.Message];
            if (!await LoadAsync(id, ct)) return NotFound();
            Form = ScheduleForm.Of(Schedule);
            Version = Schedule.Version;
            return Page();
        }
        Done = T["Queued a run for {0} to {1}; it appears below and in your workbooks when done.", Language.Date(outcome.Value.From), Language.Date(outcome.Value.To)];
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!await IsAdminAsync()) return Forbid();
        var outcome = await schedules.DeleteAsync(id, SignedInUser.Require(User), ct);
        if (outcome.Problem is not null) return NotFound();
        TempData["Done"] = T["Schedule \u201c{0}\u201d deleted; the workbooks it produced stay in your workbooks.", outcome.Value!.Name].Value;
        return RedirectToPage("Schedules");
    }

    private async Task<bool> IsAdminAsync() => (await authorization.AuthorizeAsync(User, HttpContext, AccessPolicies.PartnerAdmin)).Succeeded;

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if ((await schedules.FindAsync(id, ct)).Value is not { } schedule) return false;
        Schedule = schedule;
        Runs = await schedules.RunsAsync(id, ct);
        NextRuns = schedules.NextRuns(schedule, 3);
        Domains = [.. (await schedules.RecipientDomainsAsync(ct)).Select(d => d.Domain)];
        return true;
    }
}
