using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DporReports.Core.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DporDbContext>
{
    public DporDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DporDbContext>().UseSqlite("Data Source=design-time.db").Options, new PartnerScope());
}
