using System.Text.Json;
using DporReports.Core.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Partners;

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> b)
    {
        b.ToTable("Partners");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedNever();
        // One organisation per Entra tenant: the signed-in tenant is how a partner user finds its organisation.
        b.HasIndex(p => p.TenantId).IsUnique();
        b.Property(p => p.DisplayName).HasMaxLength(PartnerRules.MaxNameLength).IsRequired();
        b.Property(p => p.NotificationEmail).HasMaxLength(PartnerRules.MaxEmailLength).IsRequired();
        b.Property(p => p.NotificationLanguage).HasMaxLength(Languages.Language.MaxLength).IsRequired();
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.StatusReason).HasMaxLength(PartnerRules.MaxReasonLength);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.HasIndex(p => p.Status);
        b.HasMany(p => p.MpnIds).WithOne().HasForeignKey(m => m.PartnerId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(p => p.MpnIds).AutoInclude();
    }
}

internal sealed class PartnerMpnIdConfiguration : IEntityTypeConfiguration<PartnerMpnId>
{
    public void Configure(EntityTypeBuilder<PartnerMpnId> b)
    {
        b.ToTable("PartnerMpnIds");
        // The primary key is the ID itself: one Partner ID belongs to exactly one organisation, enforced by the database.
        b.HasKey(m => m.Value);
        b.Property(m => m.Value).HasMaxLength(PartnerRules.MaxMpnIdLength);
        b.HasIndex(m => m.PartnerId);
    }
}

internal sealed class PartnerEventConfiguration : IEntityTypeConfiguration<PartnerEvent>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<PartnerEvent> b)
    {
        b.ToTable("PartnerEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(e => e.ActorName).HasMaxLength(TextLimits.PersonName);
        b.Property(e => e.Before).HasConversion(
            v => v == null ? null : JsonSerializer.Serialize(v, Json),
            v => v == null ? null : JsonSerializer.Deserialize<PartnerSnapshot>(v, Json));
        b.Property(e => e.After).HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<PartnerSnapshot>(v, Json)!);
        b.HasIndex(e => new { e.PartnerId, e.At });
        b.HasOne<Partner>().WithMany().HasForeignKey(e => e.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }
}
