using DporReports.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DporReports.Core.Data;

/// <summary>The database engines the model runs on, spelled as <c>Database:Provider</c> takes them.</summary>
public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSql";
    public const string SqlServer = "SqlServer";
    public static readonly IReadOnlyList<string> All = [Sqlite, PostgreSql, SqlServer];

    /// <summary>The canonical spelling of <paramref name="value"/> (any case), or null when it names no provider.</summary>
    public static string? Normalize(string? value) => All.FirstOrDefault(p => string.Equals(p, value?.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (embedded default), <c>PostgreSql</c> or <c>SqlServer</c> (also Azure SQL), any case.</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>A relative SQLite file path is resolved against the content root.</summary>
    public string ConnectionString { get; set; } = "Data Source=App_Data/dporreports.db";

    /// <summary>The embedded default applies migrations at start; server deployments run a migration bundle instead.</summary>
    public bool MigrateAtStartup { get; set; } = true;

    public string? ProviderName => DatabaseProviders.Normalize(Provider);
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var section = DatabaseOptions.SectionName;
        if (options.ProviderName is not { } provider)
            return ValidateOptionsResult.Fail(
                $"{section}:Provider must be one of {string.Join(", ", DatabaseProviders.All)}; it is '{options.Provider}'.");
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail($"{section}:ConnectionString is required for {section}:Provider {provider}.");
        return ConnectionStringProblem(provider, options.ConnectionString) is { } problem
            ? ValidateOptionsResult.Fail($"{section}:ConnectionString is not a {provider} connection string: {problem}")
            : ValidateOptionsResult.Success;
    }

    /// <summary>Null when the string parses for <paramref name="provider"/> and names where the data lives.</summary>
    internal static string? ConnectionStringProblem(string provider, string connectionString)
    {
        try
        {
            return provider switch
            {
                DatabaseProviders.PostgreSql when string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(connectionString).Host) =>
                    "it names no Host, e.g. 'Host=db;Database=dporreports;Username=dpor;Password=…'.",
                DatabaseProviders.SqlServer when string.IsNullOrEmpty(new SqlConnectionStringBuilder(connectionString).DataSource) =>
                    "it names no Server, e.g. 'Server=tcp:db,1433;Database=dporreports;Authentication=Active Directory Default'.",
                DatabaseProviders.Sqlite when new SqliteConnectionStringBuilder(connectionString).DataSource.Length == 0 =>
                    "it names no data source, e.g. 'Data Source=App_Data/dporreports.db'.",
                _ => null,
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return e.Message;
        }
    }
}

public static class DataModule
{
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddScoped<PartnerScope>();

        // The context type is chosen here because each server provider has its own (for its migrations); an unknown
        // provider registers the default and start-up validation then refuses it with the key's name.
        var provider = DatabaseProviders.Normalize(configuration[$"{DatabaseOptions.SectionName}:Provider"]) ?? DatabaseProviders.Sqlite;
        // The options are built once (a singleton): they depend only on configuration, and building them for every unit of
        // work cost each request a connection-string parse. The context itself stays scoped (it reads the unit's PartnerScope).
        _ = provider switch
        {
            DatabaseProviders.PostgreSql => services.AddDbContext<DporDbContext, PostgreSqlDporDbContext>(Configure, optionsLifetime: ServiceLifetime.Singleton),
            DatabaseProviders.SqlServer => services.AddDbContext<DporDbContext, SqlServerDporDbContext>(Configure, optionsLifetime: ServiceLifetime.Singleton),
            _ => services.AddDbContext<DporDbContext>(Configure, optionsLifetime: ServiceLifetime.Singleton),
        };
        // First of all hosted services: others read the database at start (the data-protection key ring below, the
        // job registrars, demo data), and the schema must exist before they do, whatever order the host added them in.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        // Keys in the database: sign-in cookies, the consent state cookie and the shared token cache's encryption work on
        // every host and survive restarts.
        services.AddDataProtection().SetApplicationName("DporReports").PersistKeysToDbContext<DporDbContext>();
        return services;
    }

    private static void Configure(IServiceProvider services, DbContextOptionsBuilder options)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        UseProvider(options, database.ProviderName ?? DatabaseProviders.Sqlite, database.ConnectionString, contentRoot);
    }

    /// <summary>Points <paramref name="options"/> at the provider; migrations live beside the model in this assembly.</summary>
    internal static DbContextOptionsBuilder UseProvider(DbContextOptionsBuilder options, string provider, string connectionString, string contentRoot)
    {
        var migrations = typeof(DporDbContext).Assembly.GetName().Name;
        // Server databases fail over, restart and pick deadlock victims: such transient errors are retried. A unit of work
        // that opens its own transaction must then run inside Database.CreateExecutionStrategy() (UsageIngestion does).
        // SQLite is a local file with none of these.
        return provider switch
        {
            DatabaseProviders.PostgreSql => options.UseNpgsql(connectionString, o => o.MigrationsAssembly(migrations).EnableRetryOnFailure()),
            DatabaseProviders.SqlServer => options.UseSqlServer(connectionString, o => o.MigrationsAssembly(migrations).EnableRetryOnFailure()),
            _ => options.UseSqlite(ResolveSqlite(connectionString, contentRoot), o => o.MigrationsAssembly(migrations)),
        };
    }

    internal static string ResolveSqlite(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource != ":memory:" && !builder.DataSource.StartsWith("file:", StringComparison.Ordinal)
            && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        return builder.ToString();
    }
}

/// <summary>Applies pending migrations before anything else starts (embedded default; server deployments may turn it off).</summary>
internal sealed class DatabaseMigrator(IServiceProvider services, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateAtStartup) return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DporDbContext>();
        if (db.Database.GetDbConnection() is SqliteConnection { DataSource: var file } && !string.IsNullOrEmpty(Path.GetDirectoryName(file)))
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await db.Database.MigrateAsync(cancellationToken);
        // Write-ahead logging: readers (pages, reports) do not wait behind the jobs' write transactions.
        if (db.Database.GetDbConnection() is SqliteConnection { DataSource: var path } && path != ":memory:" && path.Length > 0)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
