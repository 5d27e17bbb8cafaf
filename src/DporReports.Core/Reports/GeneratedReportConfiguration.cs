using DporReports.Core.Partners;
using DporReports.Core.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Reports;

internal sealed class GeneratedReportConfiguration : IEntityTypeConfiguration<GeneratedReport>
{
    public void Configure(EntityTypeBuilder<GeneratedReport> b)
    {
        b.ToTable("GeneratedReports");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.ReportId).HasMaxLength(64);
        b.Property(r => r.Title).HasMaxLength(200);
        b.Property(r => r.Language).HasMaxLength(Languages.Language.MaxLength).IsRequired();
        b.Property(r => r.Scope).HasMaxLength(Schedules.ScheduleLimits.Scope);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.FailureReason).HasMaxLength(1000);
        b.Property(r => r.RequestedBy).HasMaxLength(TextLimits.PersonName);
        b.Property(r => r.FileName).HasMaxLength(200);
        b.Property(r => r.Sha256).HasMaxLength(64);
        b.Ignore(r => r.ScopeTenantIds);
        b.HasIndex(r => new { r.PartnerId, r.RequestedAt });
        b.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }
}
