using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DporReports.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PartnerOfRecord : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CustomerTenants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ConsentStatus = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    ConnectedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConnectedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ConnectedByObjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ConsentRevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConsentRevokedReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    LastInventorySyncAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerTenants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Recipients = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAttemptStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InventorySyncRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    SubscriptionsRead = table.Column<int>(type: "INTEGER", nullable: false),
                    Added = table.Column<int>(type: "INTEGER", nullable: false),
                    Changed = table.Column<int>(type: "INTEGER", nullable: false),
                    Disappeared = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventorySyncRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InventorySyncRuns_CustomerTenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "CustomerTenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommerceSubscriptionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SkuId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SkuPartNumber = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProductName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Family = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TotalLicenses = table.Column<int>(type: "INTEGER", nullable: false),
                    IsTrial = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtSource = table.Column<long>(type: "INTEGER", nullable: true),
                    ServicePlans = table.Column<string>(type: "TEXT", nullable: false),
                    Workloads = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SkuConsumedUnits = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DisappearedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PartnerOfRecordVersion = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Subscriptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Subscriptions_CustomerTenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "CustomerTenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorTenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActorObjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    AssignmentBeforeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PartnerBeforeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PartnerBeforeName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AssignmentAfterId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PartnerAfterId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PartnerAfterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentEvents_Partners_PartnerAfterId",
                        column: x => x.PartnerAfterId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AssignmentEvents_Partners_PartnerBeforeId",
                        column: x => x.PartnerBeforeId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AssignmentEvents_Subscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "Subscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MpnId = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    IsCurrent = table.Column<bool>(type: "INTEGER", nullable: false),
                    AssignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AssignedByTenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssignedByObjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AssignedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    AssignedByQualifiedAdministrator = table.Column<bool>(type: "INTEGER", nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    SuspendedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assignments_CustomerTenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "CustomerTenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assignments_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assignments_Subscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "Subscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentEvents_AssignmentAfterId",
                table: "AssignmentEvents",
                column: "AssignmentAfterId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentEvents_AssignmentBeforeId",
                table: "AssignmentEvents",
                column: "AssignmentBeforeId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentEvents_PartnerAfterId",
                table: "AssignmentEvents",
                column: "PartnerAfterId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentEvents_PartnerBeforeId",
                table: "AssignmentEvents",
                column: "PartnerBeforeId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentEvents_SubscriptionId",
                table: "AssignmentEvents",
                column: "SubscriptionId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentEvents_TenantId_At",
                table: "AssignmentEvents",
                columns: new[] { "TenantId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_PartnerId_IsCurrent",
                table: "Assignments",
                columns: new[] { "PartnerId", "IsCurrent" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_TenantId_IsCurrent",
                table: "Assignments",
                columns: new[] { "TenantId", "IsCurrent" });

            migrationBuilder.CreateIndex(
                name: "UX_Assignments_CurrentPerSubscription",
                table: "Assignments",
                column: "SubscriptionId",
                unique: true,
                filter: "\"IsCurrent\" = 1");

            migrationBuilder.CreateIndex(
                name: "IX_InventorySyncRuns_TenantId_StartedAt",
                table: "InventorySyncRuns",
                columns: new[] { "TenantId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_IdempotencyKey",
                table: "OutboxMessages",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_NextAttemptAt",
                table: "OutboxMessages",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_TenantId",
                table: "Subscriptions",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssignmentEvents");

            migrationBuilder.DropTable(
                name: "Assignments");

            migrationBuilder.DropTable(
                name: "InventorySyncRuns");

            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropTable(
                name: "Subscriptions");

            migrationBuilder.DropTable(
                name: "CustomerTenants");
        }
    }
}
