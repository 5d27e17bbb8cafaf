using System.Globalization;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using static DporReports.UnitTests.Usage.Subscriptions;

namespace DporReports.UnitTests.Usage;

/// <summary>
/// Graph's Copilot user-count trend read by header name (Microsoft's documented columns): each Report Date's "Any App Active
/// Users" split across the tenant's pooled Copilot subscriptions by seats (largest remainder, as the user detail); a file
/// missing a read column, cut short or without rows is refused.
/// </summary>
public sealed class CopilotTrendAggregatorTests
{
    private const string Refresh = "2026-11-20";

    /// <summary>Microsoft's documented header (version 1), in documented order.</summary>
    private static readonly string[] Documented =
    [
        "Report Refresh Date", "Report Date", "Microsoft Teams Enabled Users", "Microsoft Teams Active Users", "Word Enabled Users",
        "Word Active Users", "PowerPoint Enabled Users", "PowerPoint Active Users", "Outlook Enabled Users", "Outlook Active Users",
        "Excel Enabled Users", "Excel Active Users", "OneNote Enabled Users", "OneNote Active Users", "Loop Enabled Users",
        "Loop Active Users", "Any App Enabled Users", "Any App Active Users", "Copilot Chat Enabled Users", "Copilot Chat Active Users",
        "Report Period",
    ];

    private static readonly Workload[] CopilotOnly = [Workload.Copilot];

    /// <summary>
    /// Seats 7 and 3 (a trial: 0 paid seats, yet its units hold people), a suspended one (0 units) and one without Copilot.
    /// 5 active → 3.5 and 1.5, the tied remainder to the smaller id: 4 and 1; 3 → 2.1 and 0.9: 2 and 1; 0 → 0 and 0.
    /// </summary>
    [Fact]
    public async Task AggregateAsync_DocumentedHeader_SplitsEachDaysActiveUsersBySeats()
    {
        var csv = Csv(Documented, Row("2026-11-20", 5), Row("2026-11-19", 3), Row("2026-11-18", 0));
        TenantSubscription[] subscriptions =
        [
            Of(1, "Microsoft_365_Copilot", 7, workloads: CopilotOnly),
            new(Id(2), "Microsoft_365_Copilot", 3, true, CopilotOnly.ToHashSet(), IsTrial: true),
            Of(3, "Microsoft_365_Copilot", 10, active: false, workloads: CopilotOnly),
            Of(4, "ENTERPRISEPACK", 50),
        ];

        var snapshot = await CopilotTrendAggregator.AggregateAsync(csv, subscriptions, default);

        Assert.Equal(Day(Refresh), snapshot.RefreshDate);
        Assert.Equal(3, snapshot.RowsRead);
        Assert.Equal([Day("2026-11-18"), Day("2026-11-19"), Day("2026-11-20")], snapshot.Dates);
        Assert.Equal(
        [
            new CopilotDailyUsage(Day("2026-11-18"), Id(1), 0), new CopilotDailyUsage(Day("2026-11-18"), Id(2), 0),
            new CopilotDailyUsage(Day("2026-11-18"), Id(3), 0),
            new CopilotDailyUsage(Day("2026-11-19"), Id(1), 2), new CopilotDailyUsage(Day("2026-11-19"), Id(2), 1),
            new CopilotDailyUsage(Day("2026-11-19"), Id(3), 0),
            new CopilotDailyUsage(Day("2026-11-20"), Id(1), 4), new CopilotDailyUsage(Day("2026-11-20"), Id(2), 1),
            new CopilotDailyUsage(Day("2026-11-20"), Id(3), 0),
        ], snapshot.Days);
    }

    [Fact]
    public async Task AggregateAsync_ReorderedAndExtraColumns_GivesTheSameFigures()
    {
        var rows = new[] { Row("2026-11-20", 9), Row("2026-11-19", 4) };
        var reordered = Documented.Reverse().Concat(["Edge Active Users", "Prompts submitted"]).ToArray();
        TenantSubscription[] subscriptions = [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly), Of(2, "Microsoft_365_Copilot", 5, workloads: CopilotOnly)];

        var expected = await CopilotTrendAggregator.AggregateAsync(Csv(Documented, rows), subscriptions, default);
        var actual = await CopilotTrendAggregator.AggregateAsync(Csv(reordered, rows), subscriptions, default);

        Assert.Equal(expected.Days, actual.Days);
        Assert.Equal(13, actual.Days.Sum(d => d.ActiveUsers));
    }

    [Theory]
    [InlineData("Any App Active Users")]
    [InlineData("Report Date")]
    [InlineData("Report Refresh Date")]
    public async Task AggregateAsync_MissingColumn_RefusesNamingIt(string missing)
    {
        var csv = Csv([.. Documented.Where(c => c != missing)], Row("2026-11-20", 1));

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            CopilotTrendAggregator.AggregateAsync(csv, [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default));

        Assert.Contains($"\"{missing}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_HeaderOnly_RefusesBecauseTheRefreshDateIsUnknown()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            CopilotTrendAggregator.AggregateAsync(Csv(Documented), [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default));

        Assert.Contains("no data rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_FileCutShortMidRow_Refuses()
    {
        var whole = new StreamReader(Csv(Documented, Row("2026-11-20", 1), Row("2026-11-19", 2))).ReadToEnd();
        var cut = whole[..(whole.Length - 12)];

        await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            CopilotTrendAggregator.AggregateAsync(CsvText.Stream(cut), [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default));
    }

    [Fact]
    public async Task AggregateAsync_RepeatedReportDate_RefusesNamingIt()
    {
        var csv = Csv(Documented, Row("2026-11-20", 1), Row("2026-11-20", 2));

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            CopilotTrendAggregator.AggregateAsync(csv, [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default));

        Assert.Contains("Report Date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_NoCopilotSubscriptionInTheInventory_GivesNoRows()
    {
        var snapshot = await CopilotTrendAggregator.AggregateAsync(Csv(Documented, Row("2026-11-20", 4)), [Of(1, "ENTERPRISEPACK", 50)], default);

        Assert.Empty(snapshot.Days);
        Assert.Equal([Day("2026-11-20")], snapshot.Dates);
    }

    private static DateOnly Day(string value) => DateOnly.Parse(value, CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Row(string date, int anyAppActive) => new()
    {
        ["Report Refresh Date"] = Refresh,
        ["Report Date"] = date,
        ["Any App Enabled Users"] = "10",
        ["Any App Active Users"] = anyAppActive.ToString(CultureInfo.InvariantCulture),
        ["Report Period"] = "30",
    };

    private static Stream Csv(string[] header, params Dictionary<string, string>[] rows) =>
        CsvText.Stream(CsvText.Lines([
            string.Join(',', header),
            .. rows.Select(r => string.Join(',', header.Select(h => r.GetValueOrDefault(h, "0")))),
        ]), bom: true);
}
