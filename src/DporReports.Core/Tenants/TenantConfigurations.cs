using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Tenants;

internal sealed class CustomerTenantConfiguration : IEntityTypeConfiguration<CustomerTenant>
{
    public void Configure(EntityTypeBuilder<CustomerTenant> b)
    {
        b.ToTable("CustomerTenants");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.DisplayName).HasMaxLength(256);
        b.Property(t => t.ConsentStatus).HasConversion<string>().HasMaxLength(24);
        b.Property(t => t.ConnectedByName).HasMaxLength(256);
        b.Property(t => t.ConsentRevokedReason).HasMaxLength(1000);
        b.Property(t => t.NotificationLanguage).HasMaxLength(Languages.Language.MaxLength).IsRequired();
        b.Ignore(t => t.IsConnected);
    }
}

internal sealed class InventorySyncRunConfiguration : IEntityTypeConfiguration<InventorySyncRun>
{
    public void Configure(EntityTypeBuilder<InventorySyncRun> b)
    {
        b.ToTable("InventorySyncRuns");
        b.HasKey(r => r.Id);
        b.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(24);
        b.Property(r => r.Error).HasMaxLength(2000);
        b.HasIndex(r => new { r.TenantId, r.StartedAt });
        b.HasOne<CustomerTenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
