using System.Globalization;
using DporReports.Core.Adoption.Alerts;
using DporReports.Core.Identity;
using DporReports.Web.Access;
using DporReports.Web.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DporReports.Web.Partners;

/// <summary>
/// A partner's alert settings. Thresholds are percentages (null: that alert is off); the digest goes out weekly on the day
/// at the time in the IANA zone. <c>version</c> is 0 until first saved.
/// </summary>
public sealed record AlertSettingsView(bool Enabled, decimal? LowUsageBelowPercent, int LowUsageMinSeats, decimal? FallingMauByPercent,
    decimal? CopilotUsageBelowPercent, IReadOnlyList<string> Recipients, DayOfWeek DayOfWeek, string Time, string TimeZone, int Version,
    DateTimeOffset? UpdatedAt, string? UpdatedBy, IReadOnlyList<DateTimeOffset> NextDigests)
{
    public static AlertSettingsView Of(AlertSettings? saved, PartnerAlerts alerts)
    {
        var v = saved?.Values ?? AlertSettings.Defaults;
        return new(v.Enabled, Percent(v.LowUsageBelow), v.LowUsageMinSeats, Percent(v.FallingMauBy), Percent(v.CopilotUsageBelow), [.. v.Recipients],
            v.DayOfWeek, v.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture), v.TimeZoneId, saved?.Version ?? 0, saved?.UpdatedAt, saved?.UpdatedBy,
            alerts.NextDigests(saved, 3));
    }

    // 30, not 30.0000: the stored fraction keeps four decimals.
    private static decimal? Percent(decimal? fraction) =>
        fraction is { } f ? decimal.Parse((f * 100m).ToString("0.##", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : null;
}

/// <summary>One weekly digest: when it ran, the items new that week (mailed) and those crossed now, to whom.</summary>
public sealed record AlertDigestView(Guid Id, DateOnly WeekStart, DateOnly AsOf, DateTimeOffset CreatedAt, int NewItems, int CurrentItems,
    IReadOnlyList<string> Recipients, bool Mailed, string? Problem)
{
    public static AlertDigestView Of(AlertDigest d) => new(d.Id, d.WeekStart, d.AsOf, d.CreatedAt, d.NewItems, d.CurrentItems, d.RecipientList, d.Mailed,
        d.Problem);
}

/// <summary>Adoption alerts: partner members read the settings and the digests; partner admins change the settings.</summary>
public static class PartnerAlertsApi
{
    public static RouteGroupBuilder MapPartnerAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/partner/alerts").WithTags(ApiTags.PartnerAlerts).RequireAuthorization(AccessPolicies.PartnerMember);
        alerts.MapGet("/", async (PartnerAlerts a, CancellationToken ct) => TypedResults.Ok(AlertSettingsView.Of(await a.FindAsync(ct), a)))
            .WithName("GetAlertSettings").WithSummary("Your alert thresholds, recipients and weekly digest time (the defaults, off, until saved).");
        alerts.MapPut("/", SaveAsync).RequireAuthorization(AccessPolicies.PartnerAdmin).WithName("UpdateAlertSettings").Problems(400, 409)
            .WithSummary("Replace the alert settings; pass ?version= to refuse a change made in between.");
        alerts.MapGet("/digests", async (PartnerAlerts a, CancellationToken ct) => TypedResults.Ok((await a.DigestsAsync(ct)).Select(AlertDigestView.Of).ToList()))
            .WithName("ListAlertDigests").WithSummary("Your last weekly digests, newest first: when, how many items, to whom.");
        return api;
    }

    private static async Task<Results<Ok<AlertSettingsView>, ProblemHttpResult>> SaveAsync(int? version, AlertSettingsInput? body, PartnerAlerts alerts,
        HttpContext http, CancellationToken ct)
    {
        var outcome = await alerts.SaveAsync(body ?? Empty, version, SignedInUser.Require(http.User), ct);
        return outcome.Value is { } saved ? TypedResults.Ok(AlertSettingsView.Of(saved, alerts)) : outcome.Problem!.ToHttp();
    }

    private static readonly AlertSettingsInput Empty = new(null, null, null, null, null, null, null, null, null);
}
