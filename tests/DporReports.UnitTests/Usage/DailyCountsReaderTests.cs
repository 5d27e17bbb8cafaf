using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;

namespace DporReports.UnitTests.Usage;

/// <summary>The tenant-level count reports (daily active users per workload, activity counts) into dated values.</summary>
public sealed class DailyCountsReaderTests
{
    private static readonly DateOnly Refresh = new(2026, 11, 20);

    private static Task<(DateOnly RefreshDate, long RowsRead, IReadOnlyList<DailyWorkloadValue> Values)> ReadAsync(string function, string text) =>
        DailyCountsReader.ReadAsync(function, CsvText.Stream(text, bom: true), CancellationToken.None);

    [Fact]
    public async Task ReadAsync_ActiveUserCounts_GivesDailyActiveUsersPerWorkloadAndDate()
    {
        var text = CsvText.Lines(
            "Report Refresh Date,Office 365,Exchange,OneDrive,SharePoint,Skype For Business,Yammer,Teams,Report Date,Report Period",
            "2026-11-20,120,100,40,60,,5,80,2026-11-20,30",
            "2026-11-20,110,90,35,55,,4,70,2026-11-19,30");

        var (refreshDate, rows, values) = await ReadAsync(UsageReports.ActiveUserCounts, text);

        Assert.Equal((Refresh, 2L), (refreshDate, rows));
        Assert.Equal(10, values.Count);
        Assert.Contains(new DailyWorkloadValue(Refresh, Workload.Exchange, "ActiveUsers", 100), values);
        Assert.Contains(new DailyWorkloadValue(Refresh, Workload.Teams, "ActiveUsers", 80), values);
        Assert.Contains(new DailyWorkloadValue(Refresh.AddDays(-1), Workload.SharePoint, "ActiveUsers", 55), values);
        Assert.Contains(new DailyWorkloadValue(Refresh, Workload.SkypeForBusiness, "ActiveUsers", 0), values);
        Assert.Equal(5, values.Select(v => v.Workload).Distinct().Count());
    }

    [Fact]
    public async Task ReadAsync_EmailActivityInAnotherColumnOrder_GivesSendReceiveRead()
    {
        var text = CsvText.Lines("Report Date,Read,Report Refresh Date,Receive,Send,Report Period", "2026-11-18,300,2026-11-20,200,100,7");

        var (_, _, values) = await ReadAsync(UsageReports.EmailActivityCounts, text);

        Assert.Equal(
            [
                new(Refresh.AddDays(-2), Workload.Exchange, "Send", 100), new(Refresh.AddDays(-2), Workload.Exchange, "Receive", 200),
                new DailyWorkloadValue(Refresh.AddDays(-2), Workload.Exchange, "Read", 300),
            ],
            values);
    }

    [Theory]
    [InlineData(UsageReports.SharePointActivityUserCounts, Workload.SharePoint,
        "Report Refresh Date,Visited Page,Viewed Or Edited,Synced,Shared Internally,Shared Externally,Report Date,Report Period",
        "2026-11-20,1,2,3,4,5,2026-11-20,7", "Visited Page,Viewed Or Edited,Synced,Shared Internally,Shared Externally")]
    [InlineData(UsageReports.TeamsUserActivityUserCounts, Workload.Teams,
        "Report Refresh Date,Report Date,Team Chat Messages,Private Chat Messages,Calls,Meetings,Other Actions,Report Period",
        "2026-11-20,2026-11-20,1,2,3,4,5,7", "Team Chat Messages,Private Chat Messages,Calls,Meetings,Other Actions")]
    [InlineData(UsageReports.YammerActivityCounts, Workload.Yammer,
        "Report Refresh Date,Liked,Posted,Read,Report Date,Report Period", "2026-11-20,1,2,3,2026-11-20,7", "Liked,Posted,Read")]
    [InlineData(UsageReports.SkypeForBusinessActivityCounts, Workload.SkypeForBusiness,
        "Report Refresh Date,Report Date,Report Period,Peer-to-peer,Organized,Participated", "2026-11-20,2026-11-20,7,1,2,3",
        "Peer-to-peer,Organized,Participated")]
    public async Task ReadAsync_ActivityReport_GivesEachColumnAsAMetricOfItsWorkload(string function, Workload workload, string header, string row,
        string metrics)
    {
        var (_, _, values) = await ReadAsync(function, CsvText.Lines(header, row));

        Assert.Equal(metrics.Split(','), values.Select(v => v.Metric));
        Assert.Equal(Enumerable.Range(1, values.Count).Select(i => (long)i), values.Select(v => v.Value));
        Assert.All(values, v => Assert.Equal((workload, Refresh), (v.Workload, v.Date)));
    }

    [Fact]
    public async Task ReadAsync_RetiredSkypeWithEmptyCounts_ReadsZero()
    {
        var text = CsvText.Lines("Report Refresh Date,Report Date,Report Period,Peer-to-peer,Organized,Participated", "2026-11-20,2026-11-20,7,,,");

        var (_, _, values) = await ReadAsync(UsageReports.SkypeForBusinessActivityCounts, text);

        Assert.All(values, v => Assert.Equal(0, v.Value));
    }

    [Fact]
    public async Task ReadAsync_ServicesUserCounts_DatesPeriodFiguresOnTheRefreshDate()
    {
        var text = CsvText.Lines(
            "Report Refresh Date,Exchange Active,Exchange Inactive,OneDrive Active,OneDrive Inactive,SharePoint Active,SharePoint Inactive," +
            "Skype For Business Active,Skype For Business Inactive,Yammer Active,Yammer Inactive,Teams Active,Teams Inactive," +
            "Office 365 Active,Office 365 Inactive,Report Period",
            "2026-11-20,90,10,1,1,50,50,0,0,3,97,70,30,95,5,30");

        var (_, _, values) = await ReadAsync(UsageReports.ServicesUserCounts, text);

        Assert.Equal(10, values.Count);
        Assert.Contains(new DailyWorkloadValue(Refresh, Workload.Exchange, DailyCountsReader.ActiveInPeriodMetric, 90), values);
        Assert.Contains(new DailyWorkloadValue(Refresh, Workload.Teams, DailyCountsReader.InactiveInPeriodMetric, 30), values);
    }

    [Fact]
    public async Task ReadAsync_HeaderOnly_RefusesBecauseTheRefreshDateIsUnknown()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            ReadAsync(UsageReports.EmailActivityCounts, CsvText.Lines("Report Refresh Date,Send,Receive,Read,Report Date,Report Period")));

        Assert.Contains("no data rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyReportDate_RefusesNamingTheRow()
    {
        var text = CsvText.Lines("Report Refresh Date,Send,Receive,Read,Report Date,Report Period", "2026-11-20,1,2,3,2026-11-20,7", "2026-11-20,1,2,3,,7");

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAsync(UsageReports.EmailActivityCounts, text));

        Assert.Contains("Row 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Report Date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MalformedCount_RefusesNamingTheColumn()
    {
        var text = CsvText.Lines("Report Refresh Date,Liked,Posted,Read,Report Date,Report Period", "2026-11-20,1,lots,3,2026-11-20,7");

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAsync(UsageReports.YammerActivityCounts, text));

        Assert.Contains("column \"Posted\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RefreshDateDiffersBetweenRows_Refuses()
    {
        var text = CsvText.Lines("Report Refresh Date,Liked,Posted,Read,Report Date,Report Period", "2026-11-20,1,2,3,2026-11-20,7", "2026-11-21,1,2,3,2026-11-19,7");

        await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAsync(UsageReports.YammerActivityCounts, text));
    }

    [Theory]
    [InlineData(UsageReports.ActiveUserDetail)]
    [InlineData("getTeamsUserActivityCounts")]
    public async Task ReadAsync_NotACountReport_Throws(string function)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ReadAsync(function, CsvText.Lines("A", "1")));
    }
}
