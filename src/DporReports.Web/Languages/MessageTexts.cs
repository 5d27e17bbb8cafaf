using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using DporReports.Core.Languages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Languages;

public static partial class MessageTexts
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<(Regex English, string Translation)>> Templates = new(StringComparer.Ordinal);

    /// <summary>
    /// A sentence the features wrote in English (a refusal, a rejection reason), in the reader's language. A fixed sentence
    /// is its own key; a sentence with values ("Partner ID '12ab' is not a Partner ID…") is matched against the keys that
    /// have placeholders, and its values are put into the translation. A sentence no key matches stays English.
    /// </summary>
    public static string Message(this IStringLocalizer texts, string english)
    {
        var exact = texts[english];
        // English is the keys' own language: there is nothing to translate, and no English resource to search.
        if (!exact.ResourceNotFound || !Language.IsSpanish) return exact.Value;
        var templates = Templates.GetOrAdd(CultureInfo.CurrentUICulture.Name, _ => [.. texts.GetAllStrings(includeParentCultures: true)
            .Where(s => s.Name.Contains("{0", StringComparison.Ordinal))
            // The most specific first: a short template such as "{0} to {1}" matches many longer messages.
            .OrderByDescending(s => Placeholder().Replace(s.Name, "").Length)
            .Select(s => (new Regex("^" + Placeholder().Replace(Regex.Escape(s.Name).Replace("\\{", "{", StringComparison.Ordinal), m => $"(?<p{m.Groups[1].Value}>.+?)") + "$",
                RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)), s.Value))]);
        foreach (var (pattern, translation) in templates)
        {
            var match = pattern.Match(english);
            if (!match.Success) continue;
            var values = Enumerable.Range(0, 10).TakeWhile(i => match.Groups[$"p{i}"].Success).Select(i => (object)match.Groups[$"p{i}"].Value).ToArray();
            return string.Format(CultureInfo.CurrentCulture, translation, values);
        }
        return english;
    }

    [GeneratedRegex("\\{(\\d)\\}")]
    private static partial Regex Placeholder();
}
