using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Partners;
using DporReports.Core.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.Partner;

/// <summary>A partner admin registers the organisation, follows its review and keeps its details current.</summary>
public sealed class RegistrationModel(PartnerRegistry registry, IStringLocalizer<Texts> T) : PageModel
{
    public Core.Partners.Partner? Current { get; private set; }
    public IReadOnlyList<PartnerEvent> History { get; private set; } = [];
    public Problem? Error { get; private set; }
    public string? Saved { get; private set; }

    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? NotificationEmail { get; set; }

    /// <summary>"es" or "en"; a new registration starts with the language the admin reads.</summary>
    [BindProperty] public string? NotificationLanguage { get; set; }
    [BindProperty] public string? PartnerIds { get; set; }
    [BindProperty] public Guid? Version { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(fillForm: true, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = SignedInUser.Require(User);
        var input = new PartnerRegistration(DisplayName, NotificationEmail, SplitIds(PartnerIds), NotificationLanguage);
        var existing = await registry.FindByTenantAsync(user.TenantId, ct);
        var outcome = existing is null
            ? await registry.RegisterAsync(user, input, ct)
            : await registry.UpdateOwnAsync(user, input, Version, ct);
        if (outcome.Problem is { } problem)
        {
            Error = problem;
            await LoadAsync(fillForm: false, ct);
            return Page();
        }
        Saved = existing is null ? T["Your organisation is registered. An operator will review it."] : T["Your changes are saved."];
        await LoadAsync(fillForm: true, ct);
        return Page();
    }

    private async Task LoadAsync(bool fillForm, CancellationToken ct)
    {
        Current = await registry.FindByTenantAsync(SignedInUser.Require(User).TenantId, ct);
        if (Current is not null) History = await registry.HistoryAsync(ct);
        NotificationLanguage ??= Language.Current;
        if (!fillForm || Current is null) return;
        DisplayName = Current.DisplayName;
        NotificationEmail = Current.NotificationEmail;
        NotificationLanguage = Current.NotificationLanguage;
        PartnerIds = string.Join(", ", Current.MpnIds.Select(m => m.Value).Order(StringComparer.Ordinal));
        Version = Current.Version;
    }

    private static string[] SplitIds(string? text) =>
        (text ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
