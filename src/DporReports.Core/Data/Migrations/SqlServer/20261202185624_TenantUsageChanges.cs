using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TenantUsageChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TenantUsageChanges",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UsageVersion = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantUsageChanges", x => new { x.PartnerId, x.TenantId });
                    table.ForeignKey(
                        name: "FK_TenantUsageChanges_CustomerTenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "CustomerTenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TenantUsageChanges_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TenantUsageChanges_PartnerId_UsageVersion",
                table: "TenantUsageChanges",
                columns: new[] { "PartnerId", "UsageVersion" });

            migrationBuilder.CreateIndex(
                name: "IX_TenantUsageChanges_TenantId",
                table: "TenantUsageChanges",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TenantUsageChanges");
        }
    }
}
