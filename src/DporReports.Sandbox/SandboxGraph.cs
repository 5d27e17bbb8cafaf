using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using DporReports.Sandbox.Graph;
using DporReports.Sandbox.Graph.Reports;

namespace DporReports.Sandbox;

/// <summary>
/// The sandbox's Microsoft Graph subscription inventory: per-tenant companySubscriptions (seeded deterministically),
/// page sizes, injected faults and the request log. Thread-safe. The HTTP knobs under <c>/_sandbox/graph/</c> call these
/// same methods; tests in-process may too.
/// </summary>
public sealed class SandboxGraph
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 999;
    public const int MaxScaleSubscriptions = 100_000;
    private const int MaxLoggedRequests = 10_000;
    private const string AppliesToUser = "User";
    private const string OwnerTypeCompany = "Company";
    private const string ReportsFaultPath = "reports";

    private static readonly string[] Statuses = ["Enabled", "Warning", "Suspended", "Deleted", "LockedOut"];
    private static readonly string[] FaultPaths = ["subscriptions", "subscribedSkus", "organization"];
    private static readonly DateTimeOffset SeedEpoch = new(2023, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ConcurrentDictionary<Guid, IReadOnlyList<SandboxGraphServicePlan>> PlansBySku = new();

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly byte[] _skipTokenKey = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<Guid, TenantInventory> _tenants = [];
    private readonly List<FaultState> _faults = [];
    private readonly ConcurrentQueue<SandboxGraphRequest> _requests = new();
    private readonly SandboxConsentStore _consents;
    private SyntheticTenantSet? _synthetic;

    // Not reset with the inventory, so a subscription added after a reset never reuses an earlier one's id.
    private int _added;

    internal SandboxGraph(TimeProvider time, SandboxConsentStore consents)
    {
        _time = time;
        _consents = consents;
        Reports = new SandboxGraphReports(this, time);
        Reset();
    }

    /// <summary>The usage reports (<c>/graph/v1.0/reports/...</c>): users, budget, download links and faults.</summary>
    public SandboxGraphReports Reports { get; }

    /// <summary>The synthetic customer tenants, or null when none were created.</summary>
    public SandboxSyntheticTenants? SyntheticTenants => _synthetic is { } synthetic
        ? new SandboxSyntheticTenants(synthetic.Count, synthetic.MedianUsers, synthetic.Seed, synthetic.Ids)
        : null;

    /// <summary>The request log, oldest first (the most recent 10,000).</summary>
    public IReadOnlyList<SandboxGraphRequest> Requests => _requests.ToArray();

    /// <summary>Faults still pending (with their remaining counts), in the order they match.</summary>
    public IReadOnlyList<SandboxGraphFault> Faults
    {
        get
        {
            lock (_lock)
            {
                return [.. _faults.Select(f => f.Snapshot())];
            }
        }
    }

    /// <summary>
    /// Every tenant back to its seed inventory and the default page size; no faults; empty request log; report knobs,
    /// budgets and download faults back to defaults; no synthetic tenants.
    /// </summary>
    public void Reset()
    {
        RemoveSyntheticTenants();
        Reports.Reset();
        lock (_lock)
        {
            _tenants.Clear();
            foreach (var tenant in SandboxDirectory.Tenants)
            {
                _tenants[tenant.Id] = new TenantInventory(GraphSeed.For(tenant.Id).Select(s => Seeded(tenant.Id, s)).ToList());
            }
            _faults.Clear();
        }
        _requests.Clear();
    }

    /// <summary>
    /// Replaces the synthetic tenants with <paramref name="count"/> customer tenants whose ids derive from
    /// <paramref name="seed"/>, each consented, with 1-3 subscriptions and about <paramref name="medianUsers"/> report
    /// users. Only their ids are held; inventories are built when first asked for.
    /// </summary>
    public SandboxSyntheticTenants CreateSyntheticTenants(int count, int medianUsers, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, SyntheticTenantSet.MaxCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(medianUsers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(medianUsers, SyntheticTenantSet.MaxMedianUsers);
        var created = new SyntheticTenantSet(count, medianUsers, seed);
        RemoveSyntheticTenants();
        foreach (var id in created.Ids)
        {
            _consents.Grant(id);
        }
        _synthetic = created;
        return SyntheticTenants!;
    }

    /// <summary>Removes the synthetic tenants, their inventories, knobs and consents.</summary>
    public void RemoveSyntheticTenants()
    {
        if (Interlocked.Exchange(ref _synthetic, null) is not { } old)
        {
            return;
        }
        lock (_lock)
        {
            foreach (var id in old.Ids)
            {
                _tenants.Remove(id);
            }
        }
        foreach (var id in old.Ids)
        {
            _consents.Revoke(id);
        }
    }

    /// <summary>A tenant of the sandbox directory or a synthetic one; null when unknown.</summary>
    public SandboxTenant? FindTenant(Guid tenantId) => SandboxDirectory.FindTenant(tenantId) ?? _synthetic?.Find(tenantId);

    /// <summary>The tenant's companySubscriptions in the order Graph lists them.</summary>
    /// <exception cref="KeyNotFoundException">The tenant is not in the sandbox directory.</exception>
    public IReadOnlyList<SandboxGraphSubscription> Subscriptions(Guid tenantId)
    {
        lock (_lock)
        {
            return [.. Tenant(tenantId).Subscriptions];
        }
    }

    /// <summary>The tenant's subscribedSkus, aggregated from its companySubscriptions.</summary>
    public IReadOnlyList<SandboxGraphSubscribedSku> SubscribedSkus(Guid tenantId) => Aggregate(tenantId, Subscriptions(tenantId));

    /// <summary>Adds a subscription. Known part numbers get their real skuId and service plans; others a derived skuId and no plans.</summary>
    /// <exception cref="ArgumentException">An unknown status, a blank part number or a negative seat count.</exception>
    public SandboxGraphSubscription AddSubscription(Guid tenantId, string skuPartNumber, int totalLicenses, string status = "Enabled", bool isTrial = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(skuPartNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(totalLicenses);
        var canonicalStatus = CanonicalStatus(status) ?? throw new ArgumentException(UnknownStatusMessage(status), nameof(status));
        var sku = GraphSkuCatalog.Find(skuPartNumber.Trim());
        var created = TruncateToSeconds(_time.GetUtcNow());
        lock (_lock)
        {
            var inventory = Tenant(tenantId);
            var name = $"added-{++_added}";
            var subscription = new SandboxGraphSubscription(
                SubscriptionId(tenantId, name),
                CommerceId(tenantId, name),
                created,
                isTrial,
                canonicalStatus == "Deleted" ? null : isTrial ? created.AddDays(30) : created.AddYears(1),
                tenantId,
                tenantId,
                OwnerTypeCompany,
                Plans(sku),
                sku.SkuId,
                sku.PartNumber,
                canonicalStatus,
                totalLicenses);
            inventory.Subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Changes a subscription's status, seat count and/or trial flag; null when the tenant has no such subscription.</summary>
    /// <exception cref="ArgumentException">An unknown status or a negative seat count.</exception>
    public SandboxGraphSubscription? UpdateSubscription(Guid tenantId, Guid subscriptionId, string? status = null, int? totalLicenses = null, bool? isTrial = null)
    {
        var canonicalStatus = status is null ? null : CanonicalStatus(status) ?? throw new ArgumentException(UnknownStatusMessage(status), nameof(status));
        if (totalLicenses is { } seats)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(seats, nameof(totalLicenses));
        }
        lock (_lock)
        {
            var list = Tenant(tenantId).Subscriptions;
            var index = list.FindIndex(s => s.Id == subscriptionId);
            if (index < 0)
            {
                return null;
            }
            var current = list[index];
            var updated = current with
            {
                Status = canonicalStatus ?? current.Status,
                TotalLicenses = totalLicenses ?? current.TotalLicenses,
                IsTrial = isTrial ?? current.IsTrial,
            };
            if (updated.Status == "Deleted")
            {
                updated = updated with { NextLifecycleDateTime = null };
            }
            else if (current.Status == "Deleted")
            {
                updated = updated with { NextLifecycleDateTime = TruncateToSeconds(_time.GetUtcNow()).AddYears(1) };
            }
            list[index] = updated;
            return updated;
        }
    }

    /// <summary>Removes a subscription from both endpoints; false when the tenant has no such subscription.</summary>
    public bool RemoveSubscription(Guid tenantId, Guid subscriptionId)
    {
        lock (_lock)
        {
            return Tenant(tenantId).Subscriptions.RemoveAll(s => s.Id == subscriptionId) > 0;
        }
    }

    /// <summary>
    /// Replaces the tenant's inventory with <paramref name="count"/> deterministic subscriptions cycling over the known
    /// SKUs (mostly Enabled; every tenth Warning, every twentieth Suspended).
    /// </summary>
    public void Scale(Guid tenantId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxScaleSubscriptions);
        var skus = GraphSkuCatalog.Common;
        var subscriptions = new List<SandboxGraphSubscription>(count);
        for (var i = 0; i < count; i++)
        {
            var sku = skus[i % skus.Count];
            var status = (i % 20) switch
            {
                5 or 15 => "Warning",
                10 => "Suspended",
                _ => "Enabled",
            };
            var created = SeedEpoch.AddDays(i % 1000).AddHours(i % 24);
            var name = $"scale-{i}";
            subscriptions.Add(new SandboxGraphSubscription(
                SubscriptionId(tenantId, name), CommerceId(tenantId, name), created, i % 50 == 49, Anniversary(created),
                tenantId, tenantId, OwnerTypeCompany, Plans(sku), sku.SkuId, sku.PartNumber, status, 1 + (i * 37 % 300)));
        }
        lock (_lock)
        {
            var inventory = Tenant(tenantId);
            inventory.Subscriptions.Clear();
            inventory.Subscriptions.AddRange(subscriptions);
        }
    }

    /// <summary>The page size the tenant's collections answer with when the request has no <c>$top</c>.</summary>
    public int PageSize(Guid tenantId)
    {
        lock (_lock)
        {
            return Tenant(tenantId).PageSize;
        }
    }

    public void SetPageSize(Guid tenantId, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxPageSize);
        lock (_lock)
        {
            Tenant(tenantId).PageSize = size;
        }
    }

    /// <summary>Queues a fault for the next <see cref="SandboxGraphFault.Count"/> matching requests.</summary>
    /// <exception cref="ArgumentException">An unknown path or status, no status and no delay, or a count below 1.</exception>
    public SandboxGraphFault AddFault(SandboxGraphFault fault)
    {
        var path = fault.Path is null ? null : CanonicalFaultPath(fault.Path)
            ?? throw new ArgumentException(
                $"Unknown fault path '{fault.Path}'. Use one of: {string.Join(", ", FaultPaths)}, \"reports\" (any report), "
                + $"\"reports/{{function}}\" with a function of: {string.Join(", ", SandboxGraphReports.Functions)}; or null for any.", nameof(fault));
        if (fault.Status is { } status && GraphErrorCodes.ForFault(status) is null)
        {
            throw new ArgumentException($"Fault status {status} is not supported. Use 429, 500, 502, 503 or 504.", nameof(fault));
        }
        if (fault.Status is null && fault.DelayMs is null)
        {
            throw new ArgumentException("Give a status, a delayMs, or both.", nameof(fault));
        }
        if (fault.DelayMs is < 0 or > 300_000 || fault.RetryAfterSeconds is < 0 || fault.Count < 1)
        {
            throw new ArgumentException("delayMs must be 0..300000, retryAfterSeconds 0 or more, count 1 or more.", nameof(fault));
        }
        var state = new FaultState(fault with { Path = path });
        lock (_lock)
        {
            _faults.Add(state);
            return state.Snapshot();
        }
    }

    public void ClearFaults()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }

    public void ClearRequests() => _requests.Clear();

    internal static bool IsKnownTenant(Guid tenantId) => SandboxDirectory.FindTenant(tenantId) is not null;

    /// <summary>A directory tenant or a synthetic one.</summary>
    internal bool Knows(Guid tenantId) => FindTenant(tenantId) is not null;

    internal int? SyntheticUserCount(Guid tenantId) =>
        _synthetic is { } synthetic && synthetic.Contains(tenantId) ? synthetic.UserCount(tenantId) : null;

    /// <summary>"Enabled", "Warning", ... in Graph's casing; null for an unknown status.</summary>
    internal static string? CanonicalStatus(string status) =>
        Array.Find(Statuses, s => string.Equals(s, status.Trim(), StringComparison.OrdinalIgnoreCase));

    internal static string UnknownStatusMessage(string? status) =>
        $"Unknown status '{status}'. Use one of: {string.Join(", ", Statuses)}.";

    /// <summary>Takes the first pending fault that matches the request and counts it down.</summary>
    internal SandboxGraphFault? TakeFault(Guid tenantId, string path)
    {
        lock (_lock)
        {
            var index = _faults.FindIndex(f => f.Matches(tenantId, path));
            if (index < 0)
            {
                return null;
            }
            var fault = _faults[index];
            if (--fault.Remaining == 0)
            {
                _faults.RemoveAt(index);
            }
            return fault.Fault;
        }
    }

    internal void Log(SandboxGraphRequest request)
    {
        _requests.Enqueue(request);
        while (_requests.Count > MaxLoggedRequests && _requests.TryDequeue(out _))
        {
        }
    }

    /// <summary>An opaque, signed continuation token bound to the tenant, the collection and the offset.</summary>
    internal string CreateSkipToken(Guid tenantId, string collection, int offset)
    {
        Span<byte> buffer = stackalloc byte[16 + 4 + 16];
        tenantId.TryWriteBytes(buffer[..16], bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(buffer[16..20], offset);
        Mac(collection, buffer[..20], buffer[20..]);
        return Base64Url.EncodeToString(buffer);
    }

    /// <summary>The offset a skip token stands for; false when it is malformed or was issued for another tenant or collection.</summary>
    internal bool TryReadSkipToken(string token, Guid tenantId, string collection, out int offset)
    {
        offset = 0;
        Span<byte> buffer = stackalloc byte[64];
        if (!Base64Url.IsValid(token) || Base64Url.GetMaxDecodedLength(token.Length) > buffer.Length
            || Base64Url.DecodeFromChars(token, buffer, out _, out var written) != System.Buffers.OperationStatus.Done || written != 36)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[16];
        Mac(collection, buffer[..20], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, buffer[20..36]) || new Guid(buffer[..16], bigEndian: true) != tenantId)
        {
            return false;
        }
        offset = BinaryPrimitives.ReadInt32BigEndian(buffer[16..20]);
        return offset >= 0;
    }

    private void Mac(string collection, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[payload.Length + 64];
        payload.CopyTo(input);
        var length = payload.Length + System.Text.Encoding.UTF8.GetBytes(collection, input[payload.Length..]);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_skipTokenKey, input[..length], mac);
        mac[..destination.Length].CopyTo(destination);
    }

    /// <summary>The tenant's inventory (call under the lock); a synthetic tenant's is built the first time.</summary>
    private TenantInventory Tenant(Guid tenantId)
    {
        if (_tenants.TryGetValue(tenantId, out var inventory))
        {
            return inventory;
        }
        if (_synthetic is { } synthetic && synthetic.Contains(tenantId))
        {
            inventory = new TenantInventory([.. synthetic.Inventory(tenantId).Select(s => Seeded(tenantId, s))]);
            _tenants[tenantId] = inventory;
            return inventory;
        }
        throw new KeyNotFoundException($"Tenant '{tenantId}' is not in the sandbox directory.");
    }

    private static IReadOnlyList<SandboxGraphSubscribedSku> Aggregate(Guid tenantId, IReadOnlyList<SandboxGraphSubscription> subscriptions) =>
        [.. subscriptions.GroupBy(s => s.SkuId).Select(group =>
        {
            var items = group.ToList();
            int Seats(string status) => items.Where(s => s.Status == status).Sum(s => s.TotalLicenses);
            var prepaid = new SandboxGraphPrepaidUnits(Seats("Enabled"), Seats("Suspended"), Seats("Warning"), Seats("LockedOut"));
            var capability = Array.Find(["Enabled", "Warning", "Suspended", "LockedOut"], s => items.Exists(i => i.Status == s)) ?? "Deleted";
            // Deterministic: 55-95 % of the usable seats are assigned.
            var percent = 55 + (int)(BinaryPrimitives.ReadUInt32BigEndian(
                SandboxDirectory.DeterministicGuid($"graph-consumed:{tenantId}:{group.Key}").ToByteArray(bigEndian: true)) % 41);
            var consumed = (prepaid.Enabled + prepaid.Warning) * percent / 100;
            var plans = items.SelectMany(s => s.ServiceStatus)
                .GroupBy(p => p.ServicePlanId)
                .Select(p => p.FirstOrDefault(x => x.ProvisioningStatus == "Success") ?? p.First())
                .ToList();
            return new SandboxGraphSubscribedSku(
                $"{tenantId}_{group.Key}", group.Key, items[0].SkuPartNumber, AppliesToUser, capability, consumed, prepaid, plans,
                [.. items.Select(s => s.Id.ToString())]);
        })];

    private static SandboxGraphSubscription Seeded(Guid tenantId, GraphSeed seed)
    {
        var sku = GraphSkuCatalog.Find(seed.PartNumber);
        var id = SubscriptionId(tenantId, seed.Name);
        var created = SeedEpoch.AddDays(BinaryPrimitives.ReadUInt32BigEndian(id.ToByteArray(bigEndian: true)) % 900);
        var plans = Plans(sku);
        if (seed.DisabledPlan is { } disabled)
        {
            plans = [.. plans.Select(p => p.ServicePlanName == disabled ? p with { ProvisioningStatus = "Disabled" } : p)];
        }
        var owner = seed.Reseller ?? tenantId;
        return new SandboxGraphSubscription(
            id, CommerceId(tenantId, seed.Name), created, seed.IsTrial, seed.Status == "Deleted" ? null : Anniversary(created),
            owner, owner, OwnerTypeCompany, plans, sku.SkuId, sku.PartNumber, seed.Status, seed.Seats);
    }

    private static IReadOnlyList<SandboxGraphServicePlan> Plans(GraphSku sku) =>
        PlansBySku.GetOrAdd(sku.SkuId, _ => [.. sku.Plans.Select(p => new SandboxGraphServicePlan(p.Id, p.Name, "Success", AppliesToUser))]);

    private static Guid SubscriptionId(Guid tenantId, string name) => SandboxDirectory.DeterministicGuid($"graph-subscription:{tenantId}:{name}");

    private static string CommerceId(Guid tenantId, string name) => SandboxDirectory.DeterministicGuid($"graph-commerce:{tenantId}:{name}").ToString();

    /// <summary>Renewal: the subscription's anniversary in 2027 (fixed, so the seed is the same on every start).</summary>
    private static DateTimeOffset Anniversary(DateTimeOffset created) => created.AddYears(2027 - created.Year);

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset);

    /// <summary>
    /// "subscriptions", "subscribedSkus", "organization", "reports" (every report function) or "reports/{function}"
    /// (a bare function name works too); null when unknown.
    /// </summary>
    private static string? CanonicalFaultPath(string path) => path.Trim().TrimStart('/') switch
    {
        var p when p.Equals("directory/subscriptions", StringComparison.OrdinalIgnoreCase) => "subscriptions",
        var p when p.Equals(ReportsFaultPath, StringComparison.OrdinalIgnoreCase) => ReportsFaultPath,
        var p when p.StartsWith(ReportsFaultPath + "/", StringComparison.OrdinalIgnoreCase) =>
            UsageReportCatalog.Find(p[(ReportsFaultPath.Length + 1)..])?.Function is { } function ? $"{ReportsFaultPath}/{function}" : null,
        var p when UsageReportCatalog.Find(p) is { } report => $"{ReportsFaultPath}/{report.Function}",
        var p => Array.Find(FaultPaths, f => string.Equals(f, p, StringComparison.OrdinalIgnoreCase)),
    };

    private sealed class TenantInventory(List<SandboxGraphSubscription> subscriptions)
    {
        public List<SandboxGraphSubscription> Subscriptions { get; } = subscriptions;

        public int PageSize { get; set; } = DefaultPageSize;
    }

    private sealed class FaultState(SandboxGraphFault fault)
    {
        public SandboxGraphFault Fault { get; } = fault;

        public int Remaining { get; set; } = fault.Count;

        public bool Matches(Guid tenantId, string path) =>
            Remaining > 0 && (Fault.TenantId is null || Fault.TenantId == tenantId)
            && (Fault.Path is null || Fault.Path == path
                || (Fault.Path == ReportsFaultPath && path.StartsWith(ReportsFaultPath + "/", StringComparison.Ordinal)));

        public SandboxGraphFault Snapshot() => Fault with { Count = Remaining };
    }
}
