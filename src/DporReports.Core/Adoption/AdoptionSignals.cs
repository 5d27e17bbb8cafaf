using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;

namespace DporReports.Core.Adoption;

/// <summary>
/// One workload of one subscription on the subscription's usage day (reports/README.md "Adoption signals"): the day's
/// seats, licensed users, MAU and users active in 90 days, MAU a week and a month earlier, and the mean daily active users
/// of this and the previous week and of this and the previous 28 days. Counts only — no user is ever named or stored.
/// A comparison figure is null where no visible day gives it.
/// </summary>
public sealed record WorkloadSignals(Workload Workload, int Seats, int LicensedUsers, int ActiveUsers, int? ActiveUsers90Days,
    int? ActiveUsersWeekEarlier, int? ActiveUsersMonthEarlier, decimal? DailyActiveUsersWeek, decimal? DailyActiveUsersPreviousWeek,
    decimal? DailyActiveUsersMonth, decimal? DailyActiveUsersPreviousMonth)
{
    /// <summary>MAU / PAU; null without seats.</summary>
    public decimal? UsagePercent => Seats == 0 ? null : Math.Round((decimal)ActiveUsers / Seats, 4);

    /// <summary>"unassignedSeats": seats nobody holds a licence of, PAU − licensed users, never below 0.</summary>
    public int UnassignedSeats => Math.Max(0, Seats - LicensedUsers);

    /// <summary>"inactive28": licensed users without activity in the 28 days ending on the usage day (licensed − MAU).</summary>
    public int InactiveUsers28Days => Math.Max(0, LicensedUsers - ActiveUsers);

    /// <summary>"inactive90": licensed users without activity in the 90 days ending on the usage day; null for facts pulled before it was counted.</summary>
    public int? InactiveUsers90Days => ActiveUsers90Days is { } active ? Math.Max(0, LicensedUsers - active) : null;

    public decimal? MauChangeWeek => AdoptionSignals.RelativeChange(ActiveUsers, ActiveUsersWeekEarlier);
    public decimal? MauChangeMonth => AdoptionSignals.RelativeChange(ActiveUsers, ActiveUsersMonthEarlier);
    public decimal? DailyActiveUsersChangeWeek => AdoptionSignals.RelativeChange(DailyActiveUsersWeek, DailyActiveUsersPreviousWeek);
    public decimal? DailyActiveUsersChangeMonth => AdoptionSignals.RelativeChange(DailyActiveUsersMonth, DailyActiveUsersPreviousMonth);
}

/// <summary>A subscription's adoption signals: its workloads' figures on its usage day, and the days left to its renewal.</summary>
public sealed record SubscriptionSignals(Guid TenantId, string TenantName, Guid SubscriptionId, string ProductName, string Reference, bool IsTrial,
    int Seats, DateOnly? AsOf, DateOnly? NextLifecycle, int? DaysToRenewal, IReadOnlyList<WorkloadSignals> Workloads)
{
    /// <summary>The highest usage % among the workloads (reports/README.md "Overall usage %").</summary>
    public decimal? OverallUsage => Workloads.Max(w => w.UsagePercent);

    /// <summary>
    /// Seats never assigned: PAU − the licensed users of its most-licensed workload. Someone holding the licence is licensed
    /// for at least that workload, so fewer people than this hold none of its seats.
    /// </summary>
    public int UnassignedSeats => Workloads.Count == 0 ? 0 : Math.Max(0, Seats - Workloads.Max(w => w.LicensedUsers));

    public WorkloadSignals? Of(Workload workload) => Workloads.FirstOrDefault(w => w.Workload == workload);
}

public static class AdoptionSignals
{
    /// <summary>Comparison offsets: a week, and a month (the calendar month, as "usageChange" compares).</summary>
    public const int WeekDays = 7;

    /// <summary>The daily-active-user months are 28 days: four whole weeks, so weekdays and weekends weigh the same in both.</summary>
    public const int MonthDays = 28;

    /// <summary>(now − before) / before, a fraction (−0.2 = down 20 %); null without both or when before is 0.</summary>
    public static decimal? RelativeChange(decimal? now, decimal? before) =>
        now is { } n && before is { } b && b != 0 ? Math.Round((n - b) / b, 4) : null;

    /// <summary>Days from <paramref name="today"/> to the next lifecycle date (renewal or end); null without one, negative when past.</summary>
    public static int? DaysTo(DateOnly? day, DateOnly today) => day is { } d ? d.DayNumber - today.DayNumber : null;

    /// <summary>The mean of a range's figures to two places, over the days that have one; null when none has (a missing day is neither 0 nor a day).</summary>
    public static decimal? Mean(DaySum days) => days.Days == 0 ? null : Math.Round((decimal)days.Users / days.Days, 2);
}
