namespace DporReports.Core.Shared;

/// <summary>
/// Lengths shared by several columns and the inputs that fill them (each feature keeps its own as well, e.g.
/// <see cref="Partners.PartnerRules"/>). A column's configuration and its validator name the same constant.
/// </summary>
public static class TextLimits
{
    /// <summary>
    /// Who did something (a token's name claim, "run now by …"): Entra display names are at most 256 characters, and a
    /// longer one is cut here, not refused, since it only labels a record.
    /// </summary>
    public const int PersonName = 256;

    /// <summary>An e-mail address (RFC 5321: 254 characters in a forward path).</summary>
    public const int EmailAddress = 254;

    /// <summary>A DNS name.</summary>
    public const int DomainName = 253;

    /// <summary>Cuts a label to <paramref name="max"/> characters (for text that names, never for text that is checked).</summary>
    public static string Cut(string value, int max = PersonName) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
