using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using DporReports.Sandbox.Graph.Reports;

namespace DporReports.Sandbox;

/// <summary>
/// The sandbox's Microsoft Graph usage reports (<c>/graph/v1.0/reports/{function}(period='D7')</c>): generated users
/// per tenant, the request budget, signed download links and download faults. Thread-safe; the HTTP knobs under
/// <c>/_sandbox/graph/</c> call these same methods.
/// </summary>
public sealed class SandboxGraphReports
{
    // Graph: "14 requests per 10 minutes per app per tenant, per report function"; links valid a few minutes.
    public const int DefaultBudgetLimit = 14;
    public const int DefaultBudgetWindowSeconds = 600;
    public const int DefaultDownloadLifetimeSeconds = 300;
    public const int MaxUsers = 1_000_000;

    // Graph data lags 24-48 h: the refresh date is two days before today (UTC).
    private const int LagDays = 2;
    private const int TokenPayloadLength = 38;
    private const int TokenMacLength = 16;

    private static readonly string[] FaultKinds =
        ["expired", "truncate", "cutConnection", "reset", "renameHeader", "reorderHeader", "extraColumn", "missingColumn", "htmlError", "slow"];

    private readonly SandboxGraph _graph;
    private readonly TimeProvider _time;
    private readonly byte[] _linkKey = RandomNumberGenerator.GetBytes(32);
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<Guid, int> _userCounts = new();
    private readonly ConcurrentDictionary<Guid, bool> _concealed = new();
    private readonly Dictionary<(Guid Tenant, byte Function), Queue<DateTimeOffset>> _budget = [];
    private readonly List<DownloadFaultState> _faults = [];
    private SandboxReportSettings _settings = Defaults;

    internal SandboxGraphReports(SandboxGraph graph, TimeProvider time)
    {
        _graph = graph;
        _time = time;
    }

    public static SandboxReportSettings Defaults { get; } =
        new(true, DefaultBudgetLimit, DefaultBudgetWindowSeconds, DefaultDownloadLifetimeSeconds);

    /// <summary>The report functions served, in Graph's spelling.</summary>
    public static IReadOnlyList<string> Functions { get; } = [.. UsageReportCatalog.Functions];

    /// <summary>The latest date the reports cover: today (UTC, the sandbox's clock) minus two days.</summary>
    public DateOnly RefreshDate => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(-LagDays);

    public SandboxReportSettings Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
    }

    /// <summary>Download faults still pending, with their remaining counts.</summary>
    public IReadOnlyList<SandboxReportDownloadFault> DownloadFaults
    {
        get
        {
            lock (_lock)
            {
                return [.. _faults.Select(f => f.Fault with { Count = f.Remaining })];
            }
        }
    }

    /// <summary>Changes the given settings; null leaves one as it is.</summary>
    /// <exception cref="ArgumentException">A limit below 1, a window or lifetime outside 1 s .. 1 day.</exception>
    public SandboxReportSettings Configure(bool? budgetEnabled = null, int? budgetLimit = null, int? budgetWindowSeconds = null, int? downloadLifetimeSeconds = null)
    {
        if (budgetLimit is < 1 || budgetWindowSeconds is < 1 or > 86_400 || downloadLifetimeSeconds is < 1 or > 86_400)
        {
            throw new ArgumentException("budgetLimit must be 1 or more; budgetWindowSeconds and downloadLifetimeSeconds 1..86400.");
        }
        lock (_lock)
        {
            _settings = new SandboxReportSettings(
                budgetEnabled ?? _settings.BudgetEnabled,
                budgetLimit ?? _settings.BudgetLimit,
                budgetWindowSeconds ?? _settings.BudgetWindowSeconds,
                downloadLifetimeSeconds ?? _settings.DownloadLifetimeSeconds);
            return _settings;
        }
    }

    /// <summary>Forgets every request counted against the budget.</summary>
    public void ResetBudget()
    {
        lock (_lock)
        {
            _budget.Clear();
        }
    }

    /// <summary>The tenant's report users: 120 Contoso, 80 Fabrikam, 40 Northwind, 15 per partner, unless changed.</summary>
    /// <exception cref="KeyNotFoundException">An unknown tenant.</exception>
    public SandboxReportTenant Tenant(Guid tenantId)
    {
        var tenant = _graph.FindTenant(tenantId) ?? throw UnknownTenant(tenantId);
        return new SandboxReportTenant(tenantId, UserCount(tenant), Concealed(tenantId));
    }

    /// <summary>Sets how many users the tenant's reports list (0..1,000,000); they are generated as they are written.</summary>
    public SandboxReportTenant SetUserCount(Guid tenantId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxUsers);
        _ = _graph.FindTenant(tenantId) ?? throw UnknownTenant(tenantId);
        _userCounts[tenantId] = count;
        return Tenant(tenantId);
    }

    /// <summary>Graph's <c>displayConcealedNames</c>: true replaces user names with hashes (default for all but Contoso).</summary>
    public SandboxReportTenant SetDisplayConcealedNames(Guid tenantId, bool concealed)
    {
        _ = _graph.FindTenant(tenantId) ?? throw UnknownTenant(tenantId);
        _concealed[tenantId] = concealed;
        return Tenant(tenantId);
    }

    /// <summary>Queues a fault for the next <see cref="SandboxReportDownloadFault.Count"/> matching downloads.</summary>
    /// <exception cref="ArgumentException">An unknown kind or function, or out-of-range numbers.</exception>
    public SandboxReportDownloadFault AddDownloadFault(SandboxReportDownloadFault fault)
    {
        var kind = Array.Find(FaultKinds, k => string.Equals(k, fault.Kind?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown download fault kind '{fault.Kind}'. Use one of: {string.Join(", ", FaultKinds)}.", nameof(fault));
        string? function = null;
        if (fault.Function is not null)
        {
            function = UsageReportCatalog.Find(fault.Function.Trim())?.Function
                ?? throw new ArgumentException($"Unknown report function '{fault.Function}'. Use one of: {string.Join(", ", Functions)}.", nameof(fault));
        }
        if (fault.Count < 1 || fault.AfterRows is < 0 || fault.AfterBytes is < 0 || fault.DelayMs is < 1 or > 300_000)
        {
            throw new ArgumentException("count must be 1 or more, afterRows and afterBytes 0 or more, delayMs 1..300000.", nameof(fault));
        }
        if (kind == "slow" && fault.DelayMs is null)
        {
            throw new ArgumentException("A slow download needs delayMs.", nameof(fault));
        }
        var normalized = fault with { Kind = kind, Function = function };
        lock (_lock)
        {
            _faults.Add(new DownloadFaultState(normalized));
        }
        return normalized;
    }

    public void ClearDownloadFaults()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }

    /// <summary>
    /// Writes a report's CSV exactly as a download would (without download faults) — for tests in-process.
    /// </summary>
    /// <returns>The number of data rows.</returns>
    public Task<int> WriteCsvAsync(Guid tenantId, string function, int periodDays, Stream destination, CancellationToken ct = default) =>
        WriteCsvAsync(tenantId, function, periodDays, RefreshDate, destination, ct);

    /// <summary>
    /// Writes the CSV a download made on an earlier day would have streamed: the report as of <paramref name="refreshDate"/>
    /// (users and activity are pure functions of the date, so it is the same file Graph served then). Demo data uses it to
    /// backfill history that Graph's own API no longer offers (the per-user detail goes back 30 days).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A refresh date after today's (<see cref="RefreshDate"/>).</exception>
    public Task<int> WriteCsvAsync(Guid tenantId, string function, int periodDays, DateOnly refreshDate, Stream destination, CancellationToken ct = default)
    {
        var report = UsageReportCatalog.Find(function) ?? throw new ArgumentException($"Unknown report function '{function}'.", nameof(function));
        if (!UsageReportCatalog.Periods.Values.Contains(periodDays))
        {
            throw new ArgumentException("The period is 7, 30, 90 or 180 days.", nameof(periodDays));
        }
        if (refreshDate > RefreshDate)
        {
            throw new ArgumentOutOfRangeException(nameof(refreshDate), refreshDate, $"Reports are not refreshed beyond {RefreshDate:yyyy-MM-dd} yet.");
        }
        var profile = Profile(tenantId, refreshDate);
        return UsageCsvWriter.WriteAsync(destination, report, UsageCsvShape.Of(report),
            UsageReportRows.For(report, profile, new UsageReportArgument(periodDays, null)), null, null, ct);
    }

    /// <summary>
    /// Writes the per-user detail of one date (<c>(date=…)</c>) as a download made on <paramref name="refreshDate"/> would
    /// have streamed it: the users active on <paramref name="date"/>. Demo data uses it for daily active users of earlier days.
    /// </summary>
    public Task<int> WriteDetailOfDateCsvAsync(Guid tenantId, DateOnly date, DateOnly refreshDate, Stream destination, CancellationToken ct = default)
    {
        var report = UsageReportCatalog.Find("getOffice365ActiveUserDetail")!;
        if (refreshDate > RefreshDate || date > refreshDate)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"Reports are not refreshed beyond {RefreshDate:yyyy-MM-dd} yet.");
        }
        var profile = Profile(tenantId, refreshDate);
        return UsageCsvWriter.WriteAsync(destination, report, UsageCsvShape.Of(report),
            UsageReportRows.For(report, profile, new UsageReportArgument(30, date.DayNumber)), null, null, ct);
    }

    /// <summary>Everything back to the defaults: settings, budgets, user counts, concealment, download faults.</summary>
    internal void Reset()
    {
        lock (_lock)
        {
            _settings = Defaults;
            _budget.Clear();
            _faults.Clear();
        }
        _userCounts.Clear();
        _concealed.Clear();
    }

    /// <summary>
    /// Counts a report request against the sliding-window budget of (tenant, function); false, with the wait until a
    /// slot frees, when the budget is spent.
    /// </summary>
    internal bool TryTakeBudget(Guid tenantId, UsageReport report, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_settings.BudgetEnabled)
            {
                return true;
            }
            var window = TimeSpan.FromSeconds(_settings.BudgetWindowSeconds);
            if (!_budget.TryGetValue((tenantId, report.Id), out var times))
            {
                times = new Queue<DateTimeOffset>();
                _budget[(tenantId, report.Id)] = times;
            }
            while (times.Count > 0 && times.Peek() + window <= now)
            {
                times.Dequeue();
            }
            if (times.Count >= _settings.BudgetLimit)
            {
                // The oldest counted request leaves the window first (one past a lower limit set meanwhile).
                retryAfter = times.ElementAt(times.Count - _settings.BudgetLimit) + window - now;
                return false;
            }
            times.Enqueue(now);
            return true;
        }
    }

    internal UsageTenantProfile Profile(Guid tenantId, DateOnly refreshDate)
    {
        var tenant = _graph.FindTenant(tenantId) ?? throw UnknownTenant(tenantId);
        var products = _graph.Subscriptions(tenantId)
            .Where(s => s.Status != "Deleted")
            .GroupBy(s => s.SkuPartNumber, StringComparer.OrdinalIgnoreCase)
            .Select(g => new UsageProduct(
                UsageProducts.DisplayName(g.Key),
                UsageProducts.WorkloadMask(g.SelectMany(s => s.ServiceStatus).Where(p => p.ProvisioningStatus == "Success").Select(p => p.ServicePlanName)),
                g.Sum(s => s.TotalLicenses),
                UsageProducts.LicensesCopilot(g.SelectMany(s => s.ServiceStatus).Where(p => p.ProvisioningStatus == "Success").Select(p => p.ServicePlanName))))
            .ToList();
        var unknownProduct = tenantId == SandboxDirectory.ContosoTenantId
            ? "CONTOSO CUSTOM PRODUCT"
            : $"{tenant.DisplayName.ToUpperInvariant()} CUSTOM PRODUCT";
        return new UsageTenantProfile(tenantId, tenant.Domain, unknownProduct, UserCount(tenant), Concealed(tenantId), refreshDate, products);
    }

    /// <summary>Takes the first pending download fault matching the tenant and function and counts it down.</summary>
    internal SandboxReportDownloadFault? TakeDownloadFault(Guid tenantId, UsageReport report)
    {
        lock (_lock)
        {
            var index = _faults.FindIndex(f =>
                (f.Fault.TenantId is null || f.Fault.TenantId == tenantId) && (f.Fault.Function is null || f.Fault.Function == report.Function));
            if (index < 0)
            {
                return null;
            }
            var state = _faults[index];
            if (--state.Remaining == 0)
            {
                _faults.RemoveAt(index);
            }
            return state.Fault;
        }
    }

    /// <summary>
    /// The opaque part of a pre-authenticated download URL: what to generate (tenant, report, argument, refresh date)
    /// and until when, with an HMAC so it cannot be altered.
    /// </summary>
    internal string CreateDownloadToken(Guid tenantId, UsageReport report, UsageReportArgument argument, DateOnly refreshDate)
    {
        var expires = _time.GetUtcNow().AddSeconds(Settings.DownloadLifetimeSeconds).ToUnixTimeSeconds();
        Span<byte> buffer = stackalloc byte[TokenPayloadLength + TokenMacLength];
        buffer[0] = 1;
        tenantId.TryWriteBytes(buffer[1..17], bigEndian: true, out _);
        buffer[17] = report.Id;
        BinaryPrimitives.WriteInt32BigEndian(buffer[18..22], argument.PeriodDays);
        BinaryPrimitives.WriteInt32BigEndian(buffer[22..26], argument.DateDay ?? -1);
        BinaryPrimitives.WriteInt32BigEndian(buffer[26..30], refreshDate.DayNumber);
        BinaryPrimitives.WriteInt64BigEndian(buffer[30..38], expires);
        HMACSHA256.HashData(_linkKey, buffer[..TokenPayloadLength]).AsSpan(0, TokenMacLength).CopyTo(buffer[TokenPayloadLength..]);
        return Base64Url.EncodeToString(buffer);
    }

    /// <summary>Reads a download token; null when it is malformed or its signature does not match.</summary>
    internal DownloadToken? ReadDownloadToken(string token)
    {
        Span<byte> buffer = stackalloc byte[96];
        if (!Base64Url.IsValid(token) || Base64Url.GetMaxDecodedLength(token.Length) > buffer.Length
            || Base64Url.DecodeFromChars(token, buffer, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != TokenPayloadLength + TokenMacLength || buffer[0] != 1)
        {
            return null;
        }
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_linkKey, buffer[..TokenPayloadLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[..TokenMacLength], buffer[TokenPayloadLength..written])
            || UsageReportCatalog.Find(buffer[17]) is not { } report)
        {
            return null;
        }
        var dateDay = BinaryPrimitives.ReadInt32BigEndian(buffer[22..26]);
        return new DownloadToken(
            new Guid(buffer[1..17], bigEndian: true),
            report,
            new UsageReportArgument(BinaryPrimitives.ReadInt32BigEndian(buffer[18..22]), dateDay < 0 ? null : dateDay),
            DateOnly.FromDayNumber(BinaryPrimitives.ReadInt32BigEndian(buffer[26..30])),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(buffer[30..38])));
    }

    private int UserCount(SandboxTenant tenant)
    {
        if (_userCounts.TryGetValue(tenant.Id, out var count))
        {
            return count;
        }
        if (_graph.SyntheticUserCount(tenant.Id) is { } synthetic)
        {
            return synthetic;
        }
        if (tenant.Id == SandboxDirectory.ContosoTenantId)
        {
            return 120;
        }
        if (tenant.Id == SandboxDirectory.FabrikamTenantId)
        {
            return 80;
        }
        if (tenant.Id == SandboxDirectory.NorthwindTenantId)
        {
            return 40;
        }
        if (tenant.Id == SandboxDirectory.WoodgroveTenantId)
        {
            return 300;
        }
        if (tenant.Id == SandboxDirectory.WingtipTenantId)
        {
            return 150;
        }
        return tenant.Kind == "partner" ? 15 : 0;
    }

    // Since September 2021 tenants conceal names by default; Contoso shows them, so tests see both forms.
    private bool Concealed(Guid tenantId) =>
        _concealed.TryGetValue(tenantId, out var concealed) ? concealed : tenantId != SandboxDirectory.ContosoTenantId;

    private static KeyNotFoundException UnknownTenant(Guid tenantId) => new($"Tenant '{tenantId}' is not in the sandbox directory.");

    private sealed class DownloadFaultState(SandboxReportDownloadFault fault)
    {
        public SandboxReportDownloadFault Fault { get; } = fault;

        public int Remaining { get; set; } = fault.Count;
    }
}

/// <summary>What a download URL stands for.</summary>
internal sealed record DownloadToken(Guid TenantId, UsageReport Report, UsageReportArgument Argument, DateOnly RefreshDate, DateTimeOffset ExpiresAt);
