using DporReports.Core.Subscriptions;
using DporReports.Web.Charts;

namespace DporReports.Web.Pages.PartnerUsage;

/// <summary>One chart with its numbers as text: the SVG (or a sentence when empty) followed by a table of the same figures.</summary>
public sealed record ChartView(string Title, string ValueLabel, IReadOnlyList<ChartSeries> Series)
{
    public string Svg => SvgLineChart.Render(Title, ValueLabel, Series);

    public bool HasData => Series.Any(s => s.Points.Count > 0);

    public static string WorkloadName(Workload workload) => workload switch
    {
        Workload.Yammer => "Viva Engage",
        Workload.SkypeForBusiness => "Skype for Business",
        Workload.Copilot => "Microsoft 365 Copilot",
        _ => workload.ToString(),
    };

    /// <summary>The workloads with daily active users: Copilot's report gives monthly figures only, so it has no daily chart.</summary>
    public static IEnumerable<Workload> DailyWorkloads => Enum.GetValues<Workload>().Where(w => w != Workload.Copilot);

    /// <summary>One chart per workload of daily active users, in the workloads' order; titles and labels in the reader's language.</summary>
    public static IReadOnlyList<ChartView> PerWorkload(IEnumerable<(DateOnly Date, Workload Workload, long Users)> days,
        Func<string, string> title, string valueLabel, Func<string, string> workloadName) =>
    [
        .. DailyWorkloads.Select(w => new ChartView(title(workloadName(WorkloadName(w))), valueLabel,
            [new ChartSeries(workloadName(WorkloadName(w)), [.. days.Where(d => d.Workload == w).OrderBy(d => d.Date).Select(d => new ChartPoint(d.Date, d.Users))])])),
    ];
}
