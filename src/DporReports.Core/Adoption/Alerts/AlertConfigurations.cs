using DporReports.Core.Partners;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Shared;
using DporReports.Core.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Adoption.Alerts;

internal sealed class AlertSettingsConfiguration : IEntityTypeConfiguration<AlertSettings>
{
    public void Configure(EntityTypeBuilder<AlertSettings> b)
    {
        b.ToTable("AlertSettings");
        b.HasKey(s => s.PartnerId);
        b.Property(s => s.LowUsageBelow).HasPrecision(9, 4);
        b.Property(s => s.FallingMauBy).HasPrecision(9, 4);
        b.Property(s => s.CopilotUsageBelow).HasPrecision(9, 4);
        b.Property(s => s.Recipients).HasMaxLength(ScheduleLimits.Recipients);
        b.Property(s => s.DayOfWeek).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.TimeZoneId).HasMaxLength(ScheduleLimits.TimeZone);
        b.Property(s => s.UpdatedBy).HasMaxLength(TextLimits.PersonName);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.Ignore(s => s.RecipientList);
        b.Ignore(s => s.Values);
        b.Ignore(s => s.Rules);
        b.Ignore(s => s.Cron);
        b.HasOne<Partner>().WithMany().HasForeignKey(s => s.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AlertDigestConfiguration : IEntityTypeConfiguration<AlertDigest>
{
    public void Configure(EntityTypeBuilder<AlertDigest> b)
    {
        b.ToTable("AlertDigests");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        // One digest per partner and week: the exactly-once guarantee, enforced by the database.
        b.HasIndex(d => new { d.PartnerId, d.WeekStart }).IsUnique();
        b.Property(d => d.Recipients).HasMaxLength(ScheduleLimits.Recipients);
        b.Property(d => d.Problem).HasMaxLength(1000);
        b.Ignore(d => d.Mailed);
        b.Ignore(d => d.RecipientList);
        b.HasOne<Partner>().WithMany().HasForeignKey(d => d.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AlertNoticeConfiguration : IEntityTypeConfiguration<AlertNotice>
{
    public void Configure(EntityTypeBuilder<AlertNotice> b)
    {
        b.ToTable("AlertNotices");
        b.HasKey(n => n.Id);
        b.Property(n => n.Id).ValueGeneratedNever();
        b.Property(n => n.Reason).HasConversion<string>().HasMaxLength(24);
        b.Property(n => n.Figure).HasPrecision(18, 4);
        b.Ignore(n => n.IsOpen);
        b.HasIndex(n => new { n.PartnerId, n.SubscriptionId, n.Reason });
        b.HasIndex(n => n.NotifiedDigestId);
        b.HasOne<Partner>().WithMany().HasForeignKey(n => n.PartnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Subscription>().WithMany().HasForeignKey(n => n.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AlertDigest>().WithMany().HasForeignKey(n => n.NotifiedDigestId).OnDelete(DeleteBehavior.Restrict);
    }
}
