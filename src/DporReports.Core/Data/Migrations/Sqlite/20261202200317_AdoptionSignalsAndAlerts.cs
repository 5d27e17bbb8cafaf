using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdoptionSignalsAndAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ActiveUsers90Days",
                table: "SubscriptionUsageFacts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AlertDigests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WeekStart = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AsOf = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NewItems = table.Column<int>(type: "INTEGER", nullable: false),
                    CurrentItems = table.Column<int>(type: "INTEGER", nullable: false),
                    Recipients = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Problem = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertDigests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertDigests_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AlertSettings",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    LowUsageBelow = table.Column<decimal>(type: "TEXT", precision: 9, scale: 4, nullable: true),
                    LowUsageMinSeats = table.Column<int>(type: "INTEGER", nullable: false),
                    FallingMauBy = table.Column<decimal>(type: "TEXT", precision: 9, scale: 4, nullable: true),
                    CopilotUsageBelow = table.Column<decimal>(type: "TEXT", precision: 9, scale: 4, nullable: true),
                    Recipients = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    DayOfWeek = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TimeOfDay = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    TimeZoneId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertSettings", x => x.PartnerId);
                    table.ForeignKey(
                        name: "FK_AlertSettings_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AlertNotices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NotifiedDigestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Figure = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedDigestId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertNotices_AlertDigests_NotifiedDigestId",
                        column: x => x.NotifiedDigestId,
                        principalTable: "AlertDigests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AlertNotices_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AlertNotices_Subscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "Subscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlertDigests_PartnerId_WeekStart",
                table: "AlertDigests",
                columns: new[] { "PartnerId", "WeekStart" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AlertNotices_NotifiedDigestId",
                table: "AlertNotices",
                column: "NotifiedDigestId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertNotices_PartnerId_SubscriptionId_Reason",
                table: "AlertNotices",
                columns: new[] { "PartnerId", "SubscriptionId", "Reason" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertNotices_SubscriptionId",
                table: "AlertNotices",
                column: "SubscriptionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertNotices");

            migrationBuilder.DropTable(
                name: "AlertSettings");

            migrationBuilder.DropTable(
                name: "AlertDigests");

            migrationBuilder.DropColumn(
                name: "ActiveUsers90Days",
                table: "SubscriptionUsageFacts");
        }
    }
}
