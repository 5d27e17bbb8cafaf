using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Notifications;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.IdempotencyKey).HasMaxLength(200);
        b.HasIndex(m => m.IdempotencyKey).IsUnique();
        b.Property(m => m.Kind).HasMaxLength(64);
        b.Property(m => m.Recipients).HasMaxLength(4000);
        b.Property(m => m.Subject).HasMaxLength(500);
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.LastError).HasMaxLength(2000);
        b.Property(m => m.AttachmentKey).HasMaxLength(64);
        b.Property(m => m.AttachmentName).HasMaxLength(200);
        b.Ignore(m => m.RecipientList);
        b.HasIndex(m => new { m.Status, m.NextAttemptAt });
    }
}
