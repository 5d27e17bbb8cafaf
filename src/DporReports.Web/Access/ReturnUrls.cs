using System.Diagnostics.CodeAnalysis;

namespace DporReports.Web.Access;

/// <summary>
/// Where a person lands after signing in: a path of this site, or "/". The one rule for every redirect that takes its
/// target from a request (the sign-in link's <c>returnUrl</c>, and again when the sign-in callback redirects).
/// </summary>
public static class ReturnUrls
{
    /// <summary>Longer targets are not links of ours; a bound also keeps the value out of oversized headers.</summary>
    public const int MaxLength = 2048;

    public static string LocalOrRoot(string? returnUrl) => IsLocalPath(returnUrl) ? returnUrl : "/";

    /// <summary>
    /// True for "/" followed by a relative reference of printable ASCII only. Browsers drop TAB, CR and LF from URLs and
    /// read a backslash as a slash, so "/\t/evil.example" or "/\evil.example" become "//evil.example", another site;
    /// a control or non-ASCII character would also make the Location header itself unwritable (a 500). Our own links are
    /// percent-encoded, so nothing legitimate is refused.
    /// </summary>
    public static bool IsLocalPath([NotNullWhen(true)] string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength || url[0] != '/') return false;
        if (url.Length > 1 && url[1] is '/' or '\\') return false;
        foreach (var c in url)
        {
            if (c is < '!' or > '~' or '\\') return false;
        }
        return true;
    }
}
