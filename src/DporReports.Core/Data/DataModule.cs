using System.ComponentModel.DataAnnotations;
using DporReports.Core.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Data;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Only SQLite so far; PostgreSQL and SQL Server arrive with their own migrations.</summary>
    [Required, AllowedValues("Sqlite")] public string Provider { get; set; } = "Sqlite";

    /// <summary>A relative SQLite file path is resolved against the content root.</summary>
    [Required] public string ConnectionString { get; set; } = "Data Source=App_Data/dporreports.db";

    /// <summary>The embedded default applies migrations at start; server deployments run a migration bundle instead.</summary>
    public bool MigrateAtStartup { get; set; } = true;
}

public static class DataModule
{
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => new SqliteConnectionStringBuilder(o.ConnectionString).DataSource.Length > 0,
                $"{DatabaseOptions.SectionName}:ConnectionString must name a SQLite data source, e.g. 'Data Source=App_Data/dporreports.db'.")
            .ValidateOnStart();
        services.AddScoped<PartnerScope>();
        services.AddDbContext<DporDbContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var environment = sp.GetRequiredService<IHostEnvironment>();
            options.UseSqlite(ResolveSqlite(database.ConnectionString, environment.ContentRootPath),
                sqlite => sqlite.MigrationsAssembly(typeof(DporDbContext).Assembly.GetName().Name));
        });
        services.AddHostedService<DatabaseMigrator>();
        return services;
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

/// <summary>Applies pending migrations before anything else starts (embedded default only).</summary>
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
