using DporReports.Core.Data;
using DporReports.Core.Reports;
using DporReports.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Adoption;

/// <summary>
/// Loads the adoption signals (reports/README.md "Adoption signals") of the signed-in partner's subscriptions, through its
/// verified windows as every partner read does, or of a customer's own tenant with every day visible. Both go through the
/// same readers of <see cref="PartnerUsageQuery"/> and the same arithmetic, so a customer sees what its partner sees.
/// </summary>
public sealed class AdoptionQuery(PartnerUsageQuery usage, DporDbContext db, PartnerScope scope, PartnerDataCache cache, IServiceScopeFactory scopes)
{
    /// <summary>The signals of every subscription the partner is the verified partner of record of on <paramref name="asOf"/>.</summary>
    public async Task<IReadOnlyList<SubscriptionSignals>> PartnerSignalsAsync(DateOnly asOf, CancellationToken ct) => (await KeptAsync(asOf, ct)).All;

    /// <summary>The same for one customer (its page).</summary>
    public async Task<IReadOnlyList<SubscriptionSignals>> PartnerSignalsAsync(DateOnly asOf, Guid tenantId, CancellationToken ct) =>
        (await KeptAsync(asOf, ct)).Of(tenantId);

    /// <summary>
    /// The same signals read through the partner's windows now, without the kept entry: for jobs (a workbook is read once),
    /// and the reference the kept entry is tested against.
    /// </summary>
    public async Task<List<SubscriptionSignals>> ComputePartnerSignalsAsync(DateOnly asOf, CancellationToken ct) =>
        await ComputePartnerSignalsAsync(await usage.WindowsAsync(ct), asOf, ct);

    /// <summary>The same through windows the caller has already read (a workbook reads them once for every dataset).</summary>
    public Task<List<SubscriptionSignals>> ComputePartnerSignalsAsync(PartnerWindows windows, DateOnly asOf, CancellationToken ct) =>
        SignalsAsync(usage.Checked(windows), asOf, ct);

    /// <summary>"Where to help" with the list's own thresholds, ranked once per kept entry (the page and the API ask often).</summary>
    public async Task<(IReadOnlyList<HelpItem> Items, int Subscriptions)> PartnerHelpAsync(DateOnly asOf, CancellationToken ct)
    {
        var kept = await KeptAsync(asOf, ct);
        return (kept.Ranked, kept.All.Count);
    }

    /// <summary>
    /// The signals of every current subscription of the customer's own tenant. <paramref name="tenantId"/> must be the signed-in
    /// user's own tenant (the caller takes it from the token, never from a request).
    /// </summary>
    public async Task<List<SubscriptionSignals>> TenantSignalsAsync(Guid tenantId, DateOnly asOf, CancellationToken ct)
    {
        var ids = await db.Subscriptions.AsNoTracking().Where(s => s.TenantId == tenantId && s.DisappearedAt == null)
            .Select(s => s.Id).ToListAsync(ct);
        return await SignalsAsync([.. ids.Select(id => PartnerUsageQuery.WholeHistory(tenantId, id))], asOf, ct);
    }

    /// <summary>
    /// The partner's signals as of a day, kept beside its portfolios under the same data version: a newer version re-reads only
    /// the customers that changed since (as the portfolio does), since each subscription's signals depend on its own facts
    /// and windows alone. The computation runs in a unit of work of its own, shared by every waiting request.
    /// </summary>
    private async Task<KeptSignals> KeptAsync(DateOnly asOf, CancellationToken ct)
    {
        var partnerId = scope.PartnerId;
        var version = await PartnerPortfolios.DataVersionAsync(db, partnerId, ct);
        return await cache.GetAsync<KeptSignals>(new SignalsKey(partnerId, asOf), version, async previous =>
        {
            await using var unit = scopes.CreatePartnerScope(partnerId);
            var signals = await unit.ServiceProvider.GetRequiredService<AdoptionQuery>().ComputeAsync(asOf, version, previous);
            return (signals, previous is null ? "signals full" : "signals update");
        }, ct);
    }

    /// <summary>From the previous entry when few customers changed since its version, re-reading only those; else from scratch.</summary>
    private async Task<KeptSignals> ComputeAsync(DateOnly asOf, PortfolioDataVersion version, KeptSignals? previous)
    {
        var windows = usage.Checked(await usage.WindowsAsync(CancellationToken.None));
        if (previous is not null)
        {
            var changed = (await PartnerPortfolios.ChangedTenantsAsync(db, previous.Version, CancellationToken.None)).ToHashSet();
            if (changed.Count <= Math.Max(64, previous.TenantCount / 4))
                return previous.With(version, changed, await SignalsAsync([.. windows.Where(w => changed.Contains(w.TenantId))], asOf, CancellationToken.None));
        }
        return KeptSignals.Of(version, await SignalsAsync(windows, asOf, CancellationToken.None));
    }

    private readonly record struct SignalsKey(Guid PartnerId, DateOnly AsOf);

    private async Task<List<SubscriptionSignals>> SignalsAsync(IReadOnlyList<AssignmentWindow> windows, DateOnly asOf, CancellationToken ct)
    {
        var customers = await usage.CustomersOfAsync(windows, asOf, onlyTenant: null, ct);
        var subscriptions = customers.SelectMany(c => c.Subscriptions.Select(s => (Customer: c, Subscription: s))).ToList();
        var byId = windows.ToLookup(w => w.SubscriptionId);
        var days = subscriptions.Where(s => s.Subscription.AsOf is not null).ToDictionary(s => s.Subscription.SubscriptionId, s => s.Subscription.AsOf!.Value);

        // A week and a month before each subscription's own usage day, so the comparison spans exactly that, whatever its lag.
        var weekEarlier = await usage.ActiveUsersNearAsync(byId, days.ToDictionary(d => d.Key, d => d.Value.AddDays(-AdoptionSignals.WeekDays)),
            AdoptionSignals.WeekDays - 1, ct);
        var monthEarlier = await usage.ActiveUsersNearAsync(byId, days.ToDictionary(d => d.Key, d => d.Value.AddMonths(-1)),
            AdoptionSignals.WeekDays - 1, ct);
        var daily = await usage.DailyActiveUserSumsAsync(byId, days, AdoptionSignals.WeekDays, AdoptionSignals.MonthDays, ct);

        return [.. subscriptions.Select(pair =>
        {
            var (customer, s) = pair;
            var workloads = s.Workloads.Select(w =>
            {
                var key = (s.SubscriptionId, w.Workload);
                var sums = daily.GetValueOrDefault(key) ?? DailyActiveUserSums.None;
                return new WorkloadSignals(w.Workload, w.Seats, w.LicensedUsers, w.ActiveUsers, w.ActiveUsers90Days,
                    weekEarlier.TryGetValue(key, out var week) ? week : null, monthEarlier.TryGetValue(key, out var month) ? month : null,
                    AdoptionSignals.Mean(sums.Week), AdoptionSignals.Mean(sums.PreviousWeek),
                    AdoptionSignals.Mean(sums.Month), AdoptionSignals.Mean(sums.PreviousMonth));
            }).ToList();
            var renewal = s.Details?.NextLifecycleAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : (DateOnly?)null;
            return new SubscriptionSignals(customer.TenantId, customer.TenantName, s.SubscriptionId, s.ProductName, s.Details?.Reference ?? "",
                s.Details?.IsTrial ?? false, s.Seats, s.AsOf, renewal, AdoptionSignals.DaysTo(renewal, asOf), workloads);
        })];
    }
}

/// <summary>
/// A partner's signals as of a day at one data version, by customer, with the default list ranked. Immutable: requests of
/// the older version may still read it while its successor is built.
/// </summary>
internal sealed class KeptSignals
{
    private readonly Dictionary<Guid, List<SubscriptionSignals>> _byTenant;

    private KeptSignals(PortfolioDataVersion version, Dictionary<Guid, List<SubscriptionSignals>> byTenant)
    {
        (Version, _byTenant) = (version, byTenant);
        All = [.. byTenant.Values.SelectMany(s => s)];
        Ranked = WhereToHelp.Rank(All, HelpRules.Default);
    }

    public PortfolioDataVersion Version { get; }
    public IReadOnlyList<SubscriptionSignals> All { get; }
    public IReadOnlyList<HelpItem> Ranked { get; }
    public int TenantCount => _byTenant.Count;

    public IReadOnlyList<SubscriptionSignals> Of(Guid tenantId) => _byTenant.GetValueOrDefault(tenantId) ?? [];

    public static KeptSignals Of(PortfolioDataVersion version, IEnumerable<SubscriptionSignals> signals) =>
        new(version, signals.GroupBy(s => s.TenantId).ToDictionary(g => g.Key, g => g.ToList()));

    /// <summary>A copy at <paramref name="version"/> whose <paramref name="changed"/> customers' signals are <paramref name="fresh"/> (none: no longer a customer).</summary>
    public KeptSignals With(PortfolioDataVersion version, IReadOnlySet<Guid> changed, IEnumerable<SubscriptionSignals> fresh)
    {
        var byTenant = _byTenant.Where(t => !changed.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value);
        foreach (var tenant in fresh.GroupBy(s => s.TenantId)) byTenant[tenant.Key] = tenant.ToList();
        return new KeptSignals(version, byTenant);
    }
}
