using DporReports.Core.Subscriptions;

namespace DporReports.Core.Reports;

/// <summary>
/// Customers' (or subscriptions') workload totals (seats and active users per workload), subscriptions and seats, summed: the
/// figures above a portfolio's table, and the dashboard's previous-period figures. Sums of integers, so a customer's share can be taken out exactly as it was put in: a kept portfolio
/// brought up to date after one tenant's pull replaces that customer's share instead of adding up 10,000 customers again.
/// Mutable while it is being built; a portfolio state copies it before changing it, since older states may still be read.
/// </summary>
internal sealed class CustomerTotals
{
    private static readonly Workload[] AllWorkloads = Enum.GetValues<Workload>();

    private readonly int[] _seats = new int[AllWorkloads.Length];
    private readonly int[] _active = new int[AllWorkloads.Length];

    public int Subscriptions { get; private set; }
    public int Seats { get; private set; }

    public CustomerTotals Copy()
    {
        var copy = new CustomerTotals { Subscriptions = Subscriptions, Seats = Seats };
        _seats.CopyTo(copy._seats, 0);
        _active.CopyTo(copy._active, 0);
        return copy;
    }

    /// <summary>Adds (<paramref name="sign"/> +1) or takes out (−1) a customer's row: its workload totals, subscriptions and seats.</summary>
    public void Add(PortfolioCustomer customer, int sign)
    {
        Add(customer.Workloads, sign);
        Subscriptions += sign * customer.SubscriptionCount;
        Seats += sign * customer.Seats;
    }

    /// <summary>Adds or takes out one customer's workload totals (e.g. a month earlier, where only these are summed).</summary>
    public void Add(IReadOnlyList<WorkloadTotal> workloads, int sign)
    {
        for (var i = 0; i < workloads.Count; i++)
        {
            var total = workloads[i];
            _seats[(int)total.Workload] += sign * total.Seats;
            _active[(int)total.Workload] += sign * total.ActiveUsers;
        }
    }

    /// <summary>Adds one subscription's workloads, seats and itself.</summary>
    public void Add(PortfolioSubscription subscription)
    {
        Subscriptions++;
        Seats += subscription.Seats;
        foreach (var w in subscription.Workloads)
        {
            _seats[(int)w.Workload] += w.Seats;
            _active[(int)w.Workload] += w.ActiveUsers;
        }
    }

    /// <summary>Adds other sums (a customer's share, already added up).</summary>
    public void Add(CustomerTotals other)
    {
        Subscriptions += other.Subscriptions;
        Seats += other.Seats;
        for (var w = 0; w < AllWorkloads.Length; w++)
        {
            _seats[w] += other._seats[w];
            _active[w] += other._active[w];
        }
    }

    public int HighestActiveUsers() => _active.Max();

    /// <summary>The highest workload usage % (reports/README.md "Overall usage %"); null when no workload has seats.</summary>
    public decimal? HighestUsage()
    {
        decimal? highest = null;
        for (var w = 0; w < AllWorkloads.Length; w++)
            if (WorkloadTotal.Usage(_seats[w], _active[w]) is { } usage && (highest is null || usage > highest)) highest = usage;
        return highest;
    }

    /// <summary>The sums as the portfolio lists them: one total per workload, in the workloads' order.</summary>
    public List<WorkloadTotal> Workloads() => [.. AllWorkloads.Select(w => new WorkloadTotal(w, _seats[(int)w], _active[(int)w]))];
}
