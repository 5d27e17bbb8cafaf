using DporReports.Core.Subscriptions;

namespace DporReports.Core.Usage;

/// <summary>
/// Usage of one subscription and workload on a report's refresh date (design.md §3): seats (PAU), licensed users and
/// users active in the 28 days ending that day (MAU). Keyed (tenant, subscription, workload, date): a re-pull replaces
/// the same rows. Counts only — never a user.
/// </summary>
public sealed class SubscriptionUsageFact
{
    private SubscriptionUsageFact() { }

    public Guid TenantId { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public Workload Workload { get; private set; }
    public DateOnly Date { get; private set; }
    public int Seats { get; private set; }
    public int LicensedUsers { get; private set; }
    public int ActiveUsers { get; private set; }

    /// <summary>Licensed users active in the 90 days ending that day; null on facts pulled before it was counted (unknown, not 0).</summary>
    public int? ActiveUsers90Days { get; private set; }

    public static SubscriptionUsageFact Of(Guid tenantId, DateOnly date, SubscriptionWorkloadUsage usage) => new()
    {
        TenantId = tenantId,
        SubscriptionId = usage.SubscriptionId,
        Workload = usage.Workload,
        Date = date,
        Seats = usage.Seats,
        LicensedUsers = usage.LicensedUsers,
        ActiveUsers = usage.ActiveUsers,
        ActiveUsers90Days = usage.ActiveUsers90Days,
    };
}

/// <summary>
/// Daily active users of one subscription and workload on one date (design.md §3): licensed users active that date, from
/// the per-user detail of that date, attributed and split like MAU. Keyed (tenant, subscription, workload, date); a date
/// that could not be pulled has no row (missing, never 0).
/// </summary>
public sealed class SubscriptionDailyUsageFact
{
    private SubscriptionDailyUsageFact() { }

    public Guid TenantId { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public Workload Workload { get; private set; }
    public DateOnly Date { get; private set; }
    public int ActiveUsers { get; private set; }

    public static SubscriptionDailyUsageFact Of(Guid tenantId, DateOnly date, SubscriptionWorkloadUsage usage) => new()
    {
        TenantId = tenantId,
        SubscriptionId = usage.SubscriptionId,
        Workload = usage.Workload,
        Date = date,
        ActiveUsers = usage.ActiveUsers,
    };
}

/// <summary>
/// Users of one Copilot subscription active in one Copilot app in the 28 days ending on the Copilot report's refresh date
/// (design.md §3, "Copilot"): split across pooled Copilot subscriptions like MAU. Keyed (tenant, subscription, app, date);
/// a re-pull replaces the same rows. Counts only — never a user.
/// </summary>
public sealed class CopilotAppUsageFact
{
    private CopilotAppUsageFact() { }

    public Guid TenantId { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public CopilotApp App { get; private set; }
    public DateOnly Date { get; private set; }
    public int ActiveUsers { get; private set; }

    public static CopilotAppUsageFact Of(Guid tenantId, DateOnly date, CopilotAppUsage usage) => new()
    {
        TenantId = tenantId,
        SubscriptionId = usage.SubscriptionId,
        App = usage.App,
        Date = date,
        ActiveUsers = usage.ActiveUsers,
    };
}

/// <summary>Non-deleted users of a tenant holding a product name Microsoft's table does not know, on a report's refresh date.</summary>
public sealed class UnknownProductFact
{
    public const int MaxNameLength = 256;

    private UnknownProductFact() { }

    public Guid TenantId { get; private set; }
    public DateOnly Date { get; private set; }
    public string Name { get; private set; } = "";
    public int Users { get; private set; }

    /// <summary>The facts of each tenant's newest detail among <paramref name="facts"/> (one query; operators' and partners' lists share it).</summary>
    public static IQueryable<UnknownProductFact> NewestPerTenant(IQueryable<UnknownProductFact> facts) =>
        facts.Where(f => f.Date == facts.Where(n => n.TenantId == f.TenantId).Max(n => n.Date));

    /// <summary>
    /// Facts of one file. A name longer than the column is cut to it (a report field is unbounded; the name is for a person
    /// to read); names equal after the cut are counted together, so the key stays unique.
    /// </summary>
    public static IEnumerable<UnknownProductFact> Of(Guid tenantId, DateOnly date, IEnumerable<UnknownProductUsers> products) =>
        products
            .GroupBy(p => p.Name.Length > MaxNameLength ? p.Name[..MaxNameLength] : p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g => new UnknownProductFact { TenantId = tenantId, Date = date, Name = g.Key, Users = g.Sum(p => p.Users) });
}

/// <summary>Licensed and active users the attribution could not place in a subscription (unknown products), shown, never dropped.</summary>
public sealed class UnattributedUsageFact
{
    private UnattributedUsageFact() { }

    public Guid TenantId { get; private set; }
    public string Product { get; private set; } = "";
    public Workload Workload { get; private set; }
    public DateOnly Date { get; private set; }
    public int LicensedUsers { get; private set; }
    public int ActiveUsers { get; private set; }

    public static UnattributedUsageFact Of(Guid tenantId, DateOnly date, UnattributedUsage usage) => new()
    {
        TenantId = tenantId,
        Product = usage.Product.Length > 256 ? usage.Product[..256] : usage.Product,
        Workload = usage.Workload,
        Date = date,
        LicensedUsers = usage.LicensedUsers,
        ActiveUsers = usage.ActiveUsers,
    };
}

/// <summary>A tenant-level daily figure per workload: daily active users ("ActiveUsers") or an activity count (mail sent, …).</summary>
public sealed class TenantDailyUsageFact
{
    private TenantDailyUsageFact() { }

    public Guid TenantId { get; private set; }
    public Workload Workload { get; private set; }
    public DateOnly Date { get; private set; }
    public string Metric { get; private set; } = "";
    public long Value { get; private set; }

    public static TenantDailyUsageFact Of(Guid tenantId, DailyWorkloadValue value) => new()
    {
        TenantId = tenantId,
        Workload = value.Workload,
        Date = value.Date,
        Metric = value.Metric,
        Value = value.Value,
    };
}

public enum IngestionOutcome
{
    Running = 0,
    Succeeded = 1,
    Failed = 2,
    Refused = 3,
    ConsentRevoked = 4,

    /// <summary>Its host stopped mid-pull (killed, crashed, redeployed); Hangfire ran the job again elsewhere.</summary>
    Interrupted = 5,
}

/// <summary>One pull of one usage report for one tenant: what came back and how it went (freshness and health read these).</summary>
public sealed class IngestionRun
{
    private IngestionRun() { }

    public long Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Report { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }
    public int DurationMilliseconds { get; private set; }
    public DateOnly? RefreshDate { get; private set; }
    public long RowsRead { get; private set; }
    public IngestionOutcome Outcome { get; private set; }
    public bool? NamesConcealed { get; private set; }
    public int ThrottledWaits { get; private set; }
    public string? Error { get; private set; }

    public static IngestionRun Start(Guid tenantId, string report, DateTimeOffset now) =>
        new() { TenantId = tenantId, Report = report, StartedAt = now, Outcome = IngestionOutcome.Running };

    public void Succeed(DateOnly refreshDate, long rows, bool? namesConcealed, DateTimeOffset now)
    {
        (RefreshDate, RowsRead, NamesConcealed, Outcome) = (refreshDate, rows, namesConcealed, IngestionOutcome.Succeeded);
        Finish(now);
    }

    /// <summary>Failed = transient (retried later); Refused = the file itself was unusable (wrong columns, cut short, HTML).</summary>
    public void Fail(IngestionOutcome outcome, string error, DateTimeOffset now)
    {
        Outcome = outcome;
        Error = error.Length > 2000 ? error[..2000] : error;
        Finish(now);
    }

    /// <summary>A failure that belongs to one date (a day of daily active users), so the day shows as missing.</summary>
    public void FailOn(DateOnly date, IngestionOutcome outcome, string error, DateTimeOffset now)
    {
        RefreshDate = date;
        Fail(outcome, error, now);
    }

    public void Throttled() => ThrottledWaits++;

    private void Finish(DateTimeOffset now) => DurationMilliseconds = (int)Math.Min(int.MaxValue, (now - StartedAt).TotalMilliseconds);
}
