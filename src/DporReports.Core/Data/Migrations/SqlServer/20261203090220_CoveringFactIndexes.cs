using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CoveringFactIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The covering indexes first: the facts are never without an index on SubscriptionId (its foreign key) meanwhile.
            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionUsageFacts_SubscriptionId_Date_Covering",
                table: "SubscriptionUsageFacts",
                columns: new[] { "SubscriptionId", "Date", "Workload", "Seats", "LicensedUsers", "ActiveUsers", "ActiveUsers90Days" });

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionDailyUsageFacts_SubscriptionId_Date_Covering",
                table: "SubscriptionDailyUsageFacts",
                columns: new[] { "SubscriptionId", "Date", "Workload", "TenantId", "ActiveUsers" });

            migrationBuilder.DropIndex(
                name: "IX_SubscriptionUsageFacts_SubscriptionId_Date",
                table: "SubscriptionUsageFacts");

            migrationBuilder.DropIndex(
                name: "IX_SubscriptionDailyUsageFacts_SubscriptionId_Date",
                table: "SubscriptionDailyUsageFacts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SubscriptionUsageFacts_SubscriptionId_Date_Covering",
                table: "SubscriptionUsageFacts");

            migrationBuilder.DropIndex(
                name: "IX_SubscriptionDailyUsageFacts_SubscriptionId_Date_Covering",
                table: "SubscriptionDailyUsageFacts");

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionUsageFacts_SubscriptionId_Date",
                table: "SubscriptionUsageFacts",
                columns: new[] { "SubscriptionId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionDailyUsageFacts_SubscriptionId_Date",
                table: "SubscriptionDailyUsageFacts",
                columns: new[] { "SubscriptionId", "Date" });
        }
    }
}
