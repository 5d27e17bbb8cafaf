using System.Globalization;
using DporReports.Core.Adoption;
using DporReports.Core.Languages;
using DporReports.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>
/// "Where to help": the partner's subscriptions ranked by <see cref="WhereToHelp"/> over the adoption signals, read through
/// its verified windows (<see cref="AdoptionQuery"/>) — the same list as <c>GET /api/partner/help</c> and the workbook.
/// </summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
public sealed class HelpModel(AdoptionQuery adoption, TimeProvider clock, IStringLocalizer<Texts> texts) : UsagePageModel(clock, texts)
{
    public const int PageSize = 50;

    /// <summary>Only the items of one reason (its name, e.g. LowUsage); empty for all.</summary>
    [BindProperty(SupportsGet = true)] public string? Reason { get; set; }

    public int PageNumber { get; private set; } = 1;
    public int TotalPages { get; private set; } = 1;

    /// <summary>Every ranked item (the rank is the position in this list, whatever the filter).</summary>
    public IReadOnlyList<HelpItem> Ranked { get; private set; } = [];

    /// <summary>The page's items with their ranks.</summary>
    public IReadOnlyList<(int Rank, HelpItem Item)> Shown { get; private set; } = [];
    public int Matches { get; private set; }
    public int Subscriptions { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        ResolvePeriodAndZone();
        HelpReason? only = null;
        if (!string.IsNullOrEmpty(Reason))
        {
            if (Enum.TryParse<HelpReason>(Reason, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)) only = parsed;
            else
            {
                Messages.Add(T["Unknown reason; showing every reason."]);
                Reason = null;
            }
        }
        var signals = await adoption.PartnerSignalsAsync(Today, ct);
        Subscriptions = signals.Count;
        Ranked = WhereToHelp.Rank(signals, HelpRules.Default);
        var matching = Ranked.Select((item, index) => (Rank: index + 1, Item: item)).Where(r => only is null || r.Item.Reason == only).ToList();
        Matches = matching.Count;
        TotalPages = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        var page = int.TryParse(Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1;
        PageNumber = Math.Clamp(page, 1, TotalPages);
        Shown = [.. matching.Skip((PageNumber - 1) * PageSize).Take(PageSize)];
    }

    public string Link(int page) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/partner/help",
        new Dictionary<string, string?> { ["reason"] = Reason, ["page"] = page.ToString(CultureInfo.InvariantCulture) }.Where(p => p.Value is not null)!);
}
