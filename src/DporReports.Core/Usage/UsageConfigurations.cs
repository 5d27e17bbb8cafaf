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
        b.HasIndex(f => new { f.SubscriptionId, f.Date });
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
        b.HasIndex(f => new { f.SubscriptionId, f.Date });
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
