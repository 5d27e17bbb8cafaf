using DporReports.Core.Adoption;

namespace DporReports.Web.Pages.Shared;

/// <summary>
/// What the adoption partial shows: the subscriptions' signals per workload and the "where to help" items among them. The
/// partner's customer page and the customer's own subscriptions page both render it, so each sees what the other sees.
/// </summary>
public sealed record AdoptionView(IReadOnlyList<SubscriptionSignals> Signals, IReadOnlyList<HelpItem> Items)
{
    public static AdoptionView Of(IReadOnlyList<SubscriptionSignals> signals) => new(signals, WhereToHelp.Rank(signals, HelpRules.Default));
}
