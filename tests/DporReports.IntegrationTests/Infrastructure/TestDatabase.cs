using DporReports.Core.Data;
using Microsoft.Data.SqlClient;
using Npgsql;

// Database names are identifiers, which SQL cannot take as parameters; _name is a generated Guid, never input.
#pragma warning disable DAP241, DAP242

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// The database one test host runs on, by the run's provider (<c>DPOR_TEST_PROVIDER</c>): a fresh SQLite file by default;
/// on PostgreSQL (<c>DPOR_TEST_POSTGRES</c>) or SQL Server (<c>DPOR_TEST_SQLSERVER</c>) a fresh database on that server,
/// created on first use and dropped on dispose. Every host migrates its own database, as a deployment would.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string ProviderVariable = "DPOR_TEST_PROVIDER";
    public const string PostgresVariable = "DPOR_TEST_POSTGRES";
    public const string SqlServerVariable = "DPOR_TEST_SQLSERVER";

    private readonly string _name = $"dpor_test_{Guid.NewGuid():N}";
    private readonly string? _filesPath;

    private TestDatabase(string provider, string? filesPath)
    {
        Provider = provider;
        _filesPath = filesPath;
        ConnectionString = provider switch
        {
            DatabaseProviders.PostgreSql => CreatePostgres(),
            DatabaseProviders.SqlServer => CreateSqlServer(),
            _ => $"Data Source={Path.Combine(filesPath!, $"{_name}.db")}",
        };
    }

    /// <summary>The provider of this test run; SQLite unless the run says otherwise.</summary>
    public static string RunProvider { get; } = DatabaseProviders.Normalize(Environment.GetEnvironmentVariable(ProviderVariable)) ?? DatabaseProviders.Sqlite;

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>A new database for the run's provider; SQLite files go under <paramref name="filesPath"/>.</summary>
    public static TestDatabase Create(string filesPath) => new(RunProvider, filesPath);

    /// <summary>The server's maintenance connection string from the environment, or a clear failure saying which variable is missing.</summary>
    public static string ServerConnectionString(string provider)
    {
        var variable = provider == DatabaseProviders.SqlServer ? SqlServerVariable : PostgresVariable;
        return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ProviderVariable}={provider} needs {variable}: a connection string to a server where tests may create databases.");
    }

    private string CreatePostgres()
    {
        var admin = ServerConnectionString(DatabaseProviders.PostgreSql);
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = _name }.ConnectionString;
    }

    private string CreateSqlServer()
    {
        var admin = ServerConnectionString(DatabaseProviders.SqlServer);
        using (var connection = new SqlConnection(admin))
        {
            connection.Open();
            using var create = new SqlCommand($"CREATE DATABASE [{_name}]", connection);
            create.ExecuteNonQuery();
        }
        return new SqlConnectionStringBuilder(admin) { InitialCatalog = _name }.ConnectionString;
    }

    public void Dispose()
    {
        switch (Provider)
        {
            case DatabaseProviders.PostgreSql:
            {
                // Pooled connections of the host would keep the database busy; FORCE ends any left (e.g. Hangfire's).
                using (var pooled = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(pooled);
                using var connection = new NpgsqlConnection(ServerConnectionString(Provider));
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
                drop.ExecuteNonQuery();
                break;
            }
            case DatabaseProviders.SqlServer:
            {
                using (var pooled = new SqlConnection(ConnectionString)) SqlConnection.ClearPool(pooled);
                using var connection = new SqlConnection(ServerConnectionString(Provider));
                connection.Open();
                using var drop = new SqlCommand(
                    $"IF DB_ID('{_name}') IS NOT NULL BEGIN ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]; END",
                    connection);
                drop.ExecuteNonQuery();
                break;
            }
            default:
                var file = Path.Combine(_filesPath!, $"{_name}.db");
                foreach (var suffix in new[] { "", "-shm", "-wal" })
                    if (File.Exists(file + suffix)) File.Delete(file + suffix);
                break;
        }
    }
}

/// <summary>
/// A test of what only a server database shows (row locks, its own errors, its own types): it runs in the PostgreSQL
/// pass of <c>tests/run-all.sh</c> (and a SQL Server pass when one is configured) and is skipped, saying so, on SQLite.
/// </summary>
public sealed class ServerDatabaseFactAttribute : FactAttribute
{
    public ServerDatabaseFactAttribute()
    {
        if (TestDatabase.RunProvider == DatabaseProviders.Sqlite)
            Skip = $"needs a server database: runs in the PostgreSQL pass of tests/run-all.sh ({TestDatabase.ProviderVariable}=PostgreSql)";
    }
}
