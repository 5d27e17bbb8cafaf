using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.PostgreSql
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
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AlertDigests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    WeekStart = table.Column<DateOnly>(type: "date", nullable: false),
                    AsOf = table.Column<DateOnly>(type: "date", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NewItems = table.Column<int>(type: "integer", nullable: false),
                    CurrentItems = table.Column<int>(type: "integer", nullable: false),
                    Recipients = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Problem = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    LowUsageBelow = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: true),
                    LowUsageMinSeats = table.Column<int>(type: "integer", nullable: false),
                    FallingMauBy = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: true),
                    CopilotUsageBelow = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: true),
                    Recipients = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    DayOfWeek = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TimeOfDay = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    TimeZoneId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotifiedDigestId = table.Column<Guid>(type: "uuid", nullable: false),
                    Figure = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedDigestId = table.Column<Guid>(type: "uuid", nullable: true)
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
