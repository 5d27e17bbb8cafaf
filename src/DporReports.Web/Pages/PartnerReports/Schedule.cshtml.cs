using System.Globalization;
using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Notifications;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Reports.Schedules;
using DporReports.Web.Access;
using DporReports.Web.Languages;
using DporReports.Web.Shell;
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

    /// <summary>Each run's mail in the outbox: the page says "sent" only once it was handed over.</summary>
    public IReadOnlyDictionary<Guid, OutboxStatus> Mails { get; private set; } = new Dictionary<Guid, OutboxStatus>();
    public IReadOnlyList<string> Domains { get; private set; } = [];
    public IReadOnlyDictionary<string, string[]>? Errors { get; private set; }
    public string? Error { get; private set; }
    public bool IsAdmin => SignedInUser.Require(User).HasAppRole(AppRoleNames.PartnerAdmin);
    public string ReportTitle => catalog.Find(Schedule.ReportId)?.Title ?? Schedule.ReportId;
    [TempData] public string? Done { get; set; }

    [BindProperty] public ScheduleForm Form { get; set; } = new();
    [BindProperty] public int Version { get; set; }

    public ScheduleFieldsView Fields => new(Form, Errors, catalog.All, Domains);

    /// <summary>
    /// The period of a run just asked for with "Run now" (the redirect carries it): its job has not started yet, so it has no
    /// row, and the runs are busy until its row is there and finished.
    /// </summary>
    [BindProperty(SupportsGet = true)] public DateOnly? QueuedFrom { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? QueuedTo { get; set; }

    /// <summary>The live region's status: busy while a run is asked for, building or mailing its workbook.</summary>
    public LiveStatus Live => Status(Runs, Mails, Queued);

    /// <summary>The live region's status address, with the run just asked for.</summary>
    public string StatusLink => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/partner/reports/schedules/{Schedule.Id}",
        new Dictionary<string, string?>
        {
            ["handler"] = "Status", ["queuedFrom"] = QueuedFrom is { } from ? Iso(from) : null, ["queuedTo"] = QueuedTo is { } to ? Iso(to) : null,
        }.Where(p => p.Value is not null));

    /// <summary>A day as the query string carries it (what DateOnly binds from).</summary>
    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private (DateOnly From, DateOnly To)? Queued => QueuedFrom is { } from && QueuedTo is { } to ? (from, to) : null;

    public async Task<IActionResult> OnGetStatusAsync(Guid id, CancellationToken ct)
    {
        // Another partner's schedule id answers 404 like a missing one (the runs query is scoped to the partner as well).
        if ((await schedules.FindAsync(id, ct)).Value is null) return NotFound();
        var runs = await schedules.RunsAsync(id, ct);
        return Status(runs, await schedules.MailStatusAsync([.. runs.Select(r => r.Id)], ct), Queued).ToJson();
    }

    // Busy while a run asked for has not finished, a run builds, or its mail waits to be handed over.
    private static LiveStatus Status(IReadOnlyList<ReportScheduleRun> runs, IReadOnlyDictionary<Guid, OutboxStatus> mails,
        (DateOnly From, DateOnly To)? queued) =>
        LiveStatus.Of(runs.Any(r => r.Status == ScheduleRunStatus.Running) || mails.Values.Any(m => m == OutboxStatus.Pending)
            || (queued is { } q && !runs.Any(r => r.From == q.From && r.To == q.To && r.Status != ScheduleRunStatus.Running)),
            runs.Select(r => $"{r.Id}:{r.Status}:{mails.GetValueOrDefault(r.Id)}"));

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
            Error = T.Message(problem.Message);
            if (!await LoadAsync(id, ct)) return NotFound();
            Form = ScheduleForm.Of(Schedule);
            Version = Schedule.Version;
            return Page();
        }
        Done = T["Queued a run for {0} to {1}; it appears below and in your workbooks when done.", Language.Date(outcome.Value.From), Language.Date(outcome.Value.To)];
        return RedirectToPage(new
        {
            id, queuedFrom = Iso(outcome.Value.From), queuedTo = Iso(outcome.Value.To),
        });
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
        Mails = await schedules.MailStatusAsync([.. Runs.Select(r => r.Id)], ct);
        NextRuns = schedules.NextRuns(schedule, 3);
        Domains = [.. (await schedules.RecipientDomainsAsync(ct)).Select(d => d.Domain)];
        return true;
    }
}
