using DporReports.Core.Identity;
using DporReports.Core.Shared;
using DporReports.Core.Tenancy;

namespace DporReports.Core.Reports.Schedules;

public enum RecipientDomainSource
{
    /// <summary>
    /// Entra ID issued a token to a member of the partner's tenant whose sign-in name is in this domain. Entra only
    /// issues members' sign-in names in domains verified for that tenant, so this proves the domain is the partner's.
    /// </summary>
    SignIn = 0,

    /// <summary>An operator allowed it (e.g. a customer-facing mailbox the partner asked for).</summary>
    Operator = 1,
}

/// <summary>A domain a partner's scheduled reports may be mailed to. Reports carry customers' usage: they may only go to the partner.</summary>
public sealed class RecipientDomain : IPartnerOwned
{
    private RecipientDomain() { }

    public Guid PartnerId { get; private set; }
    public string Domain { get; private set; } = "";
    public RecipientDomainSource Source { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }
    public string AddedBy { get; private set; } = "";

    /// <summary>
    /// Why some recipients got nothing, as stored on a run or digest and shown through the pages' message translation (each
    /// sentence one template with the addresses as its value, so it reads in Spanish too).
    /// </summary>
    public static string NotSent(IEnumerable<string> dropped) =>
        $"Not sent to {string.Join(", ", dropped)}: outside your organisation's allowed domains now.";

    /// <summary>The same when no recipient at all may receive it.</summary>
    public static string NoneAllowed(string what, IEnumerable<string> dropped) =>
        $"{what}: none of its recipients ({string.Join(", ", dropped)}) is in your organisation's allowed domains now.";

    public static RecipientDomain Of(Guid partnerId, string domain, RecipientDomainSource source, string addedBy, DateTimeOffset now) => new()
    {
        PartnerId = partnerId,
        Domain = Normalize(domain),
        Source = source,
        AddedAt = now,
        AddedBy = addedBy,
    };

    public static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    public static string DomainOf(string address) => Normalize(address[(address.LastIndexOf('@') + 1)..]);

    /// <summary>
    /// The domain of a signed-in member's sign-in name, when it is proof of a verified domain of the partner's tenant:
    /// a member (not a guest), signed in at its own tenant (no foreign identity provider), with a sign-in name.
    /// </summary>
    public static string? VerifiedByEntra(SignedInUser user, Guid partnerTenantId)
    {
        if (user.TenantId != partnerTenantId || user.IsGuest) return null;
        if (user.IdentityProvider is { } idp && !string.Equals(idp, user.Issuer, StringComparison.Ordinal)) return null;
        if (user.UserPrincipalName is not { } upn || upn.Contains('#', StringComparison.Ordinal)) return null;
        var at = upn.LastIndexOf('@');
        return at > 0 && at < upn.Length - 1 && upn.Length - at - 1 <= TextLimits.DomainName ? DomainOf(upn) : null;
    }
}
