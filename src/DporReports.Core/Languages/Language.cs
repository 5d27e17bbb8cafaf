using System.Globalization;

namespace DporReports.Core.Languages;

/// <summary>
/// The product's two languages and how each writes numbers and dates. English is the default (a browser that asks for
/// neither gets it) and keeps the formats the product always had: ISO dates and invariant numbers. Spanish is written for
/// Latin America, so its numbers follow es-419 and its dates day first.
/// </summary>
public static class Language
{
    public const string English = "en";
    public const string Spanish = "es";

    public static readonly IReadOnlyList<string> Supported = [English, Spanish];

    private static readonly CultureInfo LatinAmerica = CultureInfo.GetCultureInfo("es-419");

    /// <summary>The longest language code stored (a partner's notification language, a workbook's language).</summary>
    public const int MaxLength = 8;

    public static bool IsSpanish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == Spanish;

    /// <summary>The current request's language ("es" or "en"): what a person who saves something now is reading.</summary>
    public static string Current => IsSpanish ? Spanish : English;

    public static bool IsSupported(string? language) => language is not null && Supported.Contains(language, StringComparer.Ordinal);

    /// <summary>
    /// Writes in <paramref name="language"/> until disposed: texts, numbers and dates of a mail or workbook composed for a
    /// reader other than the current request's (a partner's notification language, a job that has no request). An
    /// unknown code writes English.
    /// </summary>
    public static IDisposable Use(string? language)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language == Spanish ? Spanish : English);
        return new Restore(previous);
    }

    private sealed class Restore(CultureInfo previous) : IDisposable
    {
        public void Dispose() => CultureInfo.CurrentUICulture = previous;
    }

    /// <summary>The culture numbers are written in for the current request's language.</summary>
    public static CultureInfo NumberCulture => IsSpanish ? LatinAmerica : CultureInfo.InvariantCulture;

    public static string Number(long value) => value.ToString("#,0", NumberCulture);

    public static string Number(decimal value, string format) => value.ToString(format, NumberCulture);

    public static string Number(double value, string format) => value.ToString(format, NumberCulture);

    /// <summary>A share as a percentage with one decimal; "—" when there is none (no seats: never a division error).</summary>
    public static string Percent(decimal? value) => value is { } v ? v.ToString("P1", NumberCulture) : "—";

    public static string Date(DateOnly day) => day.ToString(IsSpanish ? "dd/MM/yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A calendar month by name: "December 2026", "diciembre 2026".</summary>
    public static string Month(DateOnly first) =>
        first.ToString("MMMM yyyy", IsSpanish ? LatinAmerica : CultureInfo.InvariantCulture);

    /// <summary>A moment in UTC to the minute, without the zone's name.</summary>
    public static string Minute(DateTimeOffset at) =>
        at.UtcDateTime.ToString(IsSpanish ? "dd/MM/yyyy HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A moment as its own offset's clock shows it (a schedule's zone), to the minute.</summary>
    public static string Clock(DateTimeOffset at) =>
        at.DateTime.ToString(IsSpanish ? "dd/MM/yyyy HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A moment in UTC to the minute, with "UTC".</summary>
    public static string Utc(DateTimeOffset at) => Minute(at) + " UTC";
}
