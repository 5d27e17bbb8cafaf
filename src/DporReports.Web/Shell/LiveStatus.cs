using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace DporReports.Web.Shell;

/// <summary>
/// What a page's live region polls (wwwroot/js/live.js): a fingerprint of the work's state and whether work is still
/// under way. Small on purpose: the page itself is fetched again only when the fingerprint changes.
/// </summary>
public sealed record LiveStatus(string State, bool Busy)
{
    public static LiveStatus Of(bool busy, IEnumerable<object?> parts) =>
        new(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts))))[..16], busy);

    public JsonResult ToJson() => new(this);
}
