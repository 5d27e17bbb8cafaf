using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace DporReports.Core.Notifications;

/// <summary>
/// The HTML alternative of a notification's plain text, so mail clients show paragraphs, lists and clickable links: blank
/// lines separate paragraphs, lines starting with "- " form a list, web addresses become links. Every text is
/// HTML-encoded first (names come from tenants and partners).
/// </summary>
public static partial class MailHtml
{
    public static string From(string text)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:'Segoe UI',Arial,sans-serif;font-size:14px;line-height:1.5;color:#1b1f24\">");
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (lines.Count == 0) continue;
            if (lines.All(l => l.StartsWith("- ", StringComparison.Ordinal)))
                html.Append("<ul>").AppendJoin("", lines.Select(l => $"<li>{Inline(l[2..])}</li>")).Append("</ul>");
            else
                html.Append("<p>").AppendJoin("<br>", lines.Select(Inline)).Append("</p>");
        }
        return html.Append("</body></html>").ToString();
    }

    private static string Inline(string line) => Address().Replace(WebUtility.HtmlEncode(line), m => $"<a href=\"{m.Value}\">{m.Value}</a>");

    [GeneratedRegex("https?://[^\\s<>\"]+[^\\s<>\".,;:)]")]
    private static partial Regex Address();
}
