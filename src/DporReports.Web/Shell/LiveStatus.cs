using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
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

    /// <summary>
    /// The live region's attributes: its status address, its state, and <c>data-live-busy</c> only while busy. Written here,
    /// not as <c>data-live-busy="@(busy ? "" : null)"</c>: Razor writes a <c>data-</c> attribute even when its value is null,
    /// so every region was drawn busy, and an idle page polled its status once before live.js saw it idle and stopped.
    /// </summary>
    public IHtmlContent RegionAttributes(string statusUrl) =>
        new HtmlString($"data-live=\"{HtmlEncoder.Default.Encode(statusUrl)}\" data-live-state=\"{State}\"{(Busy ? " data-live-busy" : "")}");
}
