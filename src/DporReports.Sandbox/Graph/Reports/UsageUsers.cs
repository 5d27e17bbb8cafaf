using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DporReports.Sandbox.Graph.Reports;

/// <summary>The workloads of the active-user detail, in its column order, as bits of a licence mask.</summary>
internal static class Workload
{
    public const int Exchange = 0;
    public const int OneDrive = 1;
    public const int SharePoint = 2;
    public const int Skype = 3;
    public const int Yammer = 4;
    public const int Teams = 5;
    public const int Count = 6;

    /// <summary>The workloads that still have activity (Skype for Business Online was retired in July 2021).</summary>
    public static readonly int[] Active = [Exchange, OneDrive, SharePoint, Yammer, Teams];

    public static int Bit(int workload) => 1 << workload;
}

/// <summary>SplitMix64 mixing: cheap, well-distributed, deterministic across runs and platforms.</summary>
internal static class UsageHash
{
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Mix(ulong a, ulong b) => Mix(a ^ Mix(b + 0x632BE59BD9B4E019UL));

    /// <summary>A value in 0..9999 (basis points) from a hash.</summary>
    public static int BasisPoints(ulong hash) => (int)(hash % 10_000);

    public static ulong Seed(string text) => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>Product display names (the report's Assigned Products) and the workloads each SKU licenses.</summary>
internal static partial class UsageProducts
{
    /// <summary>The name the reports print: Microsoft's display name in capitals; a SKU the table does not know prints its part number.</summary>
    public static string DisplayName(string partNumber) => GraphSkuCatalog.Find(partNumber).DisplayName.ToUpperInvariant();

    /// <summary>
    /// Workload bits from service-plan names, as Graph's "Has … License" columns see them: mailbox plans (not Exchange
    /// Foundation, archiving or analytics), SharePoint plans (not Office for the web, storage or Project), Teams (not the free
    /// offer, rooms or Premium add-ons), Viva Engage Core and Yammer, Skype for Business plans 1–3.
    /// </summary>
    public static int WorkloadMask(IEnumerable<string> servicePlanNames)
    {
        var mask = 0;
        foreach (var plan in servicePlanNames)
        {
            if (ExchangePlan().IsMatch(plan)) mask |= Workload.Bit(Workload.Exchange);
            if (SharePointPlan().IsMatch(plan)) mask |= Workload.Bit(Workload.OneDrive) | Workload.Bit(Workload.SharePoint);
            if (TeamsPlan().IsMatch(plan)) mask |= Workload.Bit(Workload.Teams);
            if (YammerPlan().IsMatch(plan)) mask |= Workload.Bit(Workload.Yammer);
            if (SkypePlan().IsMatch(plan)) mask |= Workload.Bit(Workload.Skype);
        }
        return mask;
    }

    /// <summary>A Microsoft 365 Copilot licence: the plans that put Copilot in the apps, in Teams or in Copilot Chat.</summary>
    public static bool LicensesCopilot(IEnumerable<string> servicePlanNames) => servicePlanNames.Any(p => CopilotPlan().IsMatch(p));

    [GeneratedRegex(@"^M365_COPILOT_(APPS|TEAMS|BUSINESS_CHAT)$", RegexOptions.IgnoreCase)]
    private static partial Regex CopilotPlan();

    [GeneratedRegex(@"^EXCHANGE_(S_(ENTERPRISE|STANDARD|DESKLESS|ESSENTIALS)(_GOV|_MIDMARKET)?|L_STANDARD|B_STANDARD)$", RegexOptions.IgnoreCase)]
    private static partial Regex ExchangePlan();

    [GeneratedRegex(@"^(SHAREPOINT(ENTERPRISE|STANDARD|DESKLESS)(_EDU|_GOV|_MIDMARKET)?|SHAREPOINTLITE|SHAREPOINT_S_DEVELOPER|SharePoint Plan 1G)$", RegexOptions.IgnoreCase)]
    private static partial Regex SharePointPlan();

    [GeneratedRegex(@"^(TEAMS1|TEAMS_GOV|TEAMS_AR_(GCCHIGH|DOD)|TEAMS_DESKLESS|TeamsEss|MCO_TEAMS_IW)$", RegexOptions.IgnoreCase)]
    private static partial Regex TeamsPlan();

    [GeneratedRegex(@"^(YAMMER_(ENTERPRISE|EDU|MIDSIZE|BASIC)|VIVAENGAGE_CORE)$", RegexOptions.IgnoreCase)]
    private static partial Regex YammerPlan();

    [GeneratedRegex(@"^MCO(STANDARD(_GOV|_MIDMARKET)?|IMP(_GOV)?|LITE|VOICECONF)$", RegexOptions.IgnoreCase)]
    private static partial Regex SkypePlan();
}

/// <summary>
/// A product users of a tenant may hold: its display name, the workloads it licenses and how common it is; <c>Copilot</c>:
/// it licenses Microsoft 365 Copilot (its holders are the Copilot report's users).
/// </summary>
internal sealed record UsageProduct(string Name, int Mask, int Weight, bool Copilot = false);

/// <summary>
/// Everything needed to generate a tenant's report users on the fly: user n is a pure function of (tenant seed, n,
/// products), so a 100,000-user report never holds its users in memory.
/// </summary>
internal sealed class UsageTenantProfile
{
    // Users join (get their licences) in the year from this date; it is absolute so a user's dates stay put day to day.
    private static readonly int JoinEpochDay = new DateOnly(2025, 6, 1).DayNumber;

    private static readonly string[] FirstNames =
    [
        "Avery", "Blake", "Casey", "Dana", "Eli", "Farah", "Gabriel", "Hana", "Ivan", "Jonas", "Keiko", "Lars", "Maya", "Nikhil",
        "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Xenia", "Yusuf", "Zoe", "Amara", "Bruno",
        "Chloé", "Dmitri", "Elif", "Finn", "Greta", "Hugo", "Ines", "José",
    ];

    private static readonly string[] LastNames =
    [
        "Brooks", "Chen", "Diaz", "Eriksen", "Fischer", "García", "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Müller",
        "Novak", "O'Brien", "Patel", "Quist", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Wright", "Xu", "Yilmaz",
        "Zhang", "Andersson", "Bianchi", "Costa", "Dubois", "Evans",
    ];

    private readonly UsageProduct[] _suites;
    private readonly UsageProduct[] _addOns;
    private readonly int _suiteWeight;

    public UsageTenantProfile(Guid tenantId, string domain, string unknownProduct, int userCount, bool concealed, DateOnly refreshDate, IReadOnlyList<UsageProduct> products)
    {
        TenantId = tenantId;
        Domain = domain;
        UnknownProduct = unknownProduct;
        UserCount = userCount;
        Concealed = concealed;
        RefreshDay = refreshDate.DayNumber;
        Seed = UsageHash.Seed("usage-users:" + tenantId.ToString("D"));
        _suites = [.. products.Where(p => p.Mask != 0)];
        _addOns = [.. products.Where(p => p.Mask == 0)];
        _suiteWeight = _suites.Sum(s => s.Weight);
    }

    public Guid TenantId { get; }

    public string Domain { get; }

    public string UnknownProduct { get; }

    public int UserCount { get; }

    public bool Concealed { get; }

    /// <summary>The report refresh date as a <see cref="DateOnly.DayNumber"/>: no activity after it.</summary>
    public int RefreshDay { get; }

    /// <summary>The oldest day reports cover (Microsoft keeps 180 days).</summary>
    public int OldestDay => RefreshDay - 179;

    public ulong Seed { get; }

    /// <summary>User <paramref name="number"/> (1-based) of the tenant.</summary>
    public UsageUser User(int number)
    {
        var hash = UsageHash.Mix(Seed, (ulong)number);

        var products = new List<UsageProduct>(4);
        var mask = 0;
        var kind = UsageHash.BasisPoints(UsageHash.Mix(hash, 1));
        if (kind < 500)
        {
            // ~5 % unlicensed: an empty Assigned Products field.
        }
        else if (kind < 700)
        {
            // ~2 % hold a product the catalog does not know; it licenses mail and files.
            products.Add(new UsageProduct(UnknownProduct, 0, 0));
            mask = Workload.Bit(Workload.Exchange) | Workload.Bit(Workload.OneDrive) | Workload.Bit(Workload.SharePoint);
        }
        else
        {
            if (PickSuite(UsageHash.Mix(hash, 2)) is { } suite)
            {
                products.Add(suite);
                // ~4 % hold a second suite (both then count for the workloads they share).
                if (_suites.Length > 1 && UsageHash.BasisPoints(UsageHash.Mix(hash, 3)) < 400
                    && PickSuite(UsageHash.Mix(hash, 4), except: suite) is { } second)
                {
                    products.Add(second);
                }
            }
            for (var i = 0; i < _addOns.Length; i++)
            {
                var chance = UserCount == 0 ? 0 : Math.Min(9_000L, _addOns[i].Weight * 10_000L / UserCount);
                if (UsageHash.BasisPoints(UsageHash.Mix(hash, 10UL + (ulong)i)) < chance)
                {
                    products.Add(_addOns[i]);
                }
            }
            foreach (var product in products)
            {
                mask |= product.Mask;
            }
        }

        var dates = UsageHash.Mix(hash, 5);
        var joinDay = JoinEpochDay + (int)(dates % 365);
        if (joinDay > RefreshDay - 1)
        {
            // A clock earlier than the epoch (tests): fold the join into the month before the refresh date.
            joinDay = RefreshDay - 1 - (int)((dates >> 20) % 30);
        }
        var deletedDay = int.MaxValue;
        if (UsageHash.BasisPoints(UsageHash.Mix(hash, 6)) < 300)
        {
            var anchor = joinDay + 7 + (int)((dates >> 32) % 150);
            deletedDay = anchor <= RefreshDay ? anchor : RefreshDay - (int)((dates >> 40) % (ulong)Math.Max(1, RefreshDay - joinDay));
        }

        var names = UsageHash.Mix(hash, 7);
        var first = FirstNames[(int)(names % (ulong)FirstNames.Length)];
        var last = LastNames[(int)((names >> 16) % (ulong)LastNames.Length)];
        // Some directories name people "Last, First": display names with a comma exercise CSV quoting.
        var displayName = (names >> 32) % 10 == 0 ? $"{last}, {first}" : $"{first} {last}";
        var upn = $"user{number}@{Domain}";

        var patterns = UsageHash.Mix(hash, 8);
        return new UsageUser(
            number,
            Concealed ? Conceal(upn) : upn,
            Concealed ? Conceal(displayName) : displayName,
            deletedDay <= RefreshDay,
            deletedDay,
            joinDay,
            mask,
            string.Join('+', products.Select(p => p.Name)),
            patterns,
            hash,
            products.Exists(p => p.Copilot));
    }

    /// <summary>Graph's concealed names: a 32-hex-digit hash in capitals in place of the name.</summary>
    public static string Conceal(string value) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));

    private UsageProduct? PickSuite(ulong hash, UsageProduct? except = null)
    {
        var total = _suiteWeight - (except?.Weight ?? 0);
        if (total <= 0)
        {
            return _suites.FirstOrDefault(s => s != except);
        }
        var pick = (long)(hash % (ulong)total);
        foreach (var suite in _suites)
        {
            if (suite == except)
            {
                continue;
            }
            pick -= suite.Weight;
            if (pick < 0)
            {
                return suite;
            }
        }
        return null;
    }
}

/// <summary>One generated report user and its activity, computed on demand.</summary>
internal sealed class UsageUser(
    int number, string userPrincipalName, string displayName, bool isDeleted, int deletedDay, int joinDay, int licenseMask,
    string assignedProducts, ulong patterns, ulong hash, bool holdsCopilot = false)
{
    // Copilot apps, in the Copilot report's column order: Teams, Word, Excel, PowerPoint, Outlook, OneNote, Loop, Copilot Chat.
    public const int CopilotApps = 8;

    // Daily chance (of 65,536) a Copilot user of each pattern uses one app: weekly-ish, now and then, rarely; and never.
    private static readonly int[] CopilotThreshold = [13_107, 3_277, 655];

    // Daily activity probability (of 65,536) per pattern, weekday and weekend: heavy, regular, rare.
    private static readonly int[] WeekdayThreshold = [55_705, 29_491, 2_621];
    private static readonly int[] WeekendThreshold = [19_660, 5_243, 655];

    public int Number { get; } = number;

    public string UserPrincipalName { get; } = userPrincipalName;

    public string DisplayName { get; } = displayName;

    public bool IsDeleted { get; } = isDeleted;

    /// <summary>Day number of the deletion; <see cref="int.MaxValue"/> when the user is not deleted.</summary>
    public int DeletedDay { get; } = deletedDay;

    /// <summary>Day number the user's licences were assigned.</summary>
    public int JoinDay { get; } = joinDay;

    public int LicenseMask { get; } = licenseMask;

    public string AssignedProducts { get; } = assignedProducts;

    public bool IsLicensed(int workload) => (LicenseMask & Workload.Bit(workload)) != 0;

    /// <summary>Holds a Microsoft 365 Copilot licence: listed in the Copilot report.</summary>
    public bool HoldsCopilot { get; } = holdsCopilot;

    /// <summary>
    /// The latest day in <paramref name="oldestDay"/>..<paramref name="asOfDay"/> the user used Copilot app
    /// <paramref name="app"/> (0..7), or null. Each user has a Copilot habit (0 often … 3 never) and uses each app on its own days.
    /// </summary>
    public int? CopilotLastActivity(int app, int asOfDay, int oldestDay)
    {
        var habit = ((int)((hash >> 48) & 0xFF) * 100 / 256) switch
        {
            < 25 => 0,
            < 55 => 1,
            < 80 => 2,
            _ => 3,
        };
        // Not every app for everyone: about one app in three is one the user never opens.
        if (habit == 3 || UsageHash.Mix(hash, 100UL + (ulong)app) % 3 == 0)
        {
            return null;
        }
        for (var day = Math.Min(asOfDay, DeletedDay); day >= Math.Max(oldestDay, JoinDay); day--)
        {
            var roll = UsageHash.Mix(hash ^ ((ulong)(app + 17) * 0xD6E8FEB86659FD93UL) ^ ((ulong)day * 0x9FB21C651E98DF25UL));
            if ((int)(roll & 0xFFFF) < CopilotThreshold[habit])
            {
                return day;
            }
        }
        return null;
    }

    /// <summary>0 heavy, 1 regular, 2 rare, 3 never (30/35/20/15 %); never for unlicensed workloads and Skype.</summary>
    public int Pattern(int workload)
    {
        if (!IsLicensed(workload) || workload == Workload.Skype)
        {
            return 3;
        }
        var roll = (int)((patterns >> (workload * 8)) & 0xFF) * 100 / 256;
        return roll switch
        {
            < 30 => 0,
            < 65 => 1,
            < 85 => 2,
            _ => 3,
        };
    }

    /// <summary>The activity hash of a workload on a day, or 0 when the user was not active then.</summary>
    public ulong Activity(int workload, int pattern, int day)
    {
        if (pattern == 3 || day < JoinDay || day > DeletedDay)
        {
            return 0;
        }
        var roll = UsageHash.Mix(hash ^ ((ulong)(workload + 1) * 0xD6E8FEB86659FD93UL) ^ ((ulong)day * 0x9FB21C651E98DF25UL));
        var weekend = day % 7 >= 5; // DayNumber 0 (0001-01-01) was a Monday.
        var threshold = weekend ? WeekendThreshold[pattern] : WeekdayThreshold[pattern];
        return (int)(roll & 0xFFFF) < threshold ? roll | 1UL << 63 : 0;
    }

    /// <summary>The latest day in <paramref name="oldestDay"/>..<paramref name="asOfDay"/> with activity, or null.</summary>
    public int? LastActivity(int workload, int asOfDay, int oldestDay)
    {
        var pattern = Pattern(workload);
        if (pattern == 3)
        {
            return null;
        }
        var from = Math.Min(asOfDay, DeletedDay);
        var to = Math.Max(oldestDay, JoinDay);
        for (var day = from; day >= to; day--)
        {
            if (Activity(workload, pattern, day) != 0)
            {
                return day;
            }
        }
        return null;
    }
}
