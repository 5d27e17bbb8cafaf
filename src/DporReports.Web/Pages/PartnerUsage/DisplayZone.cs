using System.Globalization;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>The partner's chosen IANA time zone for displaying times; an unknown id falls back to UTC with a message.</summary>
public sealed record DisplayZone(string Id, TimeZoneInfo Zone)
{
    public static readonly IReadOnlyList<string> Common =
    [
        "UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago", "America/Denver",
        "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
        "Pacific/Auckland",
    ];

    public static DisplayZone Parse(string? id, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(id) || id == "UTC") return new("UTC", TimeZoneInfo.Utc);
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return new(id, zone);
        error = "That time zone is not known; times are shown in UTC.";
        return new("UTC", TimeZoneInfo.Utc);
    }

    public string Format(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + Id;
}
