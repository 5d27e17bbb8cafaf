using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CatalogAndDailyActiveUsers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextLifecycleAt",
                table: "Subscriptions",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SubscriptionDailyUsageFacts",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Workload = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    ActiveUsers = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubscriptionDailyUsageFacts", x => new { x.TenantId, x.SubscriptionId, x.Workload, x.Date });
                    table.ForeignKey(
                        name: "FK_SubscriptionDailyUsageFacts_Subscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "Subscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "UnknownProductFacts",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Users = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnknownProductFacts", x => new { x.TenantId, x.Date, x.Name });
                    table.ForeignKey(
                        name: "FK_UnknownProductFacts_CustomerTenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "CustomerTenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionDailyUsageFacts_SubscriptionId_Date",
                table: "SubscriptionDailyUsageFacts",
                columns: new[] { "SubscriptionId", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SubscriptionDailyUsageFacts");

            migrationBuilder.DropTable(
                name: "UnknownProductFacts");

            migrationBuilder.DropColumn(
                name: "NextLifecycleAt",
                table: "Subscriptions");
        }
    }
}
