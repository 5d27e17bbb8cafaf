using System.Text.Json;
using DporReports.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DporReports.Core.Subscriptions;

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<Subscription> b)
    {
        b.ToTable("Subscriptions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.CommerceSubscriptionId).HasMaxLength(64);
        b.Property(s => s.SkuPartNumber).HasMaxLength(128);
        b.Property(s => s.ProductName).HasMaxLength(256);
        b.Property(s => s.Family).HasConversion<string>().HasMaxLength(24);
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.PartnerOfRecordVersion).IsConcurrencyToken();
        b.Property(s => s.ServicePlans).HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<ServicePlan>>(v, Json) ?? new List<ServicePlan>())
            .Metadata.SetValueComparer(new ValueComparer<List<ServicePlan>>(
                (a, c) => a!.SequenceEqual(c!), v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p)), v => v.ToList()));
        b.Property(s => s.Workloads).HasConversion(
                v => string.Join(",", v),
                v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<Workload>).ToList())
            .HasMaxLength(128)
            .Metadata.SetValueComparer(new ValueComparer<List<Workload>>(
                (a, c) => a!.SequenceEqual(c!), v => v.Aggregate(0, (h, w) => HashCode.Combine(h, w)), v => v.ToList()));
        b.Ignore(s => s.Seats);
        b.Ignore(s => s.IsActive);
        b.HasIndex(s => s.TenantId);
        b.HasOne<CustomerTenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
