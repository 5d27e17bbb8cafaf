using DporReports.Core.Data;
using DporReports.Core.Identity;
using DporReports.Core.Languages;
using DporReports.Core.Notifications;
using DporReports.Core.Partners;
using DporReports.Core.Reports.Schedules;
using DporReports.Core.Subscriptions;
using DporReports.Core.Tenants;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Assignments;

/// <summary>
/// The e-mails a partner receives when named, replaced or removed as partner of record, written to the outbox in the
/// caller's transaction, in the partner's notification language (not the admin's who caused them). Keys are per
/// assignment, so a retried request cannot produce a second mail.
/// </summary>
public sealed class AssignmentMail(NotificationOutbox outbox, IOptions<ReportScheduleOptions> site, IStringLocalizer<Texts> T)
{
    /// <summary>Where the partner sees its customers: the page the mails point to.</summary>
    private string CustomersPage => new Uri(site.Value.PublicBaseUrl!, "partner/customers").ToString();

    private string WorkbooksPage => new Uri(site.Value.PublicBaseUrl!, "partner/reports").ToString();

    public void Assigned(DporDbContext db, Partner partner, CustomerTenant tenant, IReadOnlyList<(Subscription Subscription, Assignment Assignment)> items,
        Actor by, Partner? replacing, DateTimeOffset now)
    {
        using var _ = Language.Use(partner.NotificationLanguage);
        var lines = string.Join("\n", items.Select(i => $"  - {Describe(i.Subscription)}"));
        var replaced = replacing is null ? "" : "\n" + T["It replaces {0} as partner of record.", replacing.DisplayName] + "\n";
        Add(db, $"assignment:{items[0].Assignment.Id}:assigned", "assignment-assigned", partner,
            T["{0} named you Digital Partner of Record", tenant.DisplayName],
            $"""
            {T["Hello {0},", partner.DisplayName]}

            {T["{0} of {1} named your organisation (Partner ID {2}) Digital Partner of Record on {3} for:", by.DisplayName, tenant.DisplayName,
                items[0].Assignment.MpnId, Language.Utc(now)]}
            {lines}
            {replaced}
            {T["DporReports verifies each assignment, usually within minutes of this message; once verified, the usage of these subscriptions appears in DporReports:"]}
            {CustomersPage}
            """);
    }

    public void Ended(DporDbContext db, Partner partner, CustomerTenant tenant, Subscription subscription, Assignment ended, Actor by,
        Partner? successor, DateTimeOffset now)
    {
        using var _ = Language.Use(partner.NotificationLanguage);
        var what = successor is null
            ? T["{0} of {1} removed your organisation as Digital Partner of Record on {2} for:", by.DisplayName, tenant.DisplayName, Language.Utc(now)]
            : T["{0} of {1} replaced your organisation with {2} as Digital Partner of Record on {3} for:", by.DisplayName, tenant.DisplayName,
                successor.DisplayName, Language.Utc(now)];
        Add(db, $"assignment:{ended.Id}:ended", successor is null ? "assignment-removed" : "assignment-changed", partner,
            successor is null ? T["{0} removed you as Digital Partner of Record", tenant.DisplayName] : T["{0} changed its Digital Partner of Record", tenant.DisplayName],
            $"""
            {T["Hello {0},", partner.DisplayName]}

            {what}
              - {Describe(subscription)}

            {T["Usage of this subscription after that moment is no longer shown to you. Workbooks you already created stay available:"]}
            {WorkbooksPage}
            """);
    }

    private void Add(DporDbContext db, string key, string kind, Partner partner, string subject, string body) =>
        outbox.Enqueue(db, key, kind, [partner.NotificationEmail], subject, body.Trim() + "\n");

    private string Describe(Subscription s) =>
        T["{0} ({1} seats, subscription {2})", s.ProductName, Language.Number(s.TotalLicenses), s.Id];
}
