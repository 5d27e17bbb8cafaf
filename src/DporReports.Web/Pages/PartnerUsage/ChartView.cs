using DporReports.Core.Reports;
using DporReports.Core.Subscriptions;
using DporReports.Web.Charts;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>One chart with its numbers as text: the SVG (or a sentence when empty) followed by a table of the same figures.</summary>
public sealed record ChartView(string Title, string ValueLabel, IReadOnlyList<ChartSeries> Series, ChartTexts Texts)
{
    public string Svg => SvgLineChart.Render(Texts, Title, ValueLabel, Series);

    public bool HasData => Series.Any(s => s.Points.Count > 0);

    public static string WorkloadName(Workload workload) => workload switch
    {
        Workload.Yammer => "Viva Engage",
        Workload.SkypeForBusiness => "Skype for Business",
        Workload.Copilot => "Microsoft 365 Copilot",
        _ => workload.ToString(),
    };

    /// <summary>The workloads with daily active users; Copilot's come from its own trend report (tenants with Copilot only).</summary>
    public static IEnumerable<Workload> DailyWorkloads => Enum.GetValues<Workload>();

    /// <summary>
    /// One chart per workload of daily active users with their 7-day trailing average (<see cref="TrendDay"/>), in the
    /// workloads' order; titles and labels in the reader's language. Copilot's chart only when it has days: most customers
    /// hold no Copilot subscription, and the page says so rather than drawing an empty chart.
    /// </summary>
    public static IReadOnlyList<ChartView> PerWorkload(IEnumerable<TrendDay> days, Func<string, string> title, string valueLabel,
        Func<string, string> workloadName, ChartTexts texts)
    {
        var byWorkload = days.ToLookup(d => d.Workload);
        return
        [
            .. DailyWorkloads.Where(w => w != Workload.Copilot || byWorkload[w].Any()).Select(w =>
            {
                var own = byWorkload[w].OrderBy(d => d.Date).ToList();
                var name = workloadName(WorkloadName(w));
                return new ChartView(title(name), valueLabel,
                    [new ChartSeries(name, [.. own.Select(d => new ChartPoint(d.Date, d.Users))], [.. own.Select(d => new ChartPoint(d.Date, (double)d.SevenDayAverage))])],
                    texts);
            }),
        ];
    }

    /// <summary>The trend days of daily figures, each with its 7-day trailing average computed as the dashboard's (reports/README.md).</summary>
    public static IEnumerable<TrendDay> WithAverages(IEnumerable<DailyActiveUsers> days) => days.GroupBy(d => d.Workload).SelectMany(g =>
    {
        var ordered = g.OrderBy(d => d.Date).ToList();
        var averages = PartnerDashboard.TrailingAverage(ordered.Select(d => (d.Date, d.Users)));
        return ordered.Select((d, i) => new TrendDay(d.Date, d.Workload, d.Users, averages[i].Average));
    });
}
