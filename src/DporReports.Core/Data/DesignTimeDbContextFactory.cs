using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DporReports.Core.Data;

// Let `dotnet ef migrations add --context …` build each provider's model without starting the host. None of them
// connects: adding a migration needs the model only (README, "Migrations").

internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DporDbContext>
{
    public DporDbContext CreateDbContext(string[] args) => new(DesignTime.Options<DporDbContext>(DatabaseProviders.Sqlite), new PartnerScope());
}

internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlDporDbContext>
{
    public PostgreSqlDporDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<PostgreSqlDporDbContext>(DatabaseProviders.PostgreSql), new PartnerScope());
}

internal sealed class SqlServerDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqlServerDporDbContext>
{
    public SqlServerDporDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqlServerDporDbContext>(DatabaseProviders.SqlServer), new PartnerScope());
}

internal static class DesignTime
{
    /// <summary>Options for <paramref name="provider"/> with a placeholder connection string (the model needs no server).</summary>
    public static DbContextOptions<T> Options<T>(string provider) where T : DbContext
    {
        var connectionString = provider switch
        {
            DatabaseProviders.PostgreSql => "Host=localhost;Database=dporreports",
            DatabaseProviders.SqlServer => "Server=localhost;Database=dporreports;Integrated Security=true;TrustServerCertificate=true",
            _ => "Data Source=design-time.db",
        };
        var builder = new DbContextOptionsBuilder<T>();
        DataModule.UseProvider(builder, provider, connectionString, Directory.GetCurrentDirectory());
        return builder.Options;
    }
}
