using System.Net.Mail;
using System.Text.RegularExpressions;
using DporReports.Core.Languages;
using DporReports.Core.Shared;

namespace DporReports.Core.Partners;

/// <summary>Input rules of the partner registry, shared by the API, the pages and the lookup.</summary>
public static partial class PartnerRules
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxReasonLength = 1000;
    public const int MaxMpnIdLength = 12;
    public const int MaxMpnIdsPerPartner = 20;

    public const string WhereToFindId =
        "Ask the partner for its Partner ID (MPN ID), or your Microsoft account executive.";

    // Partner IDs are digit strings; Microsoft documents no length, published examples have 5 to 7 digits.
    [GeneratedRegex("^[0-9]{4,12}$", RegexOptions.CultureInvariant)]
    private static partial Regex MpnIdPattern();

    public static bool IsWellFormedMpnId(string? value) => value is not null && MpnIdPattern().IsMatch(value);

    public static string NormaliseMpnId(string? value) => (value ?? "").Trim();

    /// <summary>Validates a registration or update; returns the cleaned values or the fields in error.</summary>
    public static Outcome<PartnerRegistration> Validate(PartnerRegistration? input)
    {
        if (input is null) return Problem.Validation("body", "A JSON body with displayName, notificationEmail and partnerIds is required.");
        var errors = new Dictionary<string, string[]>();
        var name = (input.DisplayName ?? "").Trim();
        var email = (input.NotificationEmail ?? "").Trim();
        var ids = (input.PartnerIds ?? []).Select(NormaliseMpnId).ToList();
        var language = input.NotificationLanguage?.Trim().ToLowerInvariant();

        if (name.Length is < 2 or > MaxNameLength)
            errors["displayName"] = [$"The organisation name must be 2 to {MaxNameLength} characters."];
        if (email.Length > MaxEmailLength || !IsEmail(email))
            errors["notificationEmail"] = ["The notification e-mail must be a single valid address, e.g. dpor@partner.example."];
        if (language is not null && !Language.IsSupported(language))
            errors["notificationLanguage"] = ["The notification language must be es (Spanish) or en (English)."];
        if (ids.Count == 0)
            errors["partnerIds"] = ["At least one Partner ID (MPN ID) is required."];
        else if (ids.Count > MaxMpnIdsPerPartner)
            errors["partnerIds"] = [$"At most {MaxMpnIdsPerPartner} Partner IDs per organisation."];
        else if (ids.FirstOrDefault(id => !IsWellFormedMpnId(id)) is { } bad)
            errors["partnerIds"] = [$"{InputText.Quote(bad)} is not a Partner ID: a Partner ID is 4 to 12 digits, e.g. 1234567."];
        else if (ids.Count != ids.Distinct(StringComparer.Ordinal).Count())
            errors["partnerIds"] = ["Each Partner ID may be listed once."];

        if (errors.Count > 0)
            return new Problem(400, "validation", "The registration has errors: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        return new PartnerRegistration(name, email, ids, language);
    }

    public static Outcome<string> ValidateReason(string? reason)
    {
        var trimmed = (reason ?? "").Trim();
        if (trimmed.Length is < 3 or > MaxReasonLength)
            return Problem.Validation("reason", $"A reason of 3 to {MaxReasonLength} characters is required; the partner sees it.");
        return trimmed;
    }

    private static bool IsEmail(string value) =>
        value.Length > 0 && !value.Contains(' ', StringComparison.Ordinal) && !value.Contains(',', StringComparison.Ordinal)
        && MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.', StringComparison.Ordinal);
}

/// <summary>
/// What a partner admin submits to register or update the organisation. <see cref="NotificationLanguage"/> ("es" or "en") is
/// the language of its mails; left out, a registration takes the language the admin reads and an update keeps the current one.
/// </summary>
public sealed record PartnerRegistration(string? DisplayName, string? NotificationEmail, IReadOnlyList<string>? PartnerIds,
    string? NotificationLanguage = null);
