using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Usage;

internal sealed class SubscriptionUsageFactConfiguration : IEntityTypeConfiguration<SubscriptionUsageFact>
{
    public void Configure(EntityTypeBuilder<SubscriptionUsageFact> b)
    {
        b.ToTable("SubscriptionUsageFacts");
        b.HasKey(f => new { f.TenantId, f.SubscriptionId, f.Workload, f.Date });
        b.Property(f => f.Workload).HasConversion<string>().HasMaxLength(24);
        // Covering: the partners' reads ask by (subscription, date) for every figure of the row. Through a (SubscriptionId,
        // Date) index each row was a table lookup: the figures of 30,000 subscriptions on one day took 3.0–3.7 s on SQLite,
        // from this index 0.16–0.26 s (issue 13, a 10,000-customer partner's first view). It replaced that index, so a pull
        // still writes one index entry per row, only a wider one. Key columns rather than INCLUDE: SQLite has no INCLUDE.
        b.HasIndex(f => new { f.SubscriptionId, f.Date, f.Workload, f.Seats, f.LicensedUsers, f.ActiveUsers, f.ActiveUsers90Days })
            .HasDatabaseName("IX_SubscriptionUsageFacts_SubscriptionId_Date_Covering");
        b.HasOne<Subscription>().WithMany().HasForeignKey(f => f.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SubscriptionDailyUsageFactConfiguration : IEntityTypeConfiguration<SubscriptionDailyUsageFact>
{
    public void Configure(EntityTypeBuilder<SubscriptionDailyUsageFact> b)
    {
        b.ToTable("SubscriptionDailyUsageFacts");
        b.HasKey(f => new { f.TenantId, f.SubscriptionId, f.Workload, f.Date });
        b.Property(f => f.Workload).HasConversion<string>().HasMaxLength(24);
        // Covering, for the same reason as the MAU facts': a portfolio's trend sums a month of 30,000 subscriptions' days
        // (5 million rows), each a table lookup through a (SubscriptionId, Date) index (6–10 s warm on SQLite, 4.2 s from
        // this one: what remains is the grouping by tenant).
        b.HasIndex(f => new { f.SubscriptionId, f.Date, f.Workload, f.TenantId, f.ActiveUsers })
            .HasDatabaseName("IX_SubscriptionDailyUsageFacts_SubscriptionId_Date_Covering");
        b.HasOne<Subscription>().WithMany().HasForeignKey(f => f.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CopilotAppUsageFactConfiguration : IEntityTypeConfiguration<CopilotAppUsageFact>
{
    public void Configure(EntityTypeBuilder<CopilotAppUsageFact> b)
    {
        b.ToTable("CopilotAppUsageFacts");
        b.HasKey(f => new { f.TenantId, f.SubscriptionId, f.App, f.Date });
        b.Property(f => f.App).HasConversion<string>().HasMaxLength(24);
        b.HasIndex(f => new { f.SubscriptionId, f.Date });
        b.HasOne<Subscription>().WithMany().HasForeignKey(f => f.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UnknownProductFactConfiguration : IEntityTypeConfiguration<UnknownProductFact>
{
    public void Configure(EntityTypeBuilder<UnknownProductFact> b)
    {
        b.ToTable("UnknownProductFacts");
        b.HasKey(f => new { f.TenantId, f.Date, f.Name });
        b.Property(f => f.Name).HasMaxLength(UnknownProductFact.MaxNameLength);
        b.HasOne<CustomerTenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UnattributedUsageFactConfiguration : IEntityTypeConfiguration<UnattributedUsageFact>
{
    public void Configure(EntityTypeBuilder<UnattributedUsageFact> b)
    {
        b.ToTable("UnattributedUsageFacts");
        b.HasKey(f => new { f.TenantId, f.Product, f.Workload, f.Date });
        b.Property(f => f.Product).HasMaxLength(256);
        b.Property(f => f.Workload).HasConversion<string>().HasMaxLength(24);
        b.HasOne<CustomerTenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TenantDailyUsageFactConfiguration : IEntityTypeConfiguration<TenantDailyUsageFact>
{
    public void Configure(EntityTypeBuilder<TenantDailyUsageFact> b)
    {
        b.ToTable("TenantDailyUsageFacts");
        b.HasKey(f => new { f.TenantId, f.Workload, f.Metric, f.Date });
        b.Property(f => f.Workload).HasConversion<string>().HasMaxLength(24);
        b.Property(f => f.Metric).HasMaxLength(48);
        b.HasOne<CustomerTenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IngestionRunConfiguration : IEntityTypeConfiguration<IngestionRun>
{
    public void Configure(EntityTypeBuilder<IngestionRun> b)
    {
        b.ToTable("IngestionRuns");
        b.HasKey(r => r.Id);
        b.Property(r => r.Report).HasMaxLength(64);
        b.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(24);
        b.Property(r => r.Error).HasMaxLength(2000);
        b.HasIndex(r => new { r.TenantId, r.Report, r.StartedAt });
        b.HasIndex(r => new { r.Outcome, r.StartedAt });
        b.HasOne<CustomerTenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
