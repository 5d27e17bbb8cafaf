using DporReports.Core.Languages;
using DporReports.Core.Subscriptions;
using Microsoft.Extensions.Localization;

namespace DporReports.Core.Adoption;

/// <summary>
/// What a person reads about a "where to help" item — its reason and the sentence with the figure that put it there — in
/// the current language. The page, the workbook and the alert digest mail all word it here.
/// </summary>
public static class HelpTexts
{
    public static string Reason(IStringLocalizer<Texts> T, HelpReason reason) => reason switch
    {
        HelpReason.RenewalNear => T["Renewal near, low use"],
        HelpReason.LowUsage => T["Low usage"],
        HelpReason.FallingUsage => T["Falling usage"],
        HelpReason.UnassignedSeats => T["Seats never assigned"],
        HelpReason.InactiveUsers => T["Inactive licensed users"],
        HelpReason.LowCopilotUsage => T["Low Copilot use"],
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static string Why(IStringLocalizer<Texts> T, HelpItem item)
    {
        var s = item.Subscription;
        var workload = item.Workload is { } w ? ProductCatalog.WorkloadDisplayName(w) : "";
        return item.Reason switch
        {
            HelpReason.RenewalNear => T["Renews in {0} days with {1} usage", Language.Number((long)item.Figure), Language.Percent(s.OverallUsage)],
            HelpReason.LowUsage => T["{0} usage on {1} seats", Language.Percent(item.Figure), Language.Number(s.Seats)],
            HelpReason.FallingUsage => T["{0} monthly active users {1} against a month earlier ({2} → {3})", workload, SignedPercent(item.Figure),
                Language.Number(s.Of(item.Workload!.Value)?.ActiveUsersMonthEarlier ?? 0), Language.Number(s.Of(item.Workload.Value)?.ActiveUsers ?? 0)],
            HelpReason.UnassignedSeats => T["{0} of {1} seats never assigned", Language.Number((long)item.Figure), Language.Number(s.Seats)],
            HelpReason.InactiveUsers => T["{0} of {1} licensed users inactive for 90 days ({2})", Language.Number((long)item.Figure),
                Language.Number(s.Of(item.Workload!.Value)?.LicensedUsers ?? 0), workload],
            HelpReason.LowCopilotUsage => T["Copilot usage {0} on {1} seats", Language.Percent(item.Figure),
                Language.Number(s.Of(Workload.Copilot)?.Seats ?? 0)],
            _ => throw new ArgumentOutOfRangeException(nameof(item), item.Reason, null),
        };
    }

    /// <summary>A change as a signed percentage in the current language: +12.5 %, −20.0 %.</summary>
    public static string SignedPercent(decimal? change) => change is { } c ? (c > 0 ? "+" : "") + Language.Percent(c) : "—";
}
