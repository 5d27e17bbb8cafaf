using System.Text;
using System.Text.RegularExpressions;

namespace DporReports.Core.Reports.Workbooks;

/// <summary>Excel's naming rules for sheets, tables and table columns; a name that breaks them makes Excel repair the file.</summary>
internal static partial class ExcelNames
{
    public const int MaxSheetNameLength = 31;
    private const int MaxTableNameLength = 255;
    private const int MaxHeaderLength = 255;

    /// <summary>A sheet name without <c>[]:*?/\</c>, not starting or ending with an apostrophe, at most 31 characters,
    /// unique (Excel compares sheet names case-insensitively) and not Excel's reserved "History".</summary>
    public static string SheetName(string requested, ISet<string> taken)
    {
        var cleaned = new StringBuilder(requested.Length);
        foreach (var c in CellText.Clean(requested))
        {
            cleaned.Append(c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' || char.IsControl(c) ? '_' : c);
        }

        var name = cleaned.ToString().Trim().Trim('\'').Trim();
        if (name.Length == 0 || name.Equals("History", StringComparison.OrdinalIgnoreCase)) name = "Sheet";
        return Unique(Truncate(name, MaxSheetNameLength), taken, MaxSheetNameLength, suffix => $" ({suffix})");
    }

    /// <summary>A table name: starts with a letter or <c>_</c>, then letters, digits, <c>_</c> or <c>.</c>; neither
    /// "R"/"C" nor anything that reads as an A1 or R1C1 reference; unique case-insensitively across the workbook.</summary>
    public static string TableName(string requested, ISet<string> taken)
    {
        var cleaned = new StringBuilder(requested.Length + 1);
        foreach (var c in requested.Trim())
        {
            cleaned.Append(char.IsLetterOrDigit(c) || c is '_' or '.' ? c : '_');
        }

        var name = cleaned.ToString();
        if (name.Length == 0) name = "Table";
        if (!(char.IsLetter(name[0]) || name[0] == '_') || LooksLikeReference(name)) name = "_" + name;
        return Unique(Truncate(name, MaxTableNameLength), taken, MaxTableNameLength, suffix => $"_{suffix}");
    }

    /// <summary>Table column names must be non-empty and unique within the table (case-insensitively), and the header
    /// cells must hold exactly those names.</summary>
    public static IReadOnlyList<string> Headers(IEnumerable<string> requested)
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var headers = new List<string>();
        foreach (var header in requested)
        {
            var name = Truncate(CellText.Clean(header).Trim(), MaxHeaderLength);
            if (name.Length == 0) name = $"Column{headers.Count + 1}";
            headers.Add(Unique(name, taken, MaxHeaderLength, suffix => $" {suffix}"));
        }

        return headers;
    }

    /// <summary>The column letters of a 1-based column number: 1 → A, 27 → AA.</summary>
    public static string ColumnLetters(int column)
    {
        var letters = new StringBuilder(3);
        for (; column > 0; column = (column - 1) / 26)
        {
            letters.Insert(0, (char)('A' + (column - 1) % 26));
        }

        return letters.ToString();
    }

    private static bool LooksLikeReference(string name) =>
        name.Length == 1 && name[0] is 'R' or 'r' or 'C' or 'c' || A1Reference().IsMatch(name) || R1C1Reference().IsMatch(name);

    private static string Unique(string name, ISet<string> taken, int maxLength, Func<int, string> suffix)
    {
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            var tail = suffix(n);
            candidate = Truncate(name, maxLength - tail.Length) + tail;
        }

        return candidate;
    }

    private static string Truncate(string value, int maxLength)
    {
        if (value.Length <= maxLength) return value;
        var cut = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return value[..cut];
    }

    [GeneratedRegex("^[A-Za-z]{1,3}[0-9]+$")]
    private static partial Regex A1Reference();

    [GeneratedRegex("^[RrCc][0-9]*([RrCc][0-9]*)?$")]
    private static partial Regex R1C1Reference();
}
