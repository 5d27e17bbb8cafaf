using DporReports.Core.Identity;
using DporReports.Core.Partners;
using DporReports.Web.Access;
using Microsoft.Extensions.Options;

namespace DporReports.Web.Shell;

/// <summary>One place of the application: a link in the navigation, grouped by the role it serves.</summary>
public sealed record Place(string Group, string Label, string Path);

/// <summary>
/// The layout's navigation: the places the signed-in person may open, by what the access policies admit (customer,
/// partner member, operator), and which of them the request is in. Links only; every page still enforces its policy.
/// </summary>
public sealed class Navigation(IOptions<AccessOptions> access, PartnerRegistry registry)
{
    public const string CustomerGroup = "Your organisation";
    public const string PartnerGroup = "Partner";
    public const string OperatorGroup = "Operator";

    public async Task<IReadOnlyList<Place>> PlacesAsync(SignedInUser? user, CancellationToken ct)
    {
        if (user is null) return [];
        var places = new List<Place>();
        if (user.TenantId == access.Value.ServiceTenantId)
        {
            if (user.HasAppRole(AppRoleNames.Operator))
            {
                places.Add(new(OperatorGroup, "Partners", "/ops/partners"));
                places.Add(new(OperatorGroup, "Ingestion", "/ops/ingestion"));
                places.Add(new(OperatorGroup, "Jobs", "/ops/jobs"));
            }
            return places;
        }

        var isPartnerAdmin = user.HasAppRole(AppRoleNames.PartnerAdmin);
        if (isPartnerAdmin || user.HasAppRole(AppRoleNames.PartnerReader))
        {
            var partner = await registry.FindByTenantAsync(user.TenantId, ct);
            if (partner?.Status == PartnerStatus.Approved)
            {
                places.Add(new(PartnerGroup, "Portfolio", "/partner/usage"));
                places.Add(new(PartnerGroup, "Where to help", "/partner/help"));
                places.Add(new(PartnerGroup, "Customers", "/partner/customers"));
                places.Add(new(PartnerGroup, "Workbooks", "/partner/reports"));
                places.Add(new(PartnerGroup, "Schedules", "/partner/reports/schedules"));
                places.Add(new(PartnerGroup, "Alerts", "/partner/alerts"));
            }
            if (partner is not null || isPartnerAdmin) places.Add(new(PartnerGroup, "Registration", "/partner/registration"));
        }
        places.Add(new(CustomerGroup, "Subscriptions", "/customer"));
        places.Add(new(CustomerGroup, "History", "/customer/history"));
        return places;
    }

    /// <summary>The place the path lies in: the longest place path that is the path itself or one of its parents.</summary>
    public static Place? Current(IReadOnlyList<Place> places, PathString path) =>
        places.Where(p => path.StartsWithSegments(p.Path, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(p => p.Path.Length)
            .FirstOrDefault();

    /// <summary>A detail page lies below its place (a customer of the portfolio, one schedule): it gets breadcrumbs.</summary>
    public static bool IsDetail(Place? place, PathString path) =>
        place is not null && !string.Equals(path.Value?.TrimEnd('/'), place.Path, StringComparison.OrdinalIgnoreCase);
}
