using System.Globalization;
using System.Text;
using DporReports.Core.Languages;

namespace DporReports.Web.Charts;

/// <summary>
/// A table row's small trend: one line, no axes, an image whose accessible name (the description given to <see cref="Render"/>) says in words
/// what it shows. Gaps (days without a figure) are not drawn as 0: the line joins the days that have one.
/// </summary>
public static class SvgSparkline
{
    public const int Width = 120;
    public const int Height = 28;

    public static string Render(IReadOnlyList<(DateOnly Date, long Value)> days, string description)
    {
        var text = SvgLineChart.Escape(description);
        if (days.Count == 0) return $"<span class=\"spark-none\">{text}</span>";
        var first = days[0].Date.DayNumber;
        var span = Math.Max(1, days[^1].Date.DayNumber - first);
        var max = Math.Max(1, days.Max(d => d.Value));
        var svg = new StringBuilder(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spark\" role=\"img\" aria-label=\"{text}\" viewBox=\"0 0 {Width} {Height}\">"))
            .Append($"<title>{text}</title>");
        var points = days.Select(d => (X: days.Count == 1 ? Width / 2.0 : 2 + ((Width - 4.0) * (d.Date.DayNumber - first) / span), Y: Height - 2 - ((Height - 4.0) * d.Value / max))).ToList();
        svg.Append(I($"<polyline fill=\"none\" points=\"{string.Join(' ', points.Select(p => I($"{F(p.X)},{F(p.Y)}")))}\"/>"));
        var last = points[^1];
        svg.Append(I($"<circle cx=\"{F(last.X)}\" cy=\"{F(last.Y)}\" r=\"2\"/>"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The words of a customer's trend: first and last day, lowest, highest and latest figure, in the reader's language.</summary>
    public static string Describe(string format, IReadOnlyList<(DateOnly Date, long Value)> days) => days.Count == 0 ? format : string.Format(CultureInfo.InvariantCulture, format,
        Language.Date(days[0].Date), Language.Date(days[^1].Date), Language.Number(days.Min(d => d.Value)), Language.Number(days.Max(d => d.Value)),
        Language.Number(days[^1].Value));

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string I(FormattableString text) => FormattableString.Invariant(text);
}
