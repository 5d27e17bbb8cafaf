using System.Globalization;
using System.Xml.Linq;
using DporReports.Web.Charts;

namespace DporReports.UnitTests.Charts;

public sealed class SvgLineChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateOnly Day0 = new(2026, 10, 1);

    [Fact]
    public void Render_Series_IsValidXmlWithRoleTitleAndDescSummarisingTheFigures()
    {
        var svg = Parse(SvgLineChart.Render("Teams: daily active users", "Active users",
            [Series("Teams", 10, 30, 20)]));

        // A named group: its points stay reachable by assistive technology (an image's children would be hidden).
        Assert.Equal("group", svg.Attribute("role")?.Value);
        Assert.Equal("Teams: daily active users", svg.Element(Svg + "title")?.Value);
        var desc = svg.Element(Svg + "desc")!.Value;
        Assert.Contains("3 days from 2026-10-01 to 2026-10-03", desc, StringComparison.Ordinal);
        Assert.Contains("highest 30 on 2026-10-02", desc, StringComparison.Ordinal);
        Assert.Contains("latest 20", desc, StringComparison.Ordinal);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "Active users");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "Date");
    }

    [Fact]
    public void Render_EveryPoint_HasATooltipWithDateAndValue()
    {
        var svg = Parse(SvgLineChart.Render("Chart", "Users", [Series("Exchange", 1200, 1300)]));

        var tips = svg.Descendants(Svg + "circle").Select(c => c.Element(Svg + "title")?.Value).ToList();
        Assert.Contains("Exchange, 2026-10-01: 1,200", tips);
        Assert.Contains("Exchange, 2026-10-02: 1,300", tips);
    }

    [Fact]
    public void Render_MarkupInLabels_IsEscaped()
    {
        var html = SvgLineChart.Render("A <b>&</b> \"chart\"", "x < y & z", [Series("<script>alert(1)</script>", 1)]);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        var svg = Parse(html);
        Assert.Equal("A <b>&</b> \"chart\"", svg.Element(Svg + "title")!.Value);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "<script>alert(1)</script>");
    }

    [Fact]
    public void Render_OnePoint_SitsInTheMiddleWithoutDividingByZero()
    {
        var svg = Parse(SvgLineChart.Render("One", "Users", [Series("Teams", 7)]));

        var point = Assert.Single(svg.Descendants(Svg + "circle"), c => c.Element(Svg + "title")!.Value.Contains(':', StringComparison.Ordinal));
        Assert.Equal((SvgLineChart.PlotLeft + SvgLineChart.PlotRight) / 2, Attr(point, "cx"));
        Assert.DoesNotContain("NaN", svg.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", svg.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoPoints_GivesASentenceInsteadOfAChart()
    {
        var none = SvgLineChart.Render("Teams <trend>", "Users", [new ChartSeries("Teams", [])]);
        var noSeries = SvgLineChart.Render("Empty", "Users", []);

        Assert.DoesNotContain("<svg", none, StringComparison.Ordinal);
        Assert.Contains("Teams &lt;trend&gt;: no data", none, StringComparison.Ordinal);
        Assert.StartsWith("<p", noSeries, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Points_AreScaledFromZeroAtTheBottomToTheRoundedMaximumAtTheTop()
    {
        var svg = Parse(SvgLineChart.Render("Scale", "Users", [Series("Teams", 0, 50, 100)]));

        var points = svg.Descendants(Svg + "circle").Where(c => c.Element(Svg + "title")!.Value.Contains(':', StringComparison.Ordinal)).ToList();
        Assert.Equal(SvgLineChart.PlotBottom, Attr(points[0], "cy"));
        Assert.Equal((SvgLineChart.PlotTop + SvgLineChart.PlotBottom) / 2, Attr(points[1], "cy"));
        Assert.Equal(SvgLineChart.PlotTop, Attr(points[2], "cy"));
        Assert.Equal(SvgLineChart.PlotLeft, Attr(points[0], "cx"));
        Assert.Equal(SvgLineChart.PlotRight, Attr(points[2], "cx"));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 10)]
    [InlineData(100, 100)]
    [InlineData(101, 200)]
    [InlineData(1234, 2000)]
    [InlineData(4321, 5000)]
    public void NiceMax_Value_RoundsUpToOneTwoOrFiveTimesAPowerOfTen(double value, double expected) =>
        Assert.Equal(expected, SvgLineChart.NiceMax(value));

    [Fact]
    public void Render_SeveralSeries_DifferByMarkerAndDashNotOnlyColour()
    {
        var svg = Parse(SvgLineChart.Render("Two", "Users", [Series("Exchange", 1, 2), Series("Teams", 2, 3)]));

        var series = svg.Descendants(Svg + "g").Where(g => g.Attribute("class")?.Value.StartsWith("series", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, series.Count);
        Assert.NotEmpty(series[0].Elements(Svg + "circle"));
        Assert.NotEmpty(series[1].Elements(Svg + "rect"));
        Assert.NotEqual(series[0].Element(Svg + "polyline")!.Attribute("stroke-dasharray")?.Value,
            series[1].Element(Svg + "polyline")!.Attribute("stroke-dasharray")?.Value);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "Teams");
    }

    [Fact]
    public void Render_WithAverage_NamesEachPointWithItsAverage_OnlyTheNewestInTheTabOrder()
    {
        var svg = Parse(SvgLineChart.Render("Teams", "Users",
            [new ChartSeries("Teams", [new(Day0, 10), new(Day0.AddDays(1), 20)], [new(Day0, 10), new(Day0.AddDays(1), 15)])]));

        var points = svg.Descendants().Where(e => e.Attribute("class")?.Value == "point").ToList();
        Assert.Equal(["Teams, 2026-10-01: 10; 7-day average 10", "Teams, 2026-10-02: 20; 7-day average 15"],
            points.Select(p => p.Attribute("aria-label")!.Value));
        Assert.Equal(["-1", "0"], points.Select(p => p.Attribute("tabindex")!.Value));
        Assert.Single(svg.Descendants(Svg + "polyline"), p => p.Attribute("class")?.Value == "average");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "Teams, 7-day average");
    }

    private static ChartSeries Series(string label, params double[] values) =>
        new(label, [.. values.Select((v, i) => new ChartPoint(Day0.AddDays(i), v))]);

    private static XElement Parse(string svg) => XDocument.Parse(svg).Root!;

    private static double Attr(XElement element, string name) =>
        double.Parse(element.Attribute(name)!.Value, CultureInfo.InvariantCulture);
}
