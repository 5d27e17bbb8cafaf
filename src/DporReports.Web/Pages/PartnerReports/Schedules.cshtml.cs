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

/// <summary>What the schedule form partial needs: the posted fields, the errors by field, the reports and the allowed domains.</summary>
public sealed record ScheduleFieldsView(ScheduleForm Form, IReadOnlyDictionary<string, string[]>? Errors, IReadOnlyList<ReportDefinition> Reports,
    IReadOnlyList<string> Domains);

/// <summary>The partner's report schedules; partner admins create them here (readers see the list).</summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
public sealed class SchedulesModel(ReportSchedules schedules, ReportCatalog catalog, IStringLocalizer<Texts> T) : PageModel
{
    public IReadOnlyList<ReportSchedule> Schedules { get; private set; } = [];
    public IReadOnlyList<string> Domains { get; private set; } = [];
    public IReadOnlyDictionary<string, string[]>? Errors { get; private set; }
    public bool IsAdmin => SignedInUser.Require(User).HasAppRole(AppRoleNames.PartnerAdmin);
    public ReportSchedules Service => schedules;
    public ReportCatalog Catalog => catalog;
    [TempData] public string? Done { get; set; }

    [BindProperty] public ScheduleForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Form.ReportId = catalog.All[0].Id;
        Form.Recipients = SignedInUser.Require(User).UserPrincipalName;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync([FromServices] IAuthorizationService authorization, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, HttpContext, AccessPolicies.PartnerAdmin)).Succeeded) return Forbid();
        var outcome = await schedules.CreateAsync(Form.ToInput(), SignedInUser.Require(User), ct);
        if (outcome.Problem is { } problem)
        {
            Errors = problem.Errors ?? new Dictionary<string, string[]> { [""] = [problem.Message] };
            await LoadAsync(ct);
            return Page();
        }
        Done = T["Schedule \u201c{0}\u201d created.", outcome.Value!.Name];
        return RedirectToPage("Schedule", new { id = outcome.Value.Id });
    }

    public ScheduleFieldsView Fields => new(Form, Errors, catalog.All, Domains);

    private async Task LoadAsync(CancellationToken ct)
    {
        Schedules = await schedules.ListAsync(ct);
        Domains = [.. (await schedules.RecipientDomainsAsync(ct)).Select(d => d.Domain)];
    }
}
