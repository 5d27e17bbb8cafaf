using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class NotificationLanguages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing partners and customers get Spanish: every one stored before languages existed is one of the seed's,
            // whose people write Spanish (design.md §1). A partner changes it on its registration page; a customer's follows
            // its Global Administrator's language from the next consent or partner-of-record change.
            // Existing workbooks get English: that is the language they were written in.
            migrationBuilder.AddColumn<string>(
                name: "NotificationLanguage",
                table: "Partners",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "es");

            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "GeneratedReports",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "en");

            migrationBuilder.AddColumn<string>(
                name: "NotificationLanguage",
                table: "CustomerTenants",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "es");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NotificationLanguage",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Language",
                table: "GeneratedReports");

            migrationBuilder.DropColumn(
                name: "NotificationLanguage",
                table: "CustomerTenants");
        }
    }
}
