using DporReports.Core.Usage;

namespace DporReports.UnitTests.Usage;

/// <summary>Required columns against the documented headers (shared/reference/graph-and-entra.md, "Usage reports").</summary>
public sealed class UsageReportsTests
{
    public static TheoryData<string, string> DocumentedHeaders => new()
    {
        { UsageReports.ActiveUserDetail, string.Join(",", DetailCsvBuilder.DocumentedHeader) },
        { UsageReports.ActiveUserCounts, "Report Refresh Date,Office 365,Exchange,OneDrive,SharePoint,Skype For Business,Yammer,Teams,Report Date,Report Period" },
        {
            UsageReports.ServicesUserCounts,
            "Report Refresh Date,Exchange Active,Exchange Inactive,OneDrive Active,OneDrive Inactive,SharePoint Active,SharePoint Inactive," +
            "Skype For Business Active,Skype For Business Inactive,Yammer Active,Yammer Inactive,Teams Active,Teams Inactive,Office 365 Active," +
            "Office 365 Inactive,Report Period"
        },
        { UsageReports.EmailActivityCounts, "Report Refresh Date,Send,Receive,Read,Report Date,Report Period" },
        {
            UsageReports.SharePointActivityUserCounts,
            "Report Refresh Date,Visited Page,Viewed Or Edited,Synced,Shared Internally,Shared Externally,Report Date,Report Period"
        },
        {
            UsageReports.TeamsUserActivityUserCounts,
            "Report Refresh Date,Report Date,Team Chat Messages,Private Chat Messages,Calls,Meetings,Other Actions,Report Period"
        },
        { UsageReports.YammerActivityCounts, "Report Refresh Date,Liked,Posted,Read,Report Date,Report Period" },
        { UsageReports.SkypeForBusinessActivityCounts, "Report Refresh Date,Report Date,Report Period,Peer-to-peer,Organized,Participated" },
    };

    [Theory]
    [MemberData(nameof(DocumentedHeaders))]
    public void RequiredColumns_EachReport_AreAllInItsDocumentedHeader(string function, string header)
    {
        var documented = header.Split(',');

        Assert.All(UsageReports.RequiredColumns(function), column => Assert.Contains(column, documented));
        Assert.Contains(UsageReports.ReportRefreshDate, UsageReports.RequiredColumns(function));
    }

    [Fact]
    public void All_Always_ListsTheEightReportsWithTheirColumns()
    {
        Assert.Equal(8, UsageReports.All.Count);
        Assert.Equal(UsageReports.All.Order(), DocumentedHeaders.Select(row => (string)row[0]).Order());
    }

    [Fact]
    public void RequiredColumns_UnknownFunction_Throws() =>
        Assert.Throws<ArgumentException>(() => UsageReports.RequiredColumns("getMailboxUsageDetail"));
}
