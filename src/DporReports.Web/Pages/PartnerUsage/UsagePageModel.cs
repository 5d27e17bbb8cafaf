using DporReports.Core.Languages;
using DporReports.Web.Languages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>What every usage page reads from the query string the same way: the period and the display time zone.</summary>
public abstract class UsagePageModel(TimeProvider clock, IStringLocalizer<Texts> texts) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tz { get; set; }

    public UsagePeriod Range { get; private set; } = null!;
    public DisplayZone Zone { get; private set; } = null!;
    public DateOnly Today { get; private set; }
    public DateTimeOffset GeneratedAt { get; private set; }
    public List<string> Messages { get; } = [];

    /// <summary>The page's texts in the reader's language.</summary>
    protected IStringLocalizer<Texts> T { get; } = texts;

    /// <summary>Resolves period and zone; a bad value falls back (28 days, UTC) with a message instead of failing the page.</summary>
    protected void ResolvePeriodAndZone()
    {
        GeneratedAt = clock.GetUtcNow();
        Today = DateOnly.FromDateTime(GeneratedAt.UtcDateTime);
        Range = UsagePeriod.Parse(Period, Today, out var periodError);
        Zone = DisplayZone.Parse(Tz, out var zoneError);
        Messages.AddRange(new[] { periodError, zoneError }.OfType<string>().Select(m => T.Message(m)));
        Period = Range.Key;
        Tz = Zone.Id;
    }
}
