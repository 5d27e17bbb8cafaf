using DporReports.Core.Languages;
using DporReports.Core.Adoption;
using DporReports.Core.Reports;
using DporReports.Web.Pages.Shared;
using DporReports.Core.Usage;
using DporReports.Web.Access;
using DporReports.Web.Charts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>
/// One customer's usage for the partner. A tenant the partner holds no verified window in answers 404 with the same page as
/// an unknown id, so another partner's customer cannot even be confirmed to exist.
/// </summary>
[Authorize(Policy = AccessPolicies.PartnerMember)]
public sealed class CustomerModel(PartnerUsageQuery usage, AdoptionQuery adoption, TimeProvider clock, IStringLocalizer<Texts> texts) : UsagePageModel(clock, texts)
{
    [BindProperty(SupportsGet = true)] public Guid TenantId { get; set; }


    /// <summary>Null when the partner holds no window in this tenant: the page renders "not found" with status 404.</summary>
    public CustomerUsage? Customer { get; private set; }

    /// <summary>True when the customer has no current window on the period's last day (figures are of its last visible day).</summary>
    public bool Ended { get; private set; }

    public IReadOnlyList<AssignmentWindow> Windows { get; private set; } = [];

    /// <summary>The product name of each window's subscription, ended windows included.</summary>
    public IReadOnlyDictionary<Guid, string> ProductNames { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyList<ChartView> Charts { get; private set; } = [];

    /// <summary>The customer's adoption signals through the partner's windows, as of today (the customer's own page shows the same).</summary>
    public AdoptionView? Adoption { get; private set; }

    /// <summary>Each Copilot subscription's MAU per Copilot app, on its as-of day.</summary>
    public IReadOnlyDictionary<Guid, List<CopilotAppUsage>> CopilotApps { get; private set; } = new Dictionary<Guid, List<CopilotAppUsage>>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        ResolvePeriodAndZone();

        var windows = await usage.WindowsAsync(ct);
        Windows = [.. windows.Where(w => w.TenantId == TenantId).OrderBy(w => w.From)];
        if (Windows.Count == 0)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Customer = (await usage.CustomersAsync(windows, Range.To, TenantId, ct)).SingleOrDefault();
        if (Customer is null)
        {
            // All windows ended before the period's end: show the subscriptions as of the last visible day.
            Ended = true;
            var lastDay = Windows.Max(w => w.Until is { } until ? until.AddDays(-1) : Range.To);
            Customer = (await usage.CustomersAsync(windows, lastDay, TenantId, ct)).SingleOrDefault()
                       ?? new CustomerUsage(TenantId, TenantId.ToString(), null, [], Windows);
        }
        // A window that ended before the period's end names its subscription as of its last visible day.
        var names = Customer.Subscriptions.ToDictionary(s => s.SubscriptionId, s => s.ProductName);
        foreach (var lastDay in Windows.Where(w => w.Until is not null && !names.ContainsKey(w.SubscriptionId)).Select(w => w.Until!.Value.AddDays(-1)).Distinct())
        {
            foreach (var s in (await usage.CustomersAsync(windows, lastDay, TenantId, ct)).SelectMany(c => c.Subscriptions))
                names.TryAdd(s.SubscriptionId, s.ProductName);
        }
        ProductNames = names;
        CopilotApps = await usage.CopilotAppsAsync(Customer.Subscriptions, ct);
        Adoption = AdoptionView.Of(await adoption.PartnerSignalsAsync(Today, Customer.TenantId, ct));
        var days = (await usage.DailyActiveUsersAsync(windows, [TenantId], Range.From, Range.To, ct)).GetValueOrDefault(TenantId) ?? [];
        Charts = ChartView.PerWorkload(ChartView.WithAverages(days), w => T["{0}: daily active users", w], T["Active users"], w => T[w], ChartTexts.From(T));
    }
}
