using System.Globalization;
using System.Security;
using System.Text;

namespace DporReports.Web.Charts;

public sealed record ChartPoint(DateOnly Date, double Value);

public sealed record ChartSeries(string Label, IReadOnlyList<ChartPoint> Points);

/// <summary>
/// Builds an accessible inline SVG line chart on the server: no script, no CDN. The SVG has role="img", a &lt;title&gt; and a
/// &lt;desc&gt; that summarise the figures in words, axis labels, and a &lt;title&gt; tooltip per point. Series differ by marker
/// shape and dash pattern as well as colour, and are named in a text legend, so the chart reads without colour. All text is
/// XML-escaped, so the result is safe to write raw into a page. With no points at all it returns a sentence instead.
/// </summary>
public static class SvgLineChart
{
    public const int Width = 640;
    public const int Height = 260;
    public const double PlotLeft = 56;
    public const double PlotRight = Width - 16;
    public const double PlotTop = 16;
    public const double PlotBottom = Height - 64;

    private static readonly string[] Dashes = ["", "6 3", "2 3", "8 3 2 3", "1 4"];
    private static int _sequence;

    public static string Render(string title, string valueLabel, IReadOnlyList<ChartSeries> series)
    {
        var drawn = series.Where(s => s.Points.Count > 0).Select(s => s with { Points = [.. s.Points.OrderBy(p => p.Date)] }).ToList();
        if (drawn.Count == 0)
            return $"<p class=\"chart-empty\">{Escape(title)}: no data in this period.</p>";

        var id = $"chart{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}";
        var first = drawn.Min(s => s.Points[0].Date);
        var last = drawn.Max(s => s.Points[^1].Date);
        var max = NiceMax(drawn.Max(s => s.Points.Max(p => p.Value)));

        var svg = new StringBuilder();
        svg.Append(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {Width} {Height}\" "))
            .Append(I($"aria-labelledby=\"{id}-title {id}-desc\">"));
        svg.Append(I($"<title id=\"{id}-title\">{Escape(title)}</title>"));
        svg.Append(I($"<desc id=\"{id}-desc\">{Escape(Describe(valueLabel, drawn))}</desc>"));

        // Axes, grid and tick labels: 0, half and the (rounded-up) maximum; first, middle and last day.
        svg.Append(I($"<g class=\"axis\"><line x1=\"{PlotLeft}\" y1=\"{PlotBottom}\" x2=\"{PlotRight}\" y2=\"{PlotBottom}\"/>"))
            .Append(I($"<line x1=\"{PlotLeft}\" y1=\"{PlotTop}\" x2=\"{PlotLeft}\" y2=\"{PlotBottom}\"/>"));
        foreach (var tick in new[] { 0, max / 2, max })
        {
            var y = Y(tick, max);
            svg.Append(I($"<line class=\"grid\" x1=\"{PlotLeft}\" y1=\"{F(y)}\" x2=\"{PlotRight}\" y2=\"{F(y)}\"/>"))
                .Append(I($"<text x=\"{PlotLeft - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Number(tick)}</text>"));
        }
        var middle = first.AddDays((last.DayNumber - first.DayNumber) / 2);
        foreach (var day in new[] { first, middle, last }.Distinct())
        {
            // The first and last labels align inwards so they stay inside the view box.
            var anchor = first == last || (day != first && day != last) ? "middle" : day == first ? "start" : "end";
            svg.Append(I($"<text x=\"{F(X(day, first, last))}\" y=\"{PlotBottom + 16}\" text-anchor=\"{anchor}\">{Date(day)}</text>"));
        }
        svg.Append(I($"<text class=\"axis-title\" x=\"{(PlotLeft + PlotRight) / 2}\" y=\"{PlotBottom + 34}\" text-anchor=\"middle\">Date</text>"))
            .Append(I($"<text class=\"axis-title\" x=\"12\" y=\"{(PlotTop + PlotBottom) / 2}\" text-anchor=\"middle\" "))
            .Append(I($"transform=\"rotate(-90 12 {(PlotTop + PlotBottom) / 2})\">{Escape(valueLabel)}</text></g>"));

        for (var i = 0; i < drawn.Count; i++)
        {
            var s = drawn[i];
            var style = i % Dashes.Length;
            var points = string.Join(' ', s.Points.Select(p => I($"{F(X(p.Date, first, last))},{F(Y(p.Value, max))}")));
            svg.Append(I($"<g class=\"series s{style}\"><polyline fill=\"none\" points=\"{points}\""))
                .Append(Dashes[style].Length > 0 ? I($" stroke-dasharray=\"{Dashes[style]}\"") : "").Append("/>");
            foreach (var p in s.Points)
                svg.Append(Marker(style, X(p.Date, first, last), Y(p.Value, max), $"{s.Label}, {Date(p.Date)}: {Number(p.Value)}"));
            // Legend: marker and name in text, one row per series under the axis title.
            var lx = PlotLeft + (i * 150);
            svg.Append(Marker(style, lx + 6, Height - 10, s.Label))
                .Append(I($"<text x=\"{F(lx + 16)}\" y=\"{Height - 6}\">{Escape(s.Label)}</text></g>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Where a day falls on the x axis; a single day sits in the middle.</summary>
    public static double X(DateOnly day, DateOnly first, DateOnly last) => last == first
        ? (PlotLeft + PlotRight) / 2
        : PlotLeft + ((PlotRight - PlotLeft) * (day.DayNumber - first.DayNumber) / (last.DayNumber - first.DayNumber));

    /// <summary>Where a value falls on the y axis, from 0 at the bottom to <paramref name="max"/> at the top.</summary>
    public static double Y(double value, double max) => PlotBottom - ((PlotBottom - PlotTop) * (max <= 0 ? 0 : value / max));

    /// <summary>A round axis maximum at or above the largest value: 1, 2 or 5 times a power of ten.</summary>
    public static double NiceMax(double value)
    {
        if (value <= 0) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1d, 2d, 5d, 10d })
        {
            if (step * magnitude >= value) return step * magnitude;
        }
        return 10 * magnitude;
    }

    private static string Describe(string valueLabel, List<ChartSeries> series) => string.Join(" ", series.Select(s =>
    {
        var low = s.Points.MinBy(p => p.Value)!;
        var high = s.Points.MaxBy(p => p.Value)!;
        var latest = s.Points[^1];
        return $"{s.Label}: {s.Points.Count} days from {Date(s.Points[0].Date)} to {Date(latest.Date)}; {valueLabel} lowest {Number(low.Value)} on " +
               $"{Date(low.Date)}, highest {Number(high.Value)} on {Date(high.Date)}, latest {Number(latest.Value)}.";
    }));

    private static string Marker(int style, double x, double y, string tooltip)
    {
        var tip = $"<title>{Escape(tooltip)}</title>";
        return style switch
        {
            0 => I($"<circle cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"3.5\">{tip}</circle>"),
            1 => I($"<rect x=\"{F(x - 3.5)}\" y=\"{F(y - 3.5)}\" width=\"7\" height=\"7\">{tip}</rect>"),
            2 => I($"<polygon points=\"{F(x)},{F(y - 4.5)} {F(x + 4)},{F(y + 3.5)} {F(x - 4)},{F(y + 3.5)}\">{tip}</polygon>"),
            3 => I($"<polygon points=\"{F(x)},{F(y - 4.5)} {F(x + 4.5)},{F(y)} {F(x)},{F(y + 4.5)} {F(x - 4.5)},{F(y)}\">{tip}</polygon>"),
            _ => I($"<path d=\"M{F(x - 4)},{F(y - 4)}L{F(x + 4)},{F(y + 4)}M{F(x - 4)},{F(y + 4)}L{F(x + 4)},{F(y - 4)}\">{tip}</path>"),
        };
    }

    public static string Escape(string text) => SecurityElement.Escape(text);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string I(FormattableString text) => FormattableString.Invariant(text);
}
