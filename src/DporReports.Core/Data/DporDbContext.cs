using System.Linq.Expressions;
using DporReports.Core.Assignments;
using DporReports.Core.Notifications;
using DporReports.Core.Partners;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenancy;
using DporReports.Core.Tenants;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DporReports.Core.Data;

/// <summary>
/// The product's database. Used directly by the features (no repositories). Partner-owned tables are filtered by
/// the unit of work's <see cref="PartnerScope"/>; the filter reads the scope at query time, so an unset scope throws.
/// One model for every provider: this type carries SQLite's migrations (the embedded default), and each server provider
/// has a derived type (<see cref="PostgreSqlDporDbContext"/>, <see cref="SqlServerDporDbContext"/>) only so that EF keeps
/// its migrations and snapshot apart. Features depend on this type alone.
/// </summary>
public class DporDbContext : DbContext, IDataProtectionKeyContext
{
    private readonly PartnerScope _scope;

    public DporDbContext(DbContextOptions<DporDbContext> options, PartnerScope scope) : this((DbContextOptions)options, scope) { }

    protected DporDbContext(DbContextOptions options, PartnerScope scope) : base(options) => _scope = scope;

    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<PartnerMpnId> PartnerMpnIds => Set<PartnerMpnId>();
    public DbSet<PartnerEvent> PartnerEvents => Set<PartnerEvent>();
    public DbSet<CustomerTenant> CustomerTenants => Set<CustomerTenant>();
    public DbSet<InventorySyncRun> InventorySyncRuns => Set<InventorySyncRun>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<AssignmentEvent> AssignmentEvents => Set<AssignmentEvent>();

    /// <summary>ASP.NET Core's data-protection key ring: cookies and protected state survive restarts and work across web hosts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>MSAL's token caches when several hosts share them (<see cref="Identity.TokenCacheModule"/>).</summary>
    public DbSet<Identity.TokenCacheEntry> TokenCacheEntries => Set<Identity.TokenCacheEntry>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    // Referenced by the query filters; EF evaluates it per query, per context instance.
    internal Guid CurrentPartnerId => _scope.PartnerId;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Configurations with a parameterless constructor; those carrying provider-specific SQL take the dialect.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DporDbContext).Assembly);
        modelBuilder.ApplyConfiguration(new AssignmentConfiguration(SqlDialect.Of(Database)));

        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => typeof(IPartnerOwned).IsAssignableFrom(e.ClrType)))
            modelBuilder.Entity(entity.ClrType).HasQueryFilter(PartnerFilter(entity.ClrType));
    }

    /// <summary>
    /// Records something about <paramref name="entity"/> after the unit of work failed: whatever else was changed is dropped
    /// (nothing half-written), only the entity's new state is saved. Used for job run records.
    /// </summary>
    public async Task SaveAloneAsync<T>(T entity, Action<T> change, CancellationToken ct) where T : class
    {
        ChangeTracker.Clear();
        Attach(entity);
        change(entity);
        await SaveChangesAsync(ct);
    }

    /// <summary>Ledgers are append-only: a modified or deleted ledger row is a bug, refused before it reaches the database.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseLedgerRewrites();
        RefuseOverlongText();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseLedgerRewrites();
        RefuseOverlongText();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Every text column's maximum length, held on every provider before anything is written: SQLite would store a longer
    /// value (which then fails later, elsewhere: a mail that cannot be sent, a run that cannot finish), PostgreSQL and SQL
    /// Server would refuse the whole save with a provider error. Inputs are validated against the same lengths earlier, with
    /// the field's name; this is the one place that makes sure nothing longer is ever written, whatever the path.
    /// </summary>
    private void RefuseOverlongText()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is string text && property.Metadata.GetMaxLength() is { } max && text.Length > max)
                    throw new StoredTextTooLongException(entry.Metadata.ClrType.Name, property.Metadata.Name, max);
            }
        }
    }

    private void RefuseLedgerRewrites()
    {
        var rewritten = ChangeTracker.Entries()
            .Where(e => e.Entity is AssignmentEvent or PartnerEvent && e.State is EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity.GetType().Name)
            .FirstOrDefault();
        if (rewritten is not null)
            throw new InvalidOperationException($"{rewritten} rows are append-only: they cannot be changed or deleted.");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date/time type: stored as sortable integers so ordering and comparisons run in the database.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
        // Npgsql writes timestamptz from UTC values only and refuses any other offset: store the same instant in UTC.
        else if (Database.IsNpgsql())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeOffsetConverter>();
        }
    }

    private LambdaExpression PartnerFilter(Type entityType)
    {
        var row = Expression.Parameter(entityType, "row");
        var owner = Expression.Property(row, nameof(IPartnerOwned.PartnerId));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentPartnerId));
        return Expression.Lambda(Expression.Equal(owner, current), row);
    }
}
