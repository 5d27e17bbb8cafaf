using System.Globalization;

namespace DporReports.Sandbox.Graph.Reports;

/// <summary>What a report request asked for: a period of days, or (detail reports) one date.</summary>
internal readonly record struct UsageReportArgument(int PeriodDays, int? DateDay)
{
    public string Describe() => DateDay is { } day
        ? $"date={DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
        : $"period='D{PeriodDays.ToString(CultureInfo.InvariantCulture)}'";
}

/// <summary>
/// The CSV rows of each report, as field values in the report's documented column order. Rows are produced lazily:
/// the per-user detail generates each user as it is written; counts reports aggregate in one pass over the users.
/// </summary>
internal static class UsageReportRows
{
    private const string True = "True";
    private const string False = "False";

    public static IEnumerable<string[]> For(UsageReport report, UsageTenantProfile profile, UsageReportArgument argument) => report.Kind switch
    {
        UsageReportKind.UserDetail => Detail(profile, argument),
        UsageReportKind.PeriodSummary => Summary(profile, argument.PeriodDays),
        UsageReportKind.CopilotDetail => CopilotDetail(profile, argument.PeriodDays),
        UsageReportKind.CopilotTrend => CopilotTrend(profile, argument.PeriodDays),
        _ => Daily(report, profile, argument.PeriodDays),
    };

    private static IEnumerable<string[]> Detail(UsageTenantProfile profile, UsageReportArgument argument)
    {
        var dates = new DateStrings();
        var refresh = dates[profile.RefreshDay];
        for (var n = 1; n <= profile.UserCount; n++)
        {
            var user = profile.User(n);
            var asOf = profile.RefreshDay;
            if (argument.DateDay is { } day)
            {
                // The date form lists the users active on that day, as they were then.
                if (!Array.Exists(Workload.Active, w => user.Activity(w, user.Pattern(w), day) != 0))
                {
                    continue;
                }
                asOf = day;
            }
            var deleted = user.IsDeleted && user.DeletedDay <= asOf;
            var row = new string[24];
            row[0] = refresh;
            row[1] = user.UserPrincipalName;
            row[2] = user.DisplayName;
            row[3] = deleted ? True : False;
            row[4] = deleted ? dates[user.DeletedDay] : "";
            for (var w = 0; w < Workload.Count; w++)
            {
                var licensed = user.IsLicensed(w);
                row[5 + w] = licensed ? True : False;
                row[11 + w] = user.LastActivity(w, asOf, profile.OldestDay) is { } last ? dates[last] : "";
                row[17 + w] = licensed ? dates[user.JoinDay] : "";
            }
            row[23] = user.AssignedProducts;
            yield return row;
        }
    }

    /// <summary>
    /// The Copilot user detail: one row per user holding a Copilot licence (deleted users are gone from it), each app's last
    /// activity in the period, and the latest of them as Last Activity Date.
    /// </summary>
    private static IEnumerable<string[]> CopilotDetail(UsageTenantProfile profile, int periodDays)
    {
        var dates = new DateStrings();
        var refresh = dates[profile.RefreshDay];
        var period = periodDays.ToString(CultureInfo.InvariantCulture);
        var oldest = profile.RefreshDay - periodDays + 1;
        for (var n = 1; n <= profile.UserCount; n++)
        {
            var user = profile.User(n);
            if (!user.HoldsCopilot || (user.IsDeleted && user.DeletedDay <= profile.RefreshDay))
            {
                continue;
            }
            var row = new string[13];
            row[0] = refresh;
            row[1] = period;
            row[2] = user.UserPrincipalName;
            row[3] = user.DisplayName;
            int? latest = null;
            for (var app = 0; app < UsageUser.CopilotApps; app++)
            {
                var last = user.CopilotLastActivity(app, profile.RefreshDay, oldest);
                row[5 + app] = last is { } day ? dates[day] : "";
                if (last > (latest ?? int.MinValue))
                {
                    latest = last;
                }
            }
            row[4] = latest is { } any ? dates[any] : "";
            yield return row;
        }
    }

    // The trend's app columns in documented order (Teams, Word, PowerPoint, Outlook, Excel, OneNote, Loop, then Any App, then
    // Copilot Chat), as indexes of the user model's apps (Teams, Word, Excel, PowerPoint, Outlook, OneNote, Loop, Copilot Chat).
    private static readonly int[] TrendAppsBeforeAny = [0, 1, 3, 4, 2, 5, 6];
    private const int TrendCopilotChat = 7;

    /// <summary>
    /// The Copilot user-count trend, newest day first: the users the Copilot user detail lists are enabled; a user is active
    /// in an app on the days the same activity model gives the user detail its dates, and in "any app" on a day of any of
    /// them. So a user whose detail shows Last Activity Date D counts among D's active users here.
    /// </summary>
    private static IEnumerable<string[]> CopilotTrend(UsageTenantProfile profile, int periodDays)
    {
        var holders = new List<UsageUser>();
        for (var n = 1; n <= profile.UserCount; n++)
        {
            var user = profile.User(n);
            if (user.HoldsCopilot && !(user.IsDeleted && user.DeletedDay <= profile.RefreshDay))
            {
                holders.Add(user);
            }
        }
        var dates = new DateStrings();
        var refresh = dates[profile.RefreshDay];
        var period = periodDays.ToString(CultureInfo.InvariantCulture);
        var enabled = N(holders.Count);
        for (var i = 0; i < periodDays; i++)
        {
            var day = profile.RefreshDay - i;
            var active = new int[UsageUser.CopilotApps];
            var any = 0;
            foreach (var user in holders)
            {
                var used = false;
                for (var app = 0; app < UsageUser.CopilotApps; app++)
                {
                    if (user.CopilotLastActivity(app, day, day) is not null)
                    {
                        active[app]++;
                        used = true;
                    }
                }
                if (used)
                {
                    any++;
                }
            }
            var row = new List<string>(21) { refresh, dates[day] };
            foreach (var app in TrendAppsBeforeAny)
            {
                row.Add(enabled);
                row.Add(N(active[app]));
            }
            row.AddRange([enabled, N(any), enabled, N(active[TrendCopilotChat]), period]);
            yield return [.. row];
        }
    }

    private static IEnumerable<string[]> Daily(UsageReport report, UsageTenantProfile profile, int periodDays)
    {
        var stats = Aggregate(profile, periodDays);
        var dates = new DateStrings();
        var refresh = dates[profile.RefreshDay];
        var period = periodDays.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < periodDays; i++)
        {
            var day = profile.RefreshDay - i;
            var d = stats.Days[i];
            var date = dates[day];
            yield return report.Function switch
            {
                "getOffice365ActiveUserCounts" =>
                    [refresh, N(d[Stat.AnyActive]), N(d[Stat.Exchange]), N(d[Stat.OneDrive]), N(d[Stat.SharePoint]), "0", N(d[Stat.Yammer]), N(d[Stat.Teams]), date, period],
                "getEmailActivityCounts" => [refresh, N(d[Stat.Send]), N(d[Stat.Receive]), N(d[Stat.Read]), date, period],
                "getSharePointActivityUserCounts" =>
                    [refresh, N(d[Stat.Visited]), N(d[Stat.ViewedOrEdited]), N(d[Stat.Synced]), N(d[Stat.SharedInternally]), N(d[Stat.SharedExternally]), date, period],
                "getTeamsUserActivityUserCounts" =>
                    [refresh, date, N(d[Stat.TeamChat]), N(d[Stat.PrivateChat]), N(d[Stat.Calls]), N(d[Stat.Meetings]), N(d[Stat.OtherActions]), period],
                "getYammerActivityCounts" => [refresh, N(d[Stat.Liked]), N(d[Stat.Posted]), N(d[Stat.YammerRead]), date, period],
                // Skype for Business Online was retired in July 2021: the report still exists, with nothing in it.
                "getSkypeForBusinessActivityCounts" => [refresh, date, period, "0", "0", "0"],
                _ => throw new InvalidOperationException($"No daily rows for {report.Function}."),
            };
        }
    }

    private static IEnumerable<string[]> Summary(UsageTenantProfile profile, int periodDays)
    {
        var stats = Aggregate(profile, periodDays);
        var row = new List<string> { new DateStrings()[profile.RefreshDay] };
        for (var w = 0; w < Workload.Count; w++)
        {
            row.Add(N(stats.ActiveInPeriod[w]));
            row.Add(N(stats.Licensed[w] - stats.ActiveInPeriod[w]));
        }
        row.Add(N(stats.AnyActiveInPeriod));
        row.Add(N(stats.AnyLicensed - stats.AnyActiveInPeriod));
        row.Add(periodDays.ToString(CultureInfo.InvariantCulture));
        yield return [.. row];
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One pass over the users: per-day activity counts and per-period active users.</summary>
    private static UsageStats Aggregate(UsageTenantProfile profile, int periodDays)
    {
        var stats = new UsageStats(periodDays);
        var newest = profile.RefreshDay;
        var oldest = newest - periodDays + 1;
        Span<int> patterns = stackalloc int[Workload.Count];
        for (var n = 1; n <= profile.UserCount; n++)
        {
            var user = profile.User(n);
            if (user.IsDeleted && user.DeletedDay < oldest)
            {
                continue;
            }
            var licensedNow = !user.IsDeleted;
            for (var w = 0; w < Workload.Count; w++)
            {
                patterns[w] = user.Pattern(w);
                if (licensedNow && user.IsLicensed(w))
                {
                    stats.Licensed[w]++;
                }
            }
            if (licensedNow && user.LicenseMask != 0)
            {
                stats.AnyLicensed++;
            }
            var activeInPeriod = 0;
            var from = Math.Max(oldest, user.JoinDay);
            var to = Math.Min(newest, user.DeletedDay);
            for (var day = from; day <= to; day++)
            {
                var d = stats.Days[newest - day];
                var any = false;
                foreach (var w in Workload.Active)
                {
                    var h = user.Activity(w, patterns[w], day);
                    if (h == 0)
                    {
                        continue;
                    }
                    any = true;
                    activeInPeriod |= Workload.Bit(w);
                    Count(d, w, h);
                }
                if (any)
                {
                    d[Stat.AnyActive]++;
                }
            }
            if (licensedNow)
            {
                for (var w = 0; w < Workload.Count; w++)
                {
                    if ((activeInPeriod & Workload.Bit(w)) != 0)
                    {
                        stats.ActiveInPeriod[w]++;
                    }
                }
                if (activeInPeriod != 0)
                {
                    stats.AnyActiveInPeriod++;
                }
            }
        }
        return stats;
    }

    /// <summary>Adds one active user-day; the spare bits of the activity hash decide what the user did.</summary>
    private static void Count(long[] d, int workload, ulong h)
    {
        switch (workload)
        {
            case Workload.Exchange:
                d[Stat.Exchange]++;
                d[Stat.Send] += (long)((h >> 16) % 12);
                d[Stat.Receive] += 5 + (long)((h >> 24) % 40);
                d[Stat.Read] += 1 + (long)((h >> 32) % 30);
                break;
            case Workload.OneDrive:
                d[Stat.OneDrive]++;
                break;
            case Workload.SharePoint:
                d[Stat.SharePoint]++;
                d[Stat.Visited] += (h >> 16) % 10 < 8 ? 1 : 0;
                d[Stat.ViewedOrEdited] += (h >> 20) % 10 < 7 ? 1 : 0;
                d[Stat.Synced] += (h >> 24) % 4 == 0 ? 1 : 0;
                d[Stat.SharedInternally] += (h >> 28) % 8 == 0 ? 1 : 0;
                d[Stat.SharedExternally] += (h >> 32) % 25 == 0 ? 1 : 0;
                break;
            case Workload.Yammer:
                d[Stat.Yammer]++;
                d[Stat.Liked] += (long)((h >> 16) % 3);
                d[Stat.Posted] += (long)((h >> 20) % 2);
                d[Stat.YammerRead] += 1 + (long)((h >> 24) % 10);
                break;
            case Workload.Teams:
                d[Stat.Teams]++;
                d[Stat.TeamChat] += (h >> 16) % 10 < 6 ? 1 : 0;
                d[Stat.PrivateChat] += (h >> 20) % 100 < 85 ? 1 : 0;
                d[Stat.Calls] += (h >> 28) % 10 < 4 ? 1 : 0;
                d[Stat.Meetings] += (h >> 32) % 100 < 55 ? 1 : 0;
                d[Stat.OtherActions] += (h >> 40) % 10 < 3 ? 1 : 0;
                break;
            default:
                break;
        }
    }

    private static class Stat
    {
        public const int AnyActive = 0;
        public const int Exchange = 1;
        public const int OneDrive = 2;
        public const int SharePoint = 3;
        public const int Yammer = 4;
        public const int Teams = 5;
        public const int Send = 6;
        public const int Receive = 7;
        public const int Read = 8;
        public const int Visited = 9;
        public const int ViewedOrEdited = 10;
        public const int Synced = 11;
        public const int SharedInternally = 12;
        public const int SharedExternally = 13;
        public const int TeamChat = 14;
        public const int PrivateChat = 15;
        public const int Calls = 16;
        public const int Meetings = 17;
        public const int OtherActions = 18;
        public const int Liked = 19;
        public const int Posted = 20;
        public const int YammerRead = 21;
        public const int Count = 22;
    }

    private sealed class UsageStats
    {
        public UsageStats(int days)
        {
            Days = new long[days][];
            for (var i = 0; i < days; i++)
            {
                Days[i] = new long[Stat.Count];
            }
        }

        /// <summary>Index 0 is the refresh date, then one day older per index.</summary>
        public long[][] Days { get; }

        public long[] Licensed { get; } = new long[Workload.Count];

        public long[] ActiveInPeriod { get; } = new long[Workload.Count];

        public long AnyLicensed { get; set; }

        public long AnyActiveInPeriod { get; set; }
    }

    /// <summary>"yyyy-MM-dd" per day number, formatted once per report.</summary>
    private sealed class DateStrings
    {
        private readonly Dictionary<int, string> _cache = [];

        public string this[int day]
        {
            get
            {
                if (!_cache.TryGetValue(day, out var text))
                {
                    text = DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    _cache[day] = text;
                }
                return text;
            }
        }
    }
}
