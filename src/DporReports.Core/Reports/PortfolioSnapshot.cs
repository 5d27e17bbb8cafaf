using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using DporReports.Core.Data;
using DporReports.Core.Partners;
using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;

namespace DporReports.Core.Reports;

/// <summary>
/// A kept portfolio (<see cref="PortfolioState"/>: every customer's parts) written to the database with the data version
/// it is at least as new as, so that a restarted or another web host starts from it and re-reads only the customers
/// changed since (issue 13: a 10,000-customer portfolio costs a minute to compute from the facts, its snapshot well under
/// a second to read). A snapshot is a cache, never a source: its version says what it may have missed, and an unreadable
/// or older-format one is ignored and computed again.
/// </summary>
public sealed class PortfolioSnapshot : IPartnerOwned
{
    /// <summary>
    /// Raised whenever the parts' shape or the meaning of the version changes: a snapshot of another format is not read.
    /// 2: the version is the partner's usage version alone (format 1's also held an assignment event id).
    /// </summary>
    public const int CurrentFormat = 2;

    private PortfolioSnapshot() { }

    public Guid PartnerId { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly AsOf { get; private set; }

    /// <summary>
    /// Not read since format 2 (the version is the usage version alone); written as 0. Kept one release for the hosts of the
    /// previous one, which still read and write it during a rolling upgrade (deploy/README: migrations stay additive).
    /// </summary>
    public long LatestAssignmentEvent { get; private set; }

    public long UsageVersion { get; private set; }
    public int Format { get; private set; }
    public DateTimeOffset SavedAt { get; private set; }

    /// <summary>
    /// The last day (UTC) a host started from or wrote this snapshot, or the day it was written for by the warming job: the
    /// periods in use, which hosts load at start, the warming job moves one day on and the clean-up keeps.
    /// </summary>
    public DateOnly UsedOn { get; private set; }

    /// <summary>The parts as gzip-compressed JSON.</summary>
    public byte[] Data { get; private set; } = [];

    public PortfolioDataVersion Version => new(UsageVersion);

    /// <summary>
    /// Writes <paramref name="state"/> as the partner's snapshot of its (from, asOf) period, replacing an older one, and
    /// drops the partner's snapshots nobody used since yesterday (the day is part of every period's key: a period of two
    /// days ago is never asked for again unless someone picks that day, and then it is computed).
    /// The old snapshot's removal and the new one's insert are one transaction: a host starting, or a request, that reads the
    /// period meanwhile finds the old snapshot or the new one, never none (CI caught a test reading between the two).
    /// </summary>
    public static async Task SaveAsync(DporDbContext db, Guid partnerId, PortfolioState state, DateTimeOffset now, DateOnly usedOn, CancellationToken ct)
    {
        var data = Serialize(state.Parts());
        var (from, asOf) = state.Period;
        var stale = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await db.Set<PortfolioSnapshot>().Where(s => s.PartnerId == partnerId && (s.UsedOn < stale || (s.From == from && s.AsOf == asOf)))
                .ExecuteDeleteAsync(token);
            db.Add(new PortfolioSnapshot
            {
                PartnerId = partnerId, From = from, AsOf = asOf, UsageVersion = state.Version.UsageVersion, Format = CurrentFormat,
                SavedAt = now, UsedOn = usedOn, Data = data,
            });
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
        }, ct);
    }

    /// <summary>Marks the snapshot used today (a host started from it), once a day at most.</summary>
    public static Task MarkUsedAsync(DporDbContext db, Guid partnerId, DateOnly from, DateOnly asOf, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return db.Set<PortfolioSnapshot>().Where(s => s.PartnerId == partnerId && s.From == from && s.AsOf == asOf && s.UsedOn < today)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.UsedOn, today), ct);
    }

    /// <summary>The partner's snapshot of the period in the current format, or null (none, another format).</summary>
    public static Task<PortfolioSnapshot?> FindAsync(DporDbContext db, Guid partnerId, DateOnly from, DateOnly asOf, CancellationToken ct) =>
        db.Set<PortfolioSnapshot>().AsNoTracking()
            .Where(s => s.PartnerId == partnerId && s.From == from && s.AsOf == asOf && s.Format == CurrentFormat)
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// Calls <paramref name="each"/> for every partner with a period in use on <paramref name="day"/>, in a unit of work scoped
    /// to that partner, with those periods, until it answers false; returns how many periods it was handed. With
    /// <paramref name="alsoWithCustomers"/>, also those periods of every partner that has had a verified customer, used or not.
    /// </summary>
    public static async Task<int> ForEachPeriodInUseAsync(IServiceScopeFactory scopes, DateOnly day,
        Func<PartnerPortfolios, IReadOnlyList<(DateOnly From, DateOnly AsOf)>, Task<bool>> each, CancellationToken ct,
        IReadOnlyCollection<(DateOnly From, DateOnly AsOf)>? alsoWithCustomers = null)
    {
        var handed = 0;
        await scopes.ForEachPartnerAsync(async (unit, _) =>
        {
            var db = unit.GetRequiredService<DporDbContext>();
            var periods = (await db.Set<PortfolioSnapshot>().AsNoTracking()
                .Where(s => s.UsedOn == day).Select(s => new { s.From, s.AsOf }).ToListAsync(ct)).Select(p => (p.From, p.AsOf)).ToList();
            // The partner's assignments only (its scope's filter).
            if (alsoWithCustomers is not null && await db.Assignments.AnyAsync(a => a.VerifiedAt != null, ct))
                periods = [.. periods.Union(alsoWithCustomers)];
            if (periods.Count == 0) return true;
            // Shortest first, newest first among equals: the default 28 days are asked for most, and a host that loads them
            // at start has them before a 6-month snapshot (2.5 times the size) takes the cores.
            periods = [.. periods.OrderBy(p => p.AsOf.DayNumber - p.From.DayNumber).ThenByDescending(p => p.AsOf)];
            handed += periods.Count;
            return await each(unit.GetRequiredService<PartnerPortfolios>(), periods);
        }, ct);
        return handed;
    }

    /// <summary>The parts the snapshot holds; throws <see cref="JsonException"/> or <see cref="InvalidDataException"/> on a damaged one.</summary>
    public PortfolioParts Read()
    {
        using var zip = new GZipStream(new MemoryStream(Data), CompressionMode.Decompress);
        return JsonSerializer.Deserialize(zip, PortfolioSnapshotJson.Default.PortfolioParts)
            ?? throw new InvalidDataException("The portfolio snapshot is empty.");
    }

    private static byte[] Serialize(PortfolioParts parts)
    {
        using var buffer = new MemoryStream();
        // Fastest: the snapshot is written on the request path after a computation; it shrinks about tenfold all the same.
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            JsonSerializer.Serialize(zip, parts, PortfolioSnapshotJson.Default.PortfolioParts);
        return buffer.ToArray();
    }
}

/// <summary>
/// What a <see cref="PortfolioState"/> is built from: each customer's row, its workload totals a month earlier and its
/// share of the trend (little-endian ints, −1 where missing, as <see cref="PartnerUsageQuery.DailyActiveUsersByTenantAsync"/> gives them).
/// </summary>
public sealed record PortfolioParts(DateOnly From, DateOnly AsOf, IReadOnlyList<PortfolioCustomer> Customers,
    IReadOnlyList<PortfolioParts.Earlier> MonthEarlier, IReadOnlyList<PortfolioParts.TenantTrend> Trend)
{
    public sealed record Earlier(Guid TenantId, IReadOnlyList<WorkloadTotal> Totals);

    public sealed record TenantTrend(Guid TenantId, byte[] Figures)
    {
        public static TenantTrend Of(Guid tenantId, int[] figures) => new(tenantId, MemoryMarshal.AsBytes(figures.AsSpan()).ToArray());

        public int[] ToFigures() => MemoryMarshal.Cast<byte, int>(Figures).ToArray();
    }
}

// Computed properties (usage %) are not written: they follow from the stored figures.
[JsonSourceGenerationOptions(IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(PortfolioParts))]
internal sealed partial class PortfolioSnapshotJson : JsonSerializerContext;

internal sealed class PortfolioSnapshotConfiguration : IEntityTypeConfiguration<PortfolioSnapshot>
{
    public void Configure(EntityTypeBuilder<PortfolioSnapshot> b)
    {
        b.ToTable("PortfolioSnapshots");
        b.HasKey(s => new { s.PartnerId, s.From, s.AsOf });
        b.Ignore(s => s.Version);
        b.HasOne<Partner>().WithMany().HasForeignKey(s => s.PartnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
