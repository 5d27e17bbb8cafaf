using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using static DporReports.UnitTests.Usage.Subscriptions;

namespace DporReports.UnitTests.Usage;

/// <summary>
/// Graph's Copilot user detail read by header name (Microsoft's documented columns), and its figures against design.md §3:
/// every row is a Copilot-licensed user; MAU and each app's MAU over the 28 days ending on the refresh date; the tenant's
/// Copilot subscriptions pool and split by seats (largest remainder); a file cut short or missing a column is refused.
/// </summary>
public sealed class CopilotUsageAggregatorTests
{
    private const string Refresh = "2026-11-20";

    /// <summary>Microsoft's documented header, in documented order.</summary>
    private static readonly string[] Documented =
    [
        "Report Refresh Date", "Report Period", "User Principal Name", "Display Name", "Last Activity Date",
        "Microsoft Teams Copilot Last Activity Date", "Word Copilot Last Activity Date", "Excel Copilot Last Activity Date",
        "PowerPoint Copilot Last Activity Date", "Outlook Copilot Last Activity Date", "OneNote Copilot Last Activity Date",
        "Loop Copilot Last Activity Date", "Copilot Chat Last Activity Date",
    ];

    private static readonly Workload[] CopilotOnly = [Workload.Copilot];

    [Fact]
    public async Task AggregateAsync_DocumentedHeader_CountsLicensedMauAndEachAppsMau()
    {
        var csv = Csv(Documented,
            Row(last: "2026-11-19", teams: "2026-11-19", word: "2026-10-01"),
            Row(last: "2026-10-23", chat: "2026-10-23"), // 28 days before the refresh date: outside the window
            Row(last: "2026-10-24", excel: "2026-10-24", loop: "2026-11-20"), // 27 days before: inside
            Row(last: ""));

        var snapshot = await CopilotUsageAggregator.AggregateAsync(csv, [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default);

        Assert.Equal(DateOnly.Parse(Refresh, System.Globalization.CultureInfo.InvariantCulture), snapshot.RefreshDate);
        Assert.Equal(4, snapshot.RowsRead);
        // Active in 90 days: every dated row (10-23 is outside the 28 days, inside the 90).
        Assert.Equal(new SubscriptionWorkloadUsage(Id(1), Workload.Copilot, 10, 4, 2, 3), Assert.Single(snapshot.Subscriptions));
        var apps = snapshot.Apps.ToDictionary(a => a.App, a => a.ActiveUsers);
        Assert.Equal(1, apps[CopilotApp.Teams]);
        Assert.Equal(0, apps[CopilotApp.Word]);
        Assert.Equal(1, apps[CopilotApp.Excel]);
        Assert.Equal(1, apps[CopilotApp.Loop]);
        Assert.Equal(0, apps[CopilotApp.CopilotChat]);
        Assert.Equal(Enum.GetValues<CopilotApp>().Length, apps.Count);
        Assert.Empty(snapshot.Unattributed);
    }

    [Fact]
    public async Task AggregateAsync_ReorderedAndExtraColumns_GivesTheSameFigures()
    {
        var rows = new[] { Row(last: "2026-11-19", outlook: "2026-11-18"), Row(last: "2026-11-01", chat: "2026-11-01"), Row(last: "") };
        var reordered = Documented.Reverse().Append("Copilot Agents Last Activity Date").ToArray();
        TenantSubscription[] subscriptions = [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)];

        var expected = await CopilotUsageAggregator.AggregateAsync(Csv(Documented, rows), subscriptions, default);
        var actual = await CopilotUsageAggregator.AggregateAsync(Csv(reordered, rows), subscriptions, default);

        Assert.Equal(expected.Subscriptions, actual.Subscriptions);
        Assert.Equal(expected.Apps, actual.Apps);
    }

    [Theory]
    [InlineData("Last Activity Date")]
    [InlineData("Copilot Chat Last Activity Date")]
    [InlineData("Microsoft Teams Copilot Last Activity Date")]
    public async Task AggregateAsync_MissingColumn_RefusesNamingIt(string missing)
    {
        var csv = Csv([.. Documented.Where(c => c != missing)], Row(last: "2026-11-19"));

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            CopilotUsageAggregator.AggregateAsync(csv, [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default));

        Assert.Contains($"\"{missing}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_FileCutShortMidRow_Refuses()
    {
        var whole = new StreamReader(Csv(Documented, Row(last: "2026-11-19"), Row(last: "2026-11-18", word: "2026-11-18"))).ReadToEnd();
        var cut = whole[..(whole.Length - 12)]; // the last row loses its end and its line terminator

        await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            CopilotUsageAggregator.AggregateAsync(CsvText.Stream(cut), [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default));
    }

    [Fact]
    public async Task AggregateAsync_HeaderOnly_RefusesBecauseTheRefreshDateIsUnknown()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            CopilotUsageAggregator.AggregateAsync(Csv(Documented), [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default));

        Assert.Contains("no data rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateAsync_MalformedAppDate_RefusesNamingTheColumn()
    {
        var csv = Csv(Documented, Row(last: "2026-11-19", powerPoint: "2026-11-31"));

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            CopilotUsageAggregator.AggregateAsync(csv, [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default));

        Assert.Contains("PowerPoint Copilot Last Activity Date", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two Copilot subscriptions (7 and 3 seats) pool the report's 5 users, 3 of them active, 1 in Word: parts in proportion
    /// to seats, the units left to the largest remainders (5 × 0.7 = 3.5 → 4 and 1; 3 × 0.7 = 2.1 → 2 and 1; 1 × 0.7 → 1 and 0).
    /// A trial's seats are not paid (PAU 0) yet it holds people; a subscription without Copilot takes no part.
    /// </summary>
    [Fact]
    public async Task AggregateAsync_TwoCopilotSubscriptions_SplitBySeatsWithLargestRemainder()
    {
        var csv = Csv(Documented,
            Row(last: "2026-11-19", word: "2026-11-19"), Row(last: "2026-11-10"), Row(last: "2026-11-01"), Row(last: ""), Row(last: "2026-01-01"));
        TenantSubscription[] subscriptions =
        [
            Of(1, "Microsoft_365_Copilot", 7, workloads: CopilotOnly),
            new(Id(2), "Microsoft_365_Copilot", 3, true, CopilotOnly.ToHashSet(), IsTrial: true),
            Of(3, "ENTERPRISEPACK", 50),
        ];

        var snapshot = await CopilotUsageAggregator.AggregateAsync(csv, subscriptions, default);

        Assert.Equal(
            // 90 days: 3 rows (2026-01-01 is older), split 7:3 like MAU.
            [new SubscriptionWorkloadUsage(Id(1), Workload.Copilot, 7, 4, 2, 2), new SubscriptionWorkloadUsage(Id(2), Workload.Copilot, 0, 1, 1, 1)],
            snapshot.Subscriptions);
        Assert.Equal(1, snapshot.Apps.Single(a => a.SubscriptionId == Id(1) && a.App == CopilotApp.Word).ActiveUsers);
        Assert.Equal(0, snapshot.Apps.Single(a => a.SubscriptionId == Id(2) && a.App == CopilotApp.Word).ActiveUsers);
        Assert.DoesNotContain(snapshot.Apps, a => a.SubscriptionId == Id(3));
    }

    [Fact]
    public async Task AggregateAsync_NoCopilotSubscriptionInTheInventory_ShowsTheUsersAsUnattributed()
    {
        var csv = Csv(Documented, Row(last: "2026-11-19"), Row(last: ""));

        var snapshot = await CopilotUsageAggregator.AggregateAsync(csv, [Of(1, "ENTERPRISEPACK", 50)], default);

        Assert.Empty(snapshot.Subscriptions);
        Assert.Equal(new UnattributedUsage(CopilotUsageAggregator.NoCopilotSubscription, Workload.Copilot, 2, 1), Assert.Single(snapshot.Unattributed));
    }

    [Fact]
    public async Task AggregateAsync_HashedUserPrincipalNames_ReportsNamesConcealed()
    {
        var csv = Csv(Documented, Row(last: "", upn: "7B3F0E9A1C2D4E5F60718293A4B5C6D7"));

        var snapshot = await CopilotUsageAggregator.AggregateAsync(csv, [Of(1, "Microsoft_365_Copilot", 10, workloads: CopilotOnly)], default);

        Assert.True(snapshot.NamesConcealed);
    }

    /// <summary>The Office 365 detail carries five workloads; a subscription also carrying Copilot gets no Copilot row from it.</summary>
    [Fact]
    public async Task ActiveUserDetail_SubscriptionCarryingCopilot_GetsNoCopilotFiguresFromIt()
    {
        var snapshot = await AggregateAsync(new DetailCsvBuilder().User("OFFICE 365 E3", u => u.Active(Workload.Exchange, 1)),
            Of(1, "ENTERPRISEPACK", 10, workloads: [Workload.Exchange, Workload.Copilot]));

        Assert.Equal(Workload.Exchange, Assert.Single(snapshot.Subscriptions).Workload);
    }

    private static Dictionary<string, string> Row(string last, string teams = "", string word = "", string excel = "", string powerPoint = "",
        string outlook = "", string oneNote = "", string loop = "", string chat = "", string upn = "someone@contoso.example") => new()
    {
        ["Report Refresh Date"] = Refresh,
        ["Report Period"] = "30",
        ["User Principal Name"] = upn,
        ["Display Name"] = "Doe, Jane",
        ["Last Activity Date"] = last,
        ["Microsoft Teams Copilot Last Activity Date"] = teams,
        ["Word Copilot Last Activity Date"] = word,
        ["Excel Copilot Last Activity Date"] = excel,
        ["PowerPoint Copilot Last Activity Date"] = powerPoint,
        ["Outlook Copilot Last Activity Date"] = outlook,
        ["OneNote Copilot Last Activity Date"] = oneNote,
        ["Loop Copilot Last Activity Date"] = loop,
        ["Copilot Chat Last Activity Date"] = chat,
    };

    private static Stream Csv(string[] header, params Dictionary<string, string>[] rows) =>
        CsvText.Stream(CsvText.Lines([
            string.Join(',', header),
            .. rows.Select(r => string.Join(',', header.Select(h => Quote(r.GetValueOrDefault(h, "x"))))),
        ]), bom: true);

    private static string Quote(string value) => value.Contains(',', StringComparison.Ordinal) ? $"\"{value}\"" : value;
}
