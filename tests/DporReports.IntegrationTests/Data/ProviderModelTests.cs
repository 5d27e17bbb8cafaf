using DporReports.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DporReports.IntegrationTests.Data;

/// <summary>
/// One model, three providers: each provider's checked-in migrations must produce exactly the model the code builds for
/// it. Needs no server (the model differ compares the snapshot with the model), so SQL Server is checked on every run.
/// </summary>
public sealed class ProviderModelTests
{
    public static TheoryData<string> Providers => [.. DatabaseProviders.All];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_ForEachProvider_HasNoChangesMissingFromItsMigrations(string provider)
    {
        using var db = DesignTimeContext(provider);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"the {provider} model changed without a migration: run src/DporReports.Core/Data/Migrations/add-migration.sh <Name>");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_ForEachProvider_AreItsOwnOnly(string provider)
    {
        using var db = DesignTimeContext(provider);

        var others = DatabaseProviders.All.Where(p => p != provider).SelectMany(p =>
        {
            using var other = DesignTimeContext(p);
            return other.Database.GetMigrations().ToList();
        });
        Assert.Empty(db.Database.GetMigrations().Intersect(others));
    }

    [Fact]
    public void AssignmentIndexFilter_IsWrittenInEachProvidersSql()
    {
        var filters = DatabaseProviders.All.ToDictionary(p => p, p =>
        {
            using var db = DesignTimeContext(p);
            return db.Model.FindEntityType(typeof(Core.Assignments.Assignment))!.GetIndexes()
                .Single(i => i.GetDatabaseName() == "UX_Assignments_CurrentPerSubscription").GetFilter();
        });

        Assert.Equal("\"IsCurrent\" = 1", filters[DatabaseProviders.Sqlite]);
        Assert.Equal("\"IsCurrent\" = TRUE", filters[DatabaseProviders.PostgreSql]);
        Assert.Equal("[IsCurrent] = 1", filters[DatabaseProviders.SqlServer]);
    }

    /// <summary>
    /// design.md §5 "Limits": every stored text has a maximum length, the same on every provider, so the check made before a
    /// save (and the validators, tested against these lengths in InputLimitsTests) means the same thing everywhere. The
    /// exceptions are texts the product writes itself from bounded parts, each with its reason.
    /// </summary>
    [Fact]
    public void EveryStoredText_HasAMaximumLength_TheSameOnEveryProvider()
    {
        var lengths = DatabaseProviders.All.ToDictionary(p => p, p =>
        {
            using var db = DesignTimeContext(p);
            return db.Model.GetEntityTypes().SelectMany(e => e.GetProperties().Select(property => (e, property)))
                .Where(x => (x.property.GetValueConverter()?.ProviderClrType ?? x.property.ClrType) == typeof(string))
                .ToDictionary(x => $"{x.e.ClrType.Name}.{x.property.Name}", x => x.property.GetMaxLength());
        });

        var unbounded = lengths[DatabaseProviders.Sqlite].Where(l => l.Value is null && !UnboundedByDesign.ContainsKey(l.Key)).Select(l => l.Key).ToList();
        Assert.True(unbounded.Count == 0, "texts without a maximum length: " + string.Join(", ", unbounded));
        Assert.Equal(lengths[DatabaseProviders.Sqlite].OrderBy(l => l.Key), lengths[DatabaseProviders.PostgreSql].OrderBy(l => l.Key));
        Assert.Equal(lengths[DatabaseProviders.Sqlite].OrderBy(l => l.Key), lengths[DatabaseProviders.SqlServer].OrderBy(l => l.Key));
        Assert.All(UnboundedByDesign.Keys, key => Assert.True(lengths[DatabaseProviders.Sqlite].ContainsKey(key), $"{key} is no longer in the model"));
    }

    private static readonly Dictionary<string, string> UnboundedByDesign = new(StringComparer.Ordinal)
    {
        ["PartnerEvent.Before"] = "JSON snapshot written by the product from the partner's bounded fields",
        ["PartnerEvent.After"] = "JSON snapshot written by the product from the partner's bounded fields",
        ["OutboxMessage.Body"] = "a mail the product writes from bounded parts (names, ids, links); no request writes it",
        ["Subscription.ServicePlans"] = "Graph's list of the subscription's service plans, written by the inventory sync, not a request",
        ["DataProtectionKey.FriendlyName"] = "ASP.NET Core's data-protection key ring (its own schema)",
        ["DataProtectionKey.Xml"] = "ASP.NET Core's data-protection key ring (its own schema)",
    };

    private static DporDbContext DesignTimeContext(string provider) => provider switch
    {
        DatabaseProviders.PostgreSql => Create<PostgreSqlDesignTimeDbContextFactory, PostgreSqlDporDbContext>(),
        DatabaseProviders.SqlServer => Create<SqlServerDesignTimeDbContextFactory, SqlServerDporDbContext>(),
        _ => Create<DesignTimeDbContextFactory, DporDbContext>(),
    };

    private static TContext Create<TFactory, TContext>() where TFactory : IDesignTimeDbContextFactory<TContext>, new() where TContext : DbContext =>
        new TFactory().CreateDbContext([]);
}
