using DporReports.Core.Subscriptions;

namespace DporReports.Core.Adoption;

/// <summary>Why a subscription is on the "where to help" list (reports/README.md "Where to help"), in the order ties are broken.</summary>
public enum HelpReason
{
    /// <summary>The subscription renews (or ends) soon while few of its seats are used.</summary>
    RenewalNear,
    LowUsage,
    FallingUsage,
    UnassignedSeats,
    InactiveUsers,
    LowCopilotUsage,
}

/// <summary>
/// The thresholds of each reason; a reason whose threshold is null is off. <see cref="Default"/> is the "where to help"
/// list's; a partner's alerts are the same rule with the partner's own thresholds.
/// </summary>
public sealed record HelpRules
{
    /// <summary>Overall usage % below this (a fraction) …</summary>
    public decimal? LowUsageBelow { get; init; } = 0.40m;

    /// <summary>… on a subscription of at least this many seats.</summary>
    public int LowUsageMinSeats { get; init; } = 25;

    /// <summary>A workload's MAU fell by more than this fraction against a month earlier …</summary>
    public decimal? FallingMauBy { get; init; } = 0.20m;

    /// <summary>… from at least this many users (a drop from 3 to 2 is noise, not a trend).</summary>
    public int FallingMinUsers { get; init; } = 10;

    /// <summary>Seats never assigned of at least this share of the seats …</summary>
    public decimal? UnassignedShare { get; init; } = 0.10m;

    /// <summary>… and at least this many.</summary>
    public int UnassignedMinSeats { get; init; } = 5;

    /// <summary>Licensed users inactive for 90 days of at least this share of the licensed users …</summary>
    public decimal? InactiveShare { get; init; } = 0.10m;

    /// <summary>… and at least this many.</summary>
    public int InactiveMinUsers { get; init; } = 5;

    /// <summary>Copilot usage % below this (a fraction), on a subscription with Copilot seats.</summary>
    public decimal? CopilotUsageBelow { get; init; } = 0.25m;

    /// <summary>Renewal (or end) within this many days …</summary>
    public int? RenewalWithinDays { get; init; } = 60;

    /// <summary>… while the overall usage % is below this (a fraction).</summary>
    public decimal RenewalUsageBelow { get; init; } = 0.50m;

    public static HelpRules Default { get; } = new();
}

/// <summary>
/// One entry of the list: a subscription, the reason, the figure that put it there (<see cref="Figure"/>: a fraction for
/// usage % and changes, a count for seats and users, days for a renewal), the workload it concerns where there is one, and
/// the seats or users at stake (<see cref="Impact"/>) that rank it.
/// </summary>
public sealed record HelpItem(SubscriptionSignals Subscription, HelpReason Reason, Workload? Workload, decimal Figure, int Impact)
{
    /// <summary>What the list is sorted by: the impact, doubled for a near renewal (the customer decides soon).</summary>
    public int Score => Reason == HelpReason.RenewalNear ? Impact * 2 : Impact;
}

/// <summary>
/// reports/README.md "Where to help": every reason each subscription meets, ranked by <see cref="HelpItem.Score"/> (highest
/// first), then seats (more first), customer name, product, subscription reference and reason. The page, the JSON API,
/// the "where-to-help" workbook and the alert digest all call this one method.
/// </summary>
public static class WhereToHelp
{
    public static List<HelpItem> Rank(IEnumerable<SubscriptionSignals> subscriptions, HelpRules rules)
    {
        var items = subscriptions.SelectMany(s => Reasons(s, rules)).ToList();
        items.Sort(Compare);
        return items;
    }

    private static int Compare(HelpItem a, HelpItem b)
    {
        var order = b.Score.CompareTo(a.Score);
        if (order == 0) order = b.Subscription.Seats.CompareTo(a.Subscription.Seats);
        if (order == 0) order = StringComparer.OrdinalIgnoreCase.Compare(a.Subscription.TenantName, b.Subscription.TenantName);
        if (order == 0) order = StringComparer.OrdinalIgnoreCase.Compare(a.Subscription.ProductName, b.Subscription.ProductName);
        if (order == 0) order = StringComparer.Ordinal.Compare(a.Subscription.Reference, b.Subscription.Reference);
        if (order == 0) order = a.Subscription.SubscriptionId.CompareTo(b.Subscription.SubscriptionId);
        return order == 0 ? a.Reason.CompareTo(b.Reason) : order;
    }

    private static IEnumerable<HelpItem> Reasons(SubscriptionSignals s, HelpRules rules)
    {
        // Copilot has its own reason; the other reasons look at the workloads people are licensed for with the subscription.
        var workloads = s.Workloads.Where(w => w.Workload != Workload.Copilot).ToList();
        var best = workloads.Where(w => w.UsagePercent is not null).MaxBy(w => w.UsagePercent);
        var idleSeats = best is null ? 0 : Math.Max(0, best.Seats - best.ActiveUsers);

        if (rules.RenewalWithinDays is { } within && s.DaysToRenewal is { } days && days >= 0 && days <= within
            && best?.UsagePercent is { } renewing && renewing < rules.RenewalUsageBelow)
            yield return new HelpItem(s, HelpReason.RenewalNear, best.Workload, days, idleSeats);

        if (rules.LowUsageBelow is { } below && s.Seats >= rules.LowUsageMinSeats && best?.UsagePercent is { } usage && usage < below)
            yield return new HelpItem(s, HelpReason.LowUsage, best.Workload, usage, idleSeats);

        if (rules.FallingMauBy is { } by)
        {
            var falling = s.Workloads
                .Where(w => w.ActiveUsersMonthEarlier >= rules.FallingMinUsers && w.MauChangeMonth is { } change && change < -by)
                .OrderBy(w => w.MauChangeMonth).ThenBy(w => w.Workload).FirstOrDefault();
            if (falling is not null)
                yield return new HelpItem(s, HelpReason.FallingUsage, falling.Workload, falling.MauChangeMonth!.Value,
                    falling.ActiveUsersMonthEarlier!.Value - falling.ActiveUsers);
        }

        if (rules.UnassignedShare is { } share && s.Seats > 0 && s.UnassignedSeats >= rules.UnassignedMinSeats
            && (decimal)s.UnassignedSeats / s.Seats >= share)
            yield return new HelpItem(s, HelpReason.UnassignedSeats, null, s.UnassignedSeats, s.UnassignedSeats);

        if (rules.InactiveShare is { } inactiveShare)
        {
            // The workload with the fewest inactive: at most that many people used none of the subscription's workloads.
            var fewest = workloads.Where(w => w.LicensedUsers > 0 && w.InactiveUsers90Days is not null)
                .OrderBy(w => w.InactiveUsers90Days).ThenBy(w => w.Workload).FirstOrDefault();
            if (fewest is { InactiveUsers90Days: { } inactive } && inactive >= rules.InactiveMinUsers
                && (decimal)inactive / fewest.LicensedUsers >= inactiveShare)
                yield return new HelpItem(s, HelpReason.InactiveUsers, fewest.Workload, inactive, inactive);
        }

        if (rules.CopilotUsageBelow is { } copilotBelow && s.Of(Workload.Copilot) is { UsagePercent: { } copilot } c && copilot < copilotBelow)
            yield return new HelpItem(s, HelpReason.LowCopilotUsage, Workload.Copilot, copilot, Math.Max(0, c.Seats - c.ActiveUsers));
    }
}
