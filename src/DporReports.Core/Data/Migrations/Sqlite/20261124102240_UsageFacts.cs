using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IngestionRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Report = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DurationMilliseconds = table.Column<int>(type: "INTEGER", nullable: false),
                    RefreshDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RowsRead = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    NamesConcealed = table.Column<bool>(type: "INTEGER", nullable: true),
                    ThrottledWaits = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IngestionRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IngestionRuns_CustomerTenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "CustomerTenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SubscriptionUsageFacts",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Workload = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Seats = table.Column<int>(type: "INTEGER", nullable: false),
                    LicensedUsers = table.Column<int>(type: "INTEGER", nullable: false),
                    ActiveUsers = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubscriptionUsageFacts", x => new { x.TenantId, x.SubscriptionId, x.Workload, x.Date });
                    table.ForeignKey(
                        name: "FK_SubscriptionUsageFacts_Subscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "Subscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TenantDailyUsageFacts",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Workload = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantDailyUsageFacts", x => new { x.TenantId, x.Workload, x.Metric, x.Date });
                    table.ForeignKey(
                        name: "FK_TenantDailyUsageFacts_CustomerTenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "CustomerTenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "UnattributedUsageFacts",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Product = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Workload = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LicensedUsers = table.Column<int>(type: "INTEGER", nullable: false),
                    ActiveUsers = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnattributedUsageFacts", x => new { x.TenantId, x.Product, x.Workload, x.Date });
                    table.ForeignKey(
                        name: "FK_UnattributedUsageFacts_CustomerTenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "CustomerTenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IngestionRuns_Outcome_StartedAt",
                table: "IngestionRuns",
                columns: new[] { "Outcome", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_IngestionRuns_TenantId_Report_StartedAt",
                table: "IngestionRuns",
                columns: new[] { "TenantId", "Report", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionUsageFacts_SubscriptionId_Date",
                table: "SubscriptionUsageFacts",
                columns: new[] { "SubscriptionId", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IngestionRuns");

            migrationBuilder.DropTable(
                name: "SubscriptionUsageFacts");

            migrationBuilder.DropTable(
                name: "TenantDailyUsageFacts");

            migrationBuilder.DropTable(
                name: "UnattributedUsageFacts");
        }
    }
}
