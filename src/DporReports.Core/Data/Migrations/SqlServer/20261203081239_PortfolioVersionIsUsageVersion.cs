using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PortfolioVersionIsUsageVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LatestAssignmentEvent",
                table: "PortfolioSnapshots");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LatestAssignmentEvent",
                table: "PortfolioSnapshots",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }
    }
}
