using DporReports.Core.Data;
using DporReports.Core.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DporReports.IntegrationTests.Data;

/// <summary>
/// The NotificationLanguages migration on a SQLite database that already holds rows, as an upgraded deployment does:
/// existing partners and customers (the seed's, who write Spanish) get Spanish, existing workbooks the English they were
/// written in, and the product reads them back.
/// </summary>
public sealed class NotificationLanguagesMigrationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"dpor-migration-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Migrate_DatabaseWithRows_GivesPartnersAndCustomersSpanish_AndWorkbooksEnglish()
    {
        var options = new DbContextOptionsBuilder<DporDbContext>();
        DataModule.UseProvider(options, DatabaseProviders.Sqlite, $"Data Source={_file}", Path.GetTempPath());
        var scope = new PartnerScope();
        await using var db = new DporDbContext(options.Options, scope);
        var migrations = db.Database.GetMigrations().ToList();
        var languages = migrations.FindIndex(m => m.EndsWith("_NotificationLanguages", StringComparison.Ordinal));
        Assert.True(languages > 0, "no NotificationLanguages migration");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(migrations[languages - 1]);
        var partner = Guid.NewGuid().ToString().ToUpperInvariant();
        var tenant = Guid.NewGuid().ToString().ToUpperInvariant();
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO Partners (Id, TenantId, DisplayName, NotificationEmail, Status, RegisteredAt, UpdatedAt, UsageVersion, Version) " +
            "VALUES ({0}, {1}, 'Adatum Consulting', 'dpor@adatum.example', 'Approved', 0, 0, 0, {2})", partner, Guid.NewGuid().ToString().ToUpperInvariant(),
            Guid.NewGuid().ToString().ToUpperInvariant());
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO CustomerTenants (Id, DisplayName, ConsentStatus) VALUES ({0}, 'Fabrikam, Inc.', 'Connected')", tenant);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO GeneratedReports (Id, PartnerId, ReportId, Title, \"From\", \"To\", Scope, Status, RequestedAt, RequestedBy) " +
            "VALUES ({0}, {1}, 'consumption-summary', 'Consumption summary', '2026-11-01', '2026-11-28', '', 'Done', 0, 'Adam Admin')",
            Guid.NewGuid().ToString().ToUpperInvariant(), partner);

        await migrator.MigrateAsync();
        scope.Set(Guid.Parse(partner));

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal("es", (await db.Partners.AsNoTracking().SingleAsync()).NotificationLanguage);
        Assert.Equal("es", (await db.CustomerTenants.AsNoTracking().SingleAsync()).NotificationLanguage);
        Assert.Equal("en", (await db.Set<Core.Reports.GeneratedReport>().AsNoTracking().SingleAsync()).Language);
    }
}
