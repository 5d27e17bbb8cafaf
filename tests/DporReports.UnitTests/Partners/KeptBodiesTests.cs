using DporReports.Web.Partners;

namespace DporReports.UnitTests.Partners;

/// <summary>The kept response bodies (summary JSON, portfolio pages) are bounded in total, not per kept portfolio.</summary>
public sealed class KeptBodiesTests
{
    /// <summary>
    /// 200 bodies of 64 KB, each for a source of its own (as 200 kept portfolios would be), in a 1 MB store: what stays
    /// findable fits in the bound (at most 16 of them), whatever the number of sources. Kept per source, all 200 were.
    /// </summary>
    [Fact]
    public void Keep_BodiesOfManySourcesPastTheBound_WhatStaysFitsInIt_AndABodyIsFoundOnlyByItsOwnSource()
    {
        const int limit = 1 << 20, size = 64 << 10;
        using var store = new KeptBodies(limit);
        var sources = Enumerable.Range(0, 200).Select(_ => new object()).ToList();
        foreach (var source in sources) store.Keep(source, "page=1", new byte[size]);
        var found = sources.Count(s => store.TryGet(s, "page=1", out _));

        // The cache compacts in the background: an entry on its way out may still be counted, never one beyond the bound.
        Assert.InRange(store.KeptBytes, 1, limit);
        Assert.InRange(found, 1, limit / size);
        Assert.False(store.TryGet(new object(), "page=1", out _), "an equal query of another source finds nothing");
    }
}
