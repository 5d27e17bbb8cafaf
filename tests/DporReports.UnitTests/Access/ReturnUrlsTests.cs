using DporReports.Web.Access;

namespace DporReports.UnitTests.Access;

/// <summary>
/// The attack: an open redirect after sign-in. A link to our sign-in with <c>returnUrl</c> pointing elsewhere hands the
/// freshly signed-in person to the attacker's site (a look-alike asking for the password again, or for consent). Browsers
/// drop TAB, CR and LF from URLs and read "\" as "/", so "/\t/evil.example" and "/\evil.example" are "//evil.example",
/// another host; a control or non-ASCII character in a Location header would even fail the response (500). Every such
/// target lands on "/".
/// </summary>
public sealed class ReturnUrlsTests
{
    public static TheoryData<string?> Hostile =>
    [
        null, "", " ", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
        "/\r\n/evil.example", "/\v/evil.example", "/\f/evil.example", "/ /evil.example", "https://evil.example/", "http:/evil.example",
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "evil.example", "~/evil", "%2F%2Fevil.example",
        "/\u3000/evil.example", "/\u00a0/evil.example", "/é", "/\0", "/partner\\..\\..\\evil", "\t/partner", " /partner",
        "/" + new string('a', ReturnUrls.MaxLength),
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void LocalOrRoot_HostileTarget_IsRoot(string? returnUrl) => Assert.Equal("/", ReturnUrls.LocalOrRoot(returnUrl));

    [Theory]
    [InlineData("/")]
    [InlineData("/partner/usage")]
    [InlineData("/partner/usage?period=3m&q=Fabrikam%20Inc&sort=name")]
    [InlineData("/customer#subscriptions")]
    [InlineData("/%2F/evil.example")] // percent-encoded: a path of this site, not a host (browsers do not decode it)
    public void LocalOrRoot_OwnPath_IsKept(string returnUrl) => Assert.Equal(returnUrl, ReturnUrls.LocalOrRoot(returnUrl));
}
