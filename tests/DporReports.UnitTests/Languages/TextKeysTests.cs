using System.Text.RegularExpressions;
using System.Xml.Linq;
using DporReports.UnitTests.Deploy;

namespace DporReports.UnitTests.Languages;

/// <summary>
/// Every literal text the pages and the web host ask the localizer for (<c>T["…"]</c>) has its Spanish in
/// Texts.es.resx: a missing key would silently show English to a Spanish reader.
/// </summary>
public sealed partial class TextKeysTests
{
    private static readonly string Source = Path.Combine(DeployFiles.RepositoryRoot, "src");

    [Fact]
    public void EveryLiteralKey_HasItsSpanish()
    {
        var spanish = SpanishKeys();

        var used = UsedKeys();
        var missing = used.Where(k => !spanish.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();

        Assert.True(used.Count > 300, $"the scan found only {used.Count} keys: the pattern no longer matches the pages' T[\"…\"]");

        Assert.True(missing.Count == 0, "Texts.es.resx lacks:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Keys_DifferInMoreThanCase()
    {
        // The resource compiler keeps one of two keys that differ only in case, so the other silently shows English.
        var clashes = SpanishKeys().Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(clashes.Count == 0, "Keys differing only in case:\n" + string.Join("\n", clashes));
    }

    [Fact]
    public void EverySpanishText_KeepsTheKeysPlaceholders()
    {
        var broken = SpanishKeys().Where(p => Placeholder().Matches(p.Key).Select(m => m.Value).Order().SequenceEqual(
            Placeholder().Matches(p.Value).Select(m => m.Value).Order()) is false).Select(p => p.Key).ToList();

        Assert.True(broken.Count == 0, "Placeholders differ:\n" + string.Join("\n", broken));
    }

    private static Dictionary<string, string> SpanishKeys() =>
        XDocument.Load(Path.Combine(Source, "DporReports.Core", "Languages", "Texts.es.resx")).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value, StringComparer.Ordinal);

    private static HashSet<string> UsedKeys() =>
    [
        .. Directory.EnumerateFiles(Source, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => Regex.Unescape(m.Groups["key"].Value))),
    ];

    [GeneratedRegex("\\bT(?:\\[|\\.Html\\()\"(?<key>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LiteralKey();

    [GeneratedRegex("\\{\\d+[^}]*\\}")]
    private static partial Regex Placeholder();
}
