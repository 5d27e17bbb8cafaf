namespace DporReports.Core.Reports.Workbooks;

/// <summary>Text as a cell can hold it: characters XML 1.0 cannot carry (control characters, lone surrogates) would
/// make the file unreadable, and Excel refuses cells over 32,767 characters.</summary>
internal static class CellText
{
    public const int MaxLength = 32_767;
    public const string TruncationMarker = "… [truncated]";

    /// <summary>Clean text, line breaks as Excel writes them (<c>\n</c>; a bare <c>\r</c> does not survive XML
    /// parsing in every reader), at most 32,767 characters with a marker where cut.</summary>
    public static string ForCell(string value)
    {
        var clean = Clean(value);
        if (clean.Contains('\r', StringComparison.Ordinal)) clean = clean.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (clean.Length <= MaxLength) return clean;
        var keep = MaxLength - TruncationMarker.Length;
        if (char.IsHighSurrogate(clean[keep - 1])) keep--;
        return string.Concat(clean.AsSpan(0, keep), TruncationMarker);
    }

    /// <summary>Replaces what XML 1.0 cannot carry with U+FFFD; returns the same instance when there is nothing to do.</summary>
    public static string Clean(string value)
    {
        var first = FirstInvalid(value);
        if (first < 0) return value;
        return string.Create(value.Length, (value, first), static (span, state) =>
        {
            var (text, start) = state;
            text.AsSpan().CopyTo(span);
            for (var i = start; i < span.Length; i++)
            {
                var c = span[i];
                if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1])) { i++; continue; }
                if (!IsXmlChar(c) || char.IsSurrogate(c)) span[i] = '\uFFFD';
            }
        });
    }

    private static int FirstInvalid(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (!IsXmlChar(c) || char.IsSurrogate(c)) return i;
        }

        return -1;
    }

    private static bool IsXmlChar(char c) => c is '\t' or '\n' or '\r' || c >= ' ' && c <= '\uFFFD';
}
