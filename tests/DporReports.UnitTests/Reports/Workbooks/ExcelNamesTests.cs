using DporReports.Core.Reports.Workbooks;

namespace DporReports.UnitTests.Reports.Workbooks;

public sealed class ExcelNamesTests
{
    [Theory]
    [InlineData("Trend", "Trend")]
    [InlineData("Daily trend (90 days)", "Daily_trend__90_days_")]
    [InlineData("Übersicht.2026", "Übersicht.2026")]
    [InlineData("2026", "_2026")]
    [InlineData(".hidden", "_.hidden")]
    [InlineData("XFD1048576", "_XFD1048576")]
    [InlineData("r", "_r")]
    [InlineData("R1C1", "_R1C1")]
    [InlineData("RC", "_RC")]
    [InlineData("ABCD1", "ABCD1")] // four letters: not a column, so not a reference
    [InlineData("", "Table")]
    public void TableName_Requested_FollowsExcelsRules(string requested, string expected) =>
        Assert.Equal(expected, ExcelNames.TableName(requested, new HashSet<string>(StringComparer.OrdinalIgnoreCase)));

    [Theory]
    [InlineData(1, "A")]
    [InlineData(26, "Z")]
    [InlineData(27, "AA")]
    [InlineData(702, "ZZ")]
    [InlineData(703, "AAA")]
    [InlineData(16_384, "XFD")]
    public void ColumnLetters_ColumnNumber_IsExcelsLetters(int column, string expected) =>
        Assert.Equal(expected, ExcelNames.ColumnLetters(column));

    [Fact]
    public void SheetName_LongNameWithSurrogatePairAtTheCut_DoesNotSplitThePair()
    {
        var name = ExcelNames.SheetName(new string('a', 30) + "\uD83D\uDE00tail", new HashSet<string>());

        Assert.Equal(new string('a', 30), name);
    }

    [Fact]
    public void ForCell_TruncationAtASurrogatePair_KeepsTheTextValid()
    {
        var keep = CellText.MaxLength - CellText.TruncationMarker.Length;
        var text = new string('a', keep - 1) + "\uD83D\uDE00" + new string('b', 100);

        var cell = CellText.ForCell(text);

        Assert.Equal(new string('a', keep - 1) + CellText.TruncationMarker, cell);
        Assert.True(cell.Length <= CellText.MaxLength);
    }
}
