using System.Globalization;
using System.Reflection;
using Cronos;
using DporReports.Core.Jobs;
using DporReports.Core.Usage;
using Hangfire;

namespace DporReports.Bench;

/// <summary>
/// Issue 13 part 5: one day of usage pulls for many tenants, simulated against Graph's report budget, for 1..N worker hosts.
/// The rules are the product's own, called, not re-typed: the fan-out's cron and the tenant's hour
/// (<see cref="FanOutUsagePullJob.Cron"/>, <see cref="UsageSchedule.HourOf"/>), the reports of a pull
/// (<see cref="UsageIngestion.DailyReports"/>), the days of daily active users it asks for
/// (<see cref="PullTenantUsageJob.BackfillDays"/>), the per-process budget (<see cref="ReportRequestBudget"/>, one per
/// worker host, on a simulated clock), the retry delays (<see cref="PullTenantUsageJob"/>'s <c>[AutomaticRetry]</c>) and the
/// threads per worker (<see cref="JobServerOptions"/>). What is assumed: Graph's time per report request (redirect and
/// download) and our time to parse and write it. Hangfire's queue is first in, first out, each thread one pull at a time.
/// </summary>
internal static class ScheduleDaySimulation
{
    private sealed class SimulatedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed record Settings(int Tenants, int MaxWorkers, int Threads, TimeSpan GraphRequest, TimeSpan Processing);

    private sealed record Outcome(int PeakQueue, TimeSpan LastDone, TimeSpan LongestFanOutToDone, long Requests, long Refused, int Retries, int Unfinished,
        double Busy);

    public static int Run(string[] args)
    {
        string Option(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }
        var settings = new Settings(
            int.Parse(Option("--tenants", "100000"), CultureInfo.InvariantCulture),
            int.Parse(Option("--workers", "16"), CultureInfo.InvariantCulture),
            int.Parse(Option("--threads", new JobServerOptions().Workers[JobQueues.Ingestion].ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Option("--graph-seconds", "3"), CultureInfo.InvariantCulture)),
            TimeSpan.FromMilliseconds(double.Parse(Option("--process-ms", "30"), CultureInfo.InvariantCulture)));

        var random = new Random(13);
        var tenants = Enumerable.Range(0, settings.Tenants).Select(_ =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }).ToArray();
        var perHour = tenants.GroupBy(UsageSchedule.HourOf).Select(g => g.Count()).ToList();
        Console.WriteLine($"schedule-day: {settings.Tenants:N0} tenants, fan-out '{FanOutUsagePullJob.Cron}' UTC, {perHour.Min():N0} to {perHour.Max():N0} tenants per hour; " +
            $"{settings.Threads} ingestion thread(s) per worker (Hangfire:Server:Workers:ingestion); Graph {settings.GraphRequest.TotalSeconds:F1} s per report " +
            $"request (assumed), {settings.Processing.TotalMilliseconds:F0} ms to parse and write it; budget {ReportRequestBudget.RequestsPerWindow} per report " +
            $"per {ReportRequestBudget.Window.TotalMinutes:F0} min per tenant, {ReportRequestBudget.ReservedForPulls} kept for pulls");
        foreach (var (scenario, firstDay) in new[] { ("steady day (every tenant pulled yesterday)", false), ("first day (every tenant new: backfill of daily active users)", true) })
        {
            Console.WriteLine($"  {scenario}:");
            Console.WriteLine("    workers  threads  peak queue  last tenant done  longest fan-out→done  Graph requests  budget refusals  retries  unfinished  threads busy");
            for (var workers = 1; workers <= settings.MaxWorkers; workers++)
            {
                var o = Simulate(tenants, workers, settings, firstDay);
                Console.WriteLine($"    {workers,7}  {workers * settings.Threads,7}  {o.PeakQueue,10:N0}  {Clock(o.LastDone),16}  {Duration(o.LongestFanOutToDone),20}  " +
                    $"{o.Requests,14:N0}  {o.Refused,15:N0}  {o.Retries,7:N0}  {o.Unfinished,10:N0}  {o.Busy,11:P0}");
            }
        }
        return 0;
    }

    private static Outcome Simulate(Guid[] tenants, int workers, Settings settings, bool firstDay)
    {
        var dayStart = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        var newest = DateOnly.FromDateTime(dayStart.UtcDateTime).AddDays(-2); // Graph's reports lag two days
        var clock = new SimulatedClock { Now = dayStart };
        var budgets = Enumerable.Range(0, workers).Select(_ => new ReportRequestBudget(clock)).ToArray();
        var retryDelays = typeof(PullTenantUsageJob).GetCustomAttribute<AutomaticRetryAttribute>()!.DelaysInSeconds;
        var hours = CronExpression.Parse(FanOutUsagePullJob.Cron)
            .GetOccurrences(dayStart, dayStart.AddDays(1), TimeZoneInfo.Utc, fromInclusive: true, toInclusive: false).ToList();
        var byHour = tenants.ToLookup(UsageSchedule.HourOf);

        // Arrivals: the fan-outs, and retries coming due; a tenant's pull is done when a run of it found every report's budget.
        var arrivals = new PriorityQueue<(Guid Tenant, int Attempt, DateTimeOffset FannedOut), DateTimeOffset>();
        foreach (var at in hours)
            foreach (var tenant in byHour[at.Hour])
                arrivals.Enqueue((tenant, 0, at), at);
        var free = new PriorityQueue<int, DateTimeOffset>();
        for (var thread = 0; thread < workers * settings.Threads; thread++) free.Enqueue(thread, dayStart);
        var queue = new Queue<(Guid Tenant, int Attempt, DateTimeOffset FannedOut, DateTimeOffset Enqueued)>();
        var done = new Dictionary<Guid, HashSet<DateOnly>>();
        int peak = 0, retries = 0, unfinished = 0;
        long requests = 0, refused = 0;
        var busy = TimeSpan.Zero;
        var lastDone = dayStart;
        var longest = TimeSpan.Zero;

        while (arrivals.Count > 0 || queue.Count > 0)
        {
            free.TryPeek(out var thread, out var threadFree);
            if (arrivals.TryPeek(out var arrival, out var arrivesAt) && (queue.Count == 0 || arrivesAt <= threadFree))
            {
                arrivals.Dequeue();
                queue.Enqueue((arrival.Tenant, arrival.Attempt, arrival.FannedOut, arrivesAt));
                peak = Math.Max(peak, queue.Count);
                continue;
            }
            free.Dequeue();
            var job = queue.Dequeue();
            var start = threadFree > job.Enqueued ? threadFree : job.Enqueued;
            var budget = budgets[thread / settings.Threads];
            var daysDone = done.TryGetValue(job.Tenant, out var known) ? known : done[job.Tenant] = firstDay
                ? []
                : [.. PullTenantUsageJob.BackfillDays(newest, new HashSet<DateOnly>()).Where(d => d != newest)];
            var (end, complete) = Pull(job.Tenant, start, budget, clock, newest, daysDone, settings, ref requests, ref refused);
            busy += end - start;
            free.Enqueue(thread, end);
            if (complete)
            {
                if (end > lastDone) lastDone = end;
                if (end - job.FannedOut > longest) longest = end - job.FannedOut;
            }
            else if (job.Attempt < retryDelays.Length)
            {
                retries++;
                var due = end.AddSeconds(retryDelays[job.Attempt]);
                arrivals.Enqueue((job.Tenant, job.Attempt + 1, job.FannedOut), due);
            }
            else
            {
                unfinished++;
            }
        }
        var capacity = (lastDone - dayStart) * (workers * settings.Threads);
        return new Outcome(peak, lastDone - dayStart, longest, requests, refused, retries, unfinished, capacity > TimeSpan.Zero ? busy / capacity : 0);
    }

    /// <summary>
    /// One run of <see cref="PullTenantUsageJob.RunAsync"/>: every daily report paid from the budget (a refused one is
    /// skipped and fails the run, which Hangfire retries), then the days of daily active users while the detail report's
    /// budget keeps the reserve free.
    /// </summary>
    private static (DateTimeOffset End, bool Complete) Pull(Guid tenant, DateTimeOffset start, ReportRequestBudget budget, SimulatedClock clock,
        DateOnly newest, HashSet<DateOnly> daysDone, Settings settings, ref long requests, ref long refused)
    {
        var t = start;
        var complete = true;
        foreach (var report in UsageIngestion.DailyReports)
        {
            clock.Now = t;
            if (!budget.TryTake(tenant, report, out _))
            {
                refused++;
                complete = false;
                continue;
            }
            requests++;
            t += settings.GraphRequest + settings.Processing;
        }
        foreach (var day in PullTenantUsageJob.BackfillDays(newest, daysDone).ToList())
        {
            clock.Now = t;
            if (!budget.TryTake(tenant, UsageReports.ActiveUserDetail, ReportRequestBudget.ReservedForPulls, out _)) break;
            requests++;
            daysDone.Add(day);
            t += settings.GraphRequest + settings.Processing;
        }
        return (t, complete);
    }

    private static string Clock(TimeSpan sinceDayStart) =>
        sinceDayStart.Days > 0 ? $"+{sinceDayStart.Days}d {sinceDayStart:hh\\:mm}" : $"{sinceDayStart:hh\\:mm}";

    private static string Duration(TimeSpan span) => span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes:D2} min" : $"{span.TotalMinutes:F0} min";
}
