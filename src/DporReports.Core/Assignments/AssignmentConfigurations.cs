using DporReports.Core.Data;
using DporReports.Core.Partners;
using DporReports.Core.Shared;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Assignments;

/// <summary>Applied by <see cref="DporDbContext"/> with the provider's dialect (its index filter is SQL).</summary>
internal sealed class AssignmentConfiguration(SqlDialect sql) : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> b)
    {
        b.ToTable("Assignments");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.MpnId).HasMaxLength(PartnerRules.MaxMpnIdLength);
        b.Property(a => a.State).HasConversion<string>().HasMaxLength(24);
        b.Property(a => a.EndReason).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.AssignedByName).HasMaxLength(TextLimits.PersonName);
        b.Property(a => a.RejectionReason).HasMaxLength(1000);
        // One current partner of record per subscription, enforced by the database, not only by code.
        b.HasIndex(a => a.SubscriptionId).IsUnique().HasFilter(sql.IsTrue(nameof(Assignment.IsCurrent))).HasDatabaseName("UX_Assignments_CurrentPerSubscription");
        b.HasIndex(a => new { a.PartnerId, a.IsCurrent });
        b.HasIndex(a => new { a.TenantId, a.IsCurrent });
        b.HasOne<Subscription>().WithMany().HasForeignKey(a => a.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CustomerTenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Partner>().WithMany().HasForeignKey(a => a.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AssignmentEventConfiguration : IEntityTypeConfiguration<AssignmentEvent>
{
    public void Configure(EntityTypeBuilder<AssignmentEvent> b)
    {
        b.ToTable("AssignmentEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.ActorName).HasMaxLength(TextLimits.PersonName);
        b.Property(e => e.PartnerBeforeName).HasMaxLength(PartnerRules.MaxNameLength);
        b.Property(e => e.PartnerAfterName).HasMaxLength(PartnerRules.MaxNameLength);
        b.Property(e => e.Reason).HasMaxLength(1000);
        b.HasIndex(e => new { e.TenantId, e.At });
        b.HasIndex(e => e.AssignmentBeforeId);
        b.HasIndex(e => e.AssignmentAfterId);
        b.HasOne<Subscription>().WithMany().HasForeignKey(e => e.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Partner>().WithMany().HasForeignKey(e => e.PartnerBeforeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Partner>().WithMany().HasForeignKey(e => e.PartnerAfterId).OnDelete(DeleteBehavior.Restrict);
    }
}
