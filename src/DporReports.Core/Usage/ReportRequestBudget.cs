using System.Collections.Concurrent;

namespace DporReports.Core.Usage;

/// <summary>
/// Graph allows about 14 CSV requests per report function per 10 minutes per app per tenant (shared reference,
/// "Throttling"). A sliding window per (tenant, report) keeps this host below it instead of learning it from 429s.
/// Per process: with several workers each keeps its own window, and Graph's own 429 + Retry-After remains the backstop.
/// </summary>
public sealed class ReportRequestBudget(TimeProvider clock)
{
    public const int RequestsPerWindow = 14;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(Guid Tenant, string Report), Queue<DateTimeOffset>> _recent = new();

    /// <summary>
    /// Slots of a window that optional work (the backfill of daily active users) leaves free, so the next pull's reports and
    /// their retries after a cut transfer still find room.
    /// </summary>
    public const int ReservedForPulls = 4;

    /// <summary>Takes a slot now, or says how long until one frees.</summary>
    public bool TryTake(Guid tenantId, string report, out TimeSpan wait) => TryTake(tenantId, report, reserve: 0, out wait);

    /// <summary>Takes a slot now only if <paramref name="reserve"/> slots stay free after it.</summary>
    public bool TryTake(Guid tenantId, string report, int reserve, out TimeSpan wait)
    {
        var now = clock.GetUtcNow();
        var recent = _recent.GetOrAdd((tenantId, report), _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            while (recent.Count > 0 && now - recent.Peek() >= Window) recent.Dequeue();
            if (recent.Count < RequestsPerWindow - reserve)
            {
                recent.Enqueue(now);
                wait = TimeSpan.Zero;
                return true;
            }
            wait = recent.Peek() + Window - now;
            return false;
        }
    }
}

/// <summary>Our own budget for a report is spent: the job is retried later rather than provoking Graph's throttling.</summary>
public sealed class ReportBudgetExhaustedException(Guid tenantId, string report, TimeSpan wait)
    : Exception($"The request budget for {report} in tenant {tenantId} is spent; the next slot frees in {wait.TotalSeconds:F0} s.");
