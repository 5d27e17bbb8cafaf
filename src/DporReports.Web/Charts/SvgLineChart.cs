using System.Globalization;
using System.Security;
using System.Text;
using DporReports.Core.Languages;
using Microsoft.Extensions.Localization;

namespace DporReports.Web.Charts;

public sealed record ChartPoint(DateOnly Date, double Value);

/// <summary>A line of the chart; <paramref name="Average"/>, when given, is its 7-day trailing average drawn beside it.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<ChartPoint> Points, IReadOnlyList<ChartPoint>? Average = null);

/// <summary>The chart's own words (axis, legend, summary, each point's name) as composite formats in the reader's language.</summary>
public sealed record ChartTexts(string DateAxis, string NoData, string Summary, string Point, string PointWithAverage, string AverageSeries)
{
    public static readonly ChartTexts English = new("Date", "{0}: no data in this period.",
        "{0}: {1} days from {2} to {3}; {4} lowest {5} on {6}, highest {7} on {8}, latest {9}.",
        "{0}, {1}: {2}", "{0}, {1}: {2}; 7-day average {3}", "{0}, 7-day average");

    /// <summary>The same formats through the localizer: Spanish for a Spanish request.</summary>
    public static ChartTexts From(IStringLocalizer<Texts> t) => new(t[English.DateAxis], t[English.NoData], t[English.Summary], t[English.Point],
        t[English.PointWithAverage], t[English.AverageSeries]);
}

/// <summary>
/// Builds an accessible inline SVG line chart on the server, no CDN. The SVG is a named group (a &lt;title&gt; and a &lt;desc&gt;
/// that summarise the figures in words) with axis labels and one point per day, each with an accessible name (date, value,
/// 7-day average) and a &lt;title&gt; tooltip. The newest point is in the tab order; wwwroot/js/chart.js moves between points
/// with the arrow keys and shows the focused or pointed-at day's figures. Without script the tooltips and the numbers table
/// still show. Series differ by marker shape and dash pattern as well as colour, and are named in a text legend, so the
/// chart reads without colour. All text is XML-escaped, so the result is safe to write raw into a page. With no points at
/// all it returns a sentence instead. Numbers and dates are written in the request's language (<see cref="Language"/>).
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

    public static string Render(string title, string valueLabel, IReadOnlyList<ChartSeries> series) =>
        Render(ChartTexts.English, title, valueLabel, series);

    public static string Render(ChartTexts texts, string title, string valueLabel, IReadOnlyList<ChartSeries> series)
    {
        var drawn = series.Where(s => s.Points.Count > 0).Select(s => s with { Points = [.. s.Points.OrderBy(p => p.Date)] }).ToList();
        if (drawn.Count == 0)
            return $"<p class=\"chart-empty\">{Escape(Format(texts.NoData, title))}</p>";

        var id = $"chart{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}";
        var first = drawn.Min(s => s.Points[0].Date);
        var last = drawn.Max(s => s.Points[^1].Date);
        var max = NiceMax(drawn.Max(s => s.Points.Max(p => p.Value)));

        var svg = new StringBuilder();
        // A group, not an image: an image's children are hidden from assistive technology, and the points must be reachable.
        svg.Append(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"group\" viewBox=\"0 0 {Width} {Height}\" "))
            .Append(I($"aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" data-chart=\"\">"));
        svg.Append(I($"<title id=\"{id}-title\">{Escape(title)}</title>"));
        svg.Append(I($"<desc id=\"{id}-desc\">{Escape(Describe(texts, valueLabel, drawn))}</desc>"));

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
        svg.Append(I($"<text class=\"axis-title\" x=\"{(PlotLeft + PlotRight) / 2}\" y=\"{PlotBottom + 34}\" text-anchor=\"middle\">{Escape(texts.DateAxis)}</text>"))
            .Append(I($"<text class=\"axis-title\" x=\"12\" y=\"{(PlotTop + PlotBottom) / 2}\" text-anchor=\"middle\" "))
            .Append(I($"transform=\"rotate(-90 12 {(PlotTop + PlotBottom) / 2})\">{Escape(valueLabel)}</text></g>"));

        // Over a long period the markers shrink so the lines stay readable; the average line is drawn over the daily one.
        var radius = drawn.Max(s => s.Points.Count) > 60 ? 2 : 3.5;
        var legendX = PlotLeft;
        for (var i = 0; i < drawn.Count; i++)
        {
            var s = drawn[i];
            var style = i % Dashes.Length;
            var averages = s.Average?.ToDictionary(p => p.Date, p => p.Value) ?? [];
            svg.Append(I($"<g class=\"series s{style}\"><polyline fill=\"none\" points=\"{Line(s.Points, first, last, max)}\""))
                .Append(Dashes[style].Length > 0 ? I($" stroke-dasharray=\"{Dashes[style]}\"") : "").Append("/>");
            if (s.Average is { Count: > 0 } average)
                svg.Append(I($"<polyline class=\"average\" fill=\"none\" aria-hidden=\"true\" points=\"{Line(average, first, last, max)}\"/>"));
            for (var j = 0; j < s.Points.Count; j++)
            {
                var p = s.Points[j];
                var name = averages.TryGetValue(p.Date, out var mean)
                    ? Format(texts.PointWithAverage, s.Label, Language.Date(p.Date), Number(p.Value), Number(mean))
                    : Format(texts.Point, s.Label, Language.Date(p.Date), Number(p.Value));
                svg.Append(Marker(style, X(p.Date, first, last), Y(p.Value, max), radius, name, focusable: i == 0 && j == s.Points.Count - 1 ? 0 : -1));
            }
            // Legend: marker and name in text, one entry per line, under the axis title.
            svg.Append("<g aria-hidden=\"true\">").Append(Marker(style, legendX + 6, Height - 10, 3.5, s.Label, focusable: null))
                .Append(I($"<text x=\"{F(legendX + 16)}\" y=\"{Height - 6}\">{Escape(s.Label)}</text>"));
            legendX += 150;
            if (s.Average is { Count: > 0 })
            {
                svg.Append(I($"<line class=\"average\" x1=\"{F(legendX)}\" y1=\"{Height - 10}\" x2=\"{F(legendX + 14)}\" y2=\"{Height - 10}\"/>"))
                    .Append(I($"<text x=\"{F(legendX + 18)}\" y=\"{Height - 6}\">{Escape(Format(texts.AverageSeries, s.Label))}</text>"));
                legendX += 220;
            }
            svg.Append("</g></g>");
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

    private static string Describe(ChartTexts texts, string valueLabel, List<ChartSeries> series) => string.Join(" ", series.Select(s =>
    {
        var low = s.Points.MinBy(p => p.Value)!;
        var high = s.Points.MaxBy(p => p.Value)!;
        var latest = s.Points[^1];
        return Format(texts.Summary, s.Label, Language.Number(s.Points.Count), Language.Date(s.Points[0].Date), Language.Date(latest.Date), valueLabel,
            Number(low.Value), Language.Date(low.Date), Number(high.Value), Language.Date(high.Date), Number(latest.Value));
    }));

    private static string Line(IEnumerable<ChartPoint> points, DateOnly first, DateOnly last, double max) =>
        string.Join(' ', points.OrderBy(p => p.Date).Select(p => I($"{F(X(p.Date, first, last))},{F(Y(p.Value, max))}")));

    /// <summary>
    /// A point's marker: with <paramref name="focusable"/> it is a named, focusable point (0: in the tab order, -1: reached with
    /// the arrow keys); without, a legend swatch.
    /// </summary>
    private static string Marker(int style, double x, double y, double r, string tooltip, int? focusable)
    {
        var tip = $"<title>{Escape(tooltip)}</title>";
        var point = focusable is { } order
            ? I($" class=\"point\" tabindex=\"{order}\" role=\"img\" aria-label=\"{Escape(tooltip)}\"")
            : "";
        return style switch
        {
            0 => I($"<circle{point} cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"{F(r)}\">{tip}</circle>"),
            1 => I($"<rect{point} x=\"{F(x - r)}\" y=\"{F(y - r)}\" width=\"{F(2 * r)}\" height=\"{F(2 * r)}\">{tip}</rect>"),
            2 => I($"<polygon{point} points=\"{F(x)},{F(y - 4.5)} {F(x + 4)},{F(y + 3.5)} {F(x - 4)},{F(y + 3.5)}\">{tip}</polygon>"),
            3 => I($"<polygon{point} points=\"{F(x)},{F(y - 4.5)} {F(x + 4.5)},{F(y)} {F(x)},{F(y + 4.5)} {F(x - 4.5)},{F(y)}\">{tip}</polygon>"),
            _ => I($"<path{point} d=\"M{F(x - 4)},{F(y - 4)}L{F(x + 4)},{F(y + 4)}M{F(x - 4)},{F(y + 4)}L{F(x + 4)},{F(y - 4)}\">{tip}</path>"),
        };
    }

    public static string Escape(string text) => SecurityElement.Escape(text);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Number(double value) => Language.Number(value, "#,0.##");

    private static string Date(DateOnly day) => Language.Date(day);

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    private static string I(FormattableString text) => FormattableString.Invariant(text);
}
