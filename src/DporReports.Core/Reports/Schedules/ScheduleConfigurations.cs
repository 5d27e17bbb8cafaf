using DporReports.Core.Partners;
using DporReports.Core.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Reports.Schedules;

internal sealed class ReportScheduleConfiguration : IEntityTypeConfiguration<ReportSchedule>
{
    public void Configure(EntityTypeBuilder<ReportSchedule> b)
    {
        b.ToTable("ReportSchedules");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Name).HasMaxLength(ScheduleLimits.Name);
        b.Property(s => s.ReportId).HasMaxLength(64);
        b.Property(s => s.Scope).HasMaxLength(ScheduleLimits.Scope);
        b.Property(s => s.Period).HasConversion<string>().HasMaxLength(32);
        b.Property(s => s.Cadence).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.DayOfWeek).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.TimeZoneId).HasMaxLength(ScheduleLimits.TimeZone);
        b.Property(s => s.Cron).HasMaxLength(ScheduleLimits.Cron);
        b.Property(s => s.Recipients).HasMaxLength(ScheduleLimits.Recipients);
        b.Property(s => s.CreatedBy).HasMaxLength(TextLimits.PersonName);
        b.Property(s => s.UpdatedBy).HasMaxLength(TextLimits.PersonName);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.Ignore(s => s.RecurringJobId);
        b.Ignore(s => s.ScopeTenantIds);
        b.Ignore(s => s.RecipientList);
        b.HasIndex(s => s.PartnerId);
        b.HasOne<Partner>().WithMany().HasForeignKey(s => s.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReportScheduleRunConfiguration : IEntityTypeConfiguration<ReportScheduleRun>
{
    public void Configure(EntityTypeBuilder<ReportScheduleRun> b)
    {
        b.ToTable("ReportScheduleRuns");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        // One run per schedule and period: the re-entrancy guarantee, enforced by the database.
        b.HasIndex(r => new { r.ScheduleId, r.From, r.To }).IsUnique();
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.TriggeredBy).HasMaxLength(TextLimits.PersonName);
        b.Property(r => r.Recipients).HasMaxLength(ScheduleLimits.Recipients);
        b.Property(r => r.Problem).HasMaxLength(1000);
        b.Ignore(r => r.RecipientList);
        b.HasIndex(r => new { r.PartnerId, r.StartedAt });
        b.HasOne<ReportSchedule>().WithMany().HasForeignKey(r => r.ScheduleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<GeneratedReport>().WithMany().HasForeignKey(r => r.GeneratedReportId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RecipientDomainConfiguration : IEntityTypeConfiguration<RecipientDomain>
{
    public void Configure(EntityTypeBuilder<RecipientDomain> b)
    {
        b.ToTable("RecipientDomains");
        b.HasKey(d => new { d.PartnerId, d.Domain });
        b.Property(d => d.Domain).HasMaxLength(TextLimits.DomainName);
        b.Property(d => d.Source).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.AddedBy).HasMaxLength(TextLimits.PersonName);
        b.HasOne<Partner>().WithMany().HasForeignKey(d => d.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }
}
