using System.Globalization;
using DporReports.Sandbox.Graph.Reports;

namespace DporReports.Sandbox.Graph;

/// <summary>
/// Extra customer tenants for scale tests: tenant i is a pure function of (seed, i) — id, name, domain, user count and
/// a small inventory — so only the id index is held; inventories are built the first time a tenant is asked for.
/// </summary>
internal sealed class SyntheticTenantSet
{
    public const int MaxCount = 100_000;
    public const int MaxMedianUsers = 100_000;

    private static readonly string[] Suites = ["ENTERPRISEPACK", "SPE_E3", "SPE_E5", "SPB", "STANDARDWOFFPACK", "Office_365_E3_(no_Teams)"];
    private static readonly string[] AddOns = ["EMS", "EMSPREMIUM", "INTUNE_A", "POWER_BI_PRO", "DYN365_ENTERPRISE_PLAN1"];

    private readonly Dictionary<Guid, int> _index;

    public SyntheticTenantSet(int count, int medianUsers, int seed)
    {
        Count = count;
        MedianUsers = medianUsers;
        Seed = seed;
        Ids = new Guid[count];
        _index = new Dictionary<Guid, int>(count);
        for (var i = 0; i < count; i++)
        {
            Ids[i] = SandboxDirectory.DeterministicGuid($"synthetic-tenant:{seed}:{i}");
            _index[Ids[i]] = i;
        }
    }

    public int Count { get; }

    public int MedianUsers { get; }

    public int Seed { get; }

    public Guid[] Ids { get; }

    public bool Contains(Guid tenantId) => _index.ContainsKey(tenantId);

    public SandboxTenant? Find(Guid tenantId)
    {
        if (!_index.TryGetValue(tenantId, out var i))
        {
            return null;
        }
        var number = (i + 1).ToString("D5", CultureInfo.InvariantCulture);
        return new SandboxTenant(tenantId, $"Synthetic Customer {number}", "customer", $"synthetic{number}.example");
    }

    /// <summary>Users around the median: the median times 2^u, u uniform in -1..1 (so half / double at the extremes).</summary>
    public int UserCount(Guid tenantId)
    {
        var hash = UsageHash.Mix(UsageHash.Seed($"synthetic-users:{Seed}:{tenantId}"));
        var exponent = (hash % 2001 / 1000.0) - 1.0;
        return Math.Max(1, (int)Math.Round(MedianUsers * Math.Pow(2, exponent)));
    }

    /// <summary>One suite and 0–2 add-ons, seats near the user count.</summary>
    public IReadOnlyList<GraphSeed> Inventory(Guid tenantId)
    {
        var users = UserCount(tenantId);
        var hash = UsageHash.Mix(UsageHash.Seed($"synthetic-inventory:{Seed}:{tenantId}"));
        var seeds = new List<GraphSeed>
        {
            new("suite", Suites[(int)(hash % (ulong)Suites.Length)], users + (int)((ulong)users * ((hash >> 8) % 20) / 100), "Enabled"),
        };
        var extra = (int)((hash >> 16) % 3);
        var start = (int)((hash >> 24) % (ulong)AddOns.Length);
        for (var k = 0; k < extra; k++)
        {
            var seats = Math.Max(1, users * (10 + (int)((hash >> (32 + (k * 8))) % 50)) / 100);
            seeds.Add(new GraphSeed($"addon-{k}", AddOns[(start + k) % AddOns.Length], seats, "Enabled"));
        }
        return seeds;
    }
}
