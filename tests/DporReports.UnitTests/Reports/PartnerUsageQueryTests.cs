using DporReports.Core.Data;
using DporReports.Core.Reports;
using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DporReports.UnitTests.Reports;

/// <summary>Windows read once per operation are handed back to the query; they must stay the scope's own.</summary>
public sealed class PartnerUsageQueryTests
{
    private static readonly DateOnly Day = new(2026, 11, 20);

    [Fact]
    public async Task Reads_WithWindowsOfAnotherPartnerScope_AreRefusedBeforeAnyQuery()
    {
        // The attack: code in one partner's unit of work handing in windows read in another's, to read that partner's facts.
        var (mine, theirs) = (new PartnerScope(), new PartnerScope());
        mine.Set(Guid.NewGuid());
        theirs.Set(Guid.NewGuid());
        var options = new DbContextOptionsBuilder<DporDbContext>().UseSqlite("Data Source=:memory:").Options;
        await using var db = new DporDbContext(options, mine);
        var foreign = new PartnerWindows(theirs.PartnerId, [new AssignmentWindow(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Day, null, [])]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => new PartnerUsageQuery(db, mine).CustomersAsync(foreign, Day, null, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new PartnerUsageQuery(db, mine).DailyActiveUsersAsync(foreign, null, Day, Day, CancellationToken.None));
    }
}
