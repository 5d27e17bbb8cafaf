using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;

namespace DporReports.Web.Partners;

/// <summary>
/// Response bodies kept as bytes for the immutable object they were made from and the exact ask: the summary API's JSON
/// (<see cref="KeptJson{T}"/>) and the portfolio page (<see cref="Pages.PartnerUsage.KeptPage"/>). One store with one bound
/// for both, in total: a bound per kept portfolio (as the JSON bodies had) grows with the number of portfolios in memory.
/// </summary>
/// <remarks>
/// A key holds its source by reference, so a body is only ever found through the object a request was given; an entry keeps
/// its source alive until it leaves, which costs little: a replaced portfolio shares nearly all of its parts with its
/// successor. At the bound a new body is not kept until the least recently used ones have left (the cache compacts in the
/// background); the request is answered all the same.
/// </remarks>
internal sealed class KeptBodies(long sizeLimit) : IDisposable
{
    /// <summary>
    /// The process's store: at most 192 MB (about 1,000 summaries or 1,250 pages of a 10,000-customer portfolio), a body
    /// nobody asked for in 5 minutes leaves.
    /// </summary>
    public static readonly KeptBodies Shared = new(192L << 20);

    private static readonly TimeSpan UnusedFor = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = sizeLimit, TrackStatistics = true });

    /// <summary>The body kept for <paramref name="ask"/> (compared by value) of <paramref name="source"/> (by reference).</summary>
    public bool TryGet(object source, object ask, [NotNullWhen(true)] out byte[]? body) => _kept.TryGetValue(new Key(source, ask), out body);

    public void Keep(object source, object ask, byte[] body) =>
        _kept.Set(new Key(source, ask), body, new MemoryCacheEntryOptions { Size = body.Length, SlidingExpiration = UnusedFor });

    /// <summary>The bytes kept now (the cache's own count).</summary>
    public long KeptBytes => _kept.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public void Dispose() => _kept.Dispose();

    /// <summary>The source by reference (a kept portfolio or dashboard is never equal to another), the ask by value.</summary>
    private sealed record Key(object Source, object Ask)
    {
        public bool Equals(Key? other) => other is not null && ReferenceEquals(Source, other.Source) && Ask.Equals(other.Ask);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Source), Ask);
    }
}
