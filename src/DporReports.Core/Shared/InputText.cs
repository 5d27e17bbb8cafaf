using System.Text;

namespace DporReports.Core.Shared;

/// <summary>How a message repeats what a person typed: bounded, so no answer, cookie or log line grows with the input.</summary>
public static class InputText
{
    /// <summary>Enough to recognise a typo; a Partner ID, domain, address or time zone that is longer is shown cut.</summary>
    public const int QuotedLength = 64;

    /// <summary>The input in quotes, cut to <see cref="QuotedLength"/> characters, control characters shown as '?'.</summary>
    public static string Quote(string? value)
    {
        var text = value ?? "";
        var shown = new StringBuilder(Math.Min(text.Length, QuotedLength) + 3).Append('\'');
        foreach (var c in text.Length > QuotedLength ? text[..QuotedLength] : text) shown.Append(char.IsControl(c) ? '?' : c);
        if (text.Length > QuotedLength) shown.Append('…');
        return shown.Append('\'').ToString();
    }
}
