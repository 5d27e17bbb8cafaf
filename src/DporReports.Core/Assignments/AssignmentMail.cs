using System.Globalization;
using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Notifications;
using DporReports.Core.Partners;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Assignments;

/// <summary>
/// The e-mails a partner receives when named, replaced or removed as partner of record, written to the outbox in the
/// caller's transaction. Keys are per assignment, so a retried request cannot produce a second mail.
/// </summary>
public sealed class AssignmentMail(NotificationOutbox outbox, IOptions<ReportScheduleOptions> site)
{
    /// <summary>Where the partner sees its customers: the page the mails point to.</summary>
    private string CustomersPage => new Uri(site.Value.PublicBaseUrl!, "partner/customers").ToString();

    private string WorkbooksPage => new Uri(site.Value.PublicBaseUrl!, "partner/reports").ToString();
    public void Assigned(DporDbContext db, Partner partner, CustomerTenant tenant, IReadOnlyList<(Subscription Subscription, Assignment Assignment)> items,
        Actor by, Partner? replacing, DateTimeOffset now)
    {
        var lines = string.Join("\n", items.Select(i => $"  - {Describe(i.Subscription)}"));
        var replaced = replacing is null ? "" : $"\nIt replaces {replacing.DisplayName} as partner of record.\n";
        Add(db, $"assignment:{items[0].Assignment.Id}:assigned", "assignment-assigned", partner,
            $"{tenant.DisplayName} named you Digital Partner of Record",
            $"""
            Hello {partner.DisplayName},

            {by.DisplayName} of {tenant.DisplayName} named your organisation (Partner ID {items[0].Assignment.MpnId}) Digital Partner of Record on {When(now)} for:
            {lines}
            {replaced}
            DporReports verifies each assignment, usually within minutes of this message; once verified, the usage of these subscriptions appears in DporReports:
            {CustomersPage}
            """);
    }

    public void Ended(DporDbContext db, Partner partner, CustomerTenant tenant, Subscription subscription, Assignment ended, Actor by,
        Partner? successor, DateTimeOffset now)
    {
        var what = successor is null ? "removed your organisation as" : $"replaced your organisation with {successor.DisplayName} as";
        Add(db, $"assignment:{ended.Id}:ended", successor is null ? "assignment-removed" : "assignment-changed", partner,
            $"{tenant.DisplayName} {(successor is null ? "removed you as" : "changed its")} Digital Partner of Record",
            $"""
            Hello {partner.DisplayName},

            {by.DisplayName} of {tenant.DisplayName} {what} Digital Partner of Record on {When(now)} for:
              - {Describe(subscription)}

            Usage of this subscription after that moment is no longer shown to you. Workbooks you already created stay available:
            {WorkbooksPage}
            """);
    }

    private void Add(DporDbContext db, string key, string kind, Partner partner, string subject, string body) =>
        outbox.Enqueue(db, key, kind, [partner.NotificationEmail], subject, body.Trim() + "\n");

    private static string Describe(Subscription s) =>
        $"{s.ProductName} ({s.TotalLicenses.ToString(CultureInfo.InvariantCulture)} seats, subscription {s.Id})";

    private static string When(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
