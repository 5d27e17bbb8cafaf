using System.Globalization;
using DporReports.Core.Adoption.Alerts;
using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Reports.Schedules;
using DporReports.Web.Access;
using DporReports.Web.Pages.PartnerReports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.Alerts;

/// <summary>The alert form's fields, as posted: turned into the same <see cref="AlertSettingsInput"/> the API takes. Empty threshold: off.</summary>
public sealed class AlertForm
{
    public bool Enabled { get; set; }
    public decimal? LowUsageBelowPercent { get; set; }
    public int? LowUsageMinSeats { get; set; }
    public decimal? FallingMauByPercent { get; set; }
    public decimal? CopilotUsageBelowPercent { get; set; }

    /// <summary>One address per line (commas and semicolons work too).</summary>
    public string? Recipients { get; set; }

    public string? DayOfWeek { get; set; }
    public string? Time { get; set; }
    public string? TimeZone { get; set; }

    public AlertSettingsInput ToInput() => new(Enabled, LowUsageBelowPercent, LowUsageMinSeats, FallingMauByPercent, CopilotUsageBelowPercent,
        [.. (Recipients ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], DayOfWeek, Time, TimeZone);

    public static AlertForm Of(AlertThresholds t) => new()
    {
        Enabled = t.Enabled,
        LowUsageBelowPercent = Percent(t.LowUsageBelow),
        LowUsageMinSeats = t.LowUsageMinSeats,
        FallingMauByPercent = Percent(t.FallingMauBy),
        CopilotUsageBelowPercent = Percent(t.CopilotUsageBelow),
        Recipients = string.Join("\n", t.Recipients),
        DayOfWeek = ScheduleForm.Camel(t.DayOfWeek.ToString()),
        Time = t.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture),
        TimeZone = t.TimeZoneId,
    };

    private static decimal? Percent(decimal? fraction) =>
        fraction is { } f ? decimal.Parse((f * 100m).ToString("0.##", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : null;
}

/// <summary>The partner's adoption alerts: settings (partner admins change them; readers see them) and the last weekly digests.</summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
public sealed class IndexModel(PartnerAlerts alerts, ReportSchedules schedules, IStringLocalizer<Texts> T) : PageModel
{
    public AlertSettings? Saved { get; private set; }
    public IReadOnlyList<AlertDigest> Digests { get; private set; } = [];
    public IReadOnlyList<DateTimeOffset> Next { get; private set; } = [];
    public IReadOnlyList<string> Domains { get; private set; } = [];
    public IReadOnlyDictionary<string, string[]>? Errors { get; private set; }
    public bool IsAdmin => SignedInUser.Require(User).HasAppRole(AppRoleNames.PartnerAdmin);
    [TempData] public string? Done { get; set; }

    [BindProperty] public AlertForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Form = AlertForm.Of(Saved?.Values ?? AlertSettings.Defaults);
        if (Saved is null) Form.Recipients = SignedInUser.Require(User).UserPrincipalName;
    }

    public async Task<IActionResult> OnPostAsync([FromServices] IAuthorizationService authorization, int? version, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, HttpContext, AccessPolicies.PartnerAdmin)).Succeeded) return Forbid();
        var outcome = await alerts.SaveAsync(Form.ToInput(), version, SignedInUser.Require(User), ct);
        if (outcome.Problem is { } problem)
        {
            Errors = problem.Errors ?? new Dictionary<string, string[]> { [""] = [problem.Message] };
            await LoadAsync(ct);
            return Page();
        }
        Done = T["Alert settings saved."];
        return RedirectToPage();
    }

    public string? Error(string field) => Errors?.GetValueOrDefault(field)?.FirstOrDefault();

    public string NextText => Next.Count == 0 || Saved is null ? "—" : Language.Clock(TimeZoneInfo.ConvertTime(Next[0], PartnerAlerts.Zone(Saved)));

    private async Task LoadAsync(CancellationToken ct)
    {
        Saved = await alerts.FindAsync(ct);
        Digests = await alerts.DigestsAsync(ct);
        Next = alerts.NextDigests(Saved, 1);
        Domains = [.. (await schedules.RecipientDomainsAsync(ct)).Select(d => d.Domain)];
    }
}
