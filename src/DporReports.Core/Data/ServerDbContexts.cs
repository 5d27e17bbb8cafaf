using DporReports.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DporReports.Core.Data;

/// <summary>The model on PostgreSQL; its own type so its migrations (Data/Migrations/PostgreSql) stay apart.</summary>
public sealed class PostgreSqlDporDbContext(DbContextOptions<PostgreSqlDporDbContext> options, PartnerScope scope)
    : DporDbContext(options, scope);

/// <summary>The model on SQL Server and Azure SQL; its own type so its migrations (Data/Migrations/SqlServer) stay apart.</summary>
public sealed class SqlServerDporDbContext(DbContextOptions<SqlServerDporDbContext> options, PartnerScope scope)
    : DporDbContext(options, scope);

/// <summary>The few SQL fragments the model carries (index filters), written for the context's provider.</summary>
internal sealed class SqlDialect
{
    private readonly string _provider;

    private SqlDialect(string provider) => _provider = provider;

    public static SqlDialect Of(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database) =>
        new(database.IsNpgsql() ? DatabaseProviders.PostgreSql : database.IsSqlServer() ? DatabaseProviders.SqlServer : DatabaseProviders.Sqlite);

    /// <summary>"column is true": SQLite stores booleans as 0/1, SQL Server as bit, PostgreSQL has a boolean type.</summary>
    public string IsTrue(string column) => _provider switch
    {
        DatabaseProviders.PostgreSql => $"\"{column}\" = TRUE",
        DatabaseProviders.SqlServer => $"[{column}] = 1",
        _ => $"\"{column}\" = 1",
    };
}

/// <summary>Same instant, offset zero.</summary>
internal sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
