using ClosedXML.Excel;
using DocumentFormat.OpenXml;
using DporReports.Core.Reports.Workbooks;

namespace DporReports.UnitTests.Reports.Workbooks;

/// <summary>The workbook writer, through both its paths (ClosedXML and streamed), read back as Excel would read it.</summary>
public sealed class WorkbookWriterTests
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private static readonly DateTimeOffset Moment = new(2026, 11, 20, 14, 30, 0, TimeSpan.FromHours(1));

    public static TheoryData<string> Paths => WorkbookFile.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_TypicalWorkbook_PassesTheOpenXmlValidator(string path)
    {
        using var file = await WorkbookFile.WriteAsync(TypicalDocument(), path);

        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Microsoft365));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_TypedValues_RoundTripAsNumbersDatesAndTextWithTheColumnFormats(string path)
    {
        using var file = await WorkbookFile.WriteAsync(TypicalDocument(), path);
        var sheet = file.Sheet("Summary");

        var name = sheet.Cell("A2");
        Assert.Equal(XLDataType.Text, name.DataType);
        Assert.Equal("Contoso", name.GetString());
        var seats = sheet.Cell("B2");
        Assert.Equal(XLDataType.Number, seats.DataType);
        Assert.Equal(1200, seats.GetDouble());
        Assert.Equal("#,##0", seats.Style.NumberFormat.Format);
        Assert.Equal(1234.56, sheet.Cell("C2").GetDouble(), 10);
        Assert.Equal("#,##0.00", sheet.Cell("C2").Style.NumberFormat.Format);
        Assert.Equal(0.425, sheet.Cell("D2").GetDouble(), 10);
        Assert.Equal("0.0%", sheet.Cell("D2").Style.NumberFormat.Format);
        var date = sheet.Cell("E2");
        Assert.Equal(XLDataType.DateTime, date.DataType);
        Assert.Equal(new DateTime(2026, 11, 20), date.GetDateTime());
        Assert.Equal("yyyy-mm-dd", date.Style.NumberFormat.Format);
        Assert.Equal(new DateTime(2026, 11, 20, 14, 30, 0), sheet.Cell("F2").GetDateTime()); // the offset's clock time
        Assert.Equal("yyyy-mm-dd hh:mm", sheet.Cell("F2").Style.NumberFormat.Format);
        Assert.True(sheet.Cell("B3").IsEmpty()); // null
        Assert.Equal("#,##0", sheet.Column(2).Style.NumberFormat.Format); // what a value typed into an empty cell gets
        Assert.Equal(42, sheet.Cell("B4").GetDouble()); // long
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_DatesAndNumbers_AreSerialNumbersNotText(string path)
    {
        using var file = await WorkbookFile.WriteAsync(TypicalDocument(), path);

        // 2026-11-20 is serial 46346; a date written as text would be a string cell instead.
        var date = file.CellXml("Summary", row: 2, column: 5);
        Assert.Equal("46346", date.Value);
        Assert.Null(date.Attribute("t"));
        Assert.Equal("1200", file.CellXml("Summary", row: 2, column: 2).Value);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_FormulaLikeTenantText_StaysTextAndNoCellHasAFormula(string path)
    {
        string[] attacks =
        [
            "=1+1", "=HYPERLINK(\"http://evil.example\",\"Click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
            "=cmd|' /C calc'!A0", "123", "0042", "TRUE", "2026-11-20", "'quoted", "  padded  ",
        ];
        var builder = new SheetBuilder("Customers").Text("Name");
        foreach (var attack in attacks) builder.Row(attack);
        using var file = await WorkbookFile.WriteAsync(builder.Build(), path);
        var sheet = file.Sheet("Customers");

        for (var i = 0; i < attacks.Length; i++)
        {
            var cell = sheet.Cell(i + 2, 1);
            Assert.False(cell.HasFormula, attacks[i]);
            Assert.Equal(XLDataType.Text, cell.DataType);
            Assert.Equal(attacks[i].Replace('\r', '\n'), cell.GetString()); // Excel's line break
        }

        Assert.DoesNotMatch(@"<(\w+:)?f[ >]", file.SheetXml("Customers"));
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_ColumnWidths_AreTheGivenWidths(string path)
    {
        using var file = await WorkbookFile.WriteAsync(TypicalDocument(), path);
        var sheet = file.Sheet("Summary");

        double[] expected = [40, 12, 14, 10, 12, 18];
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], sheet.Column(i + 1).Width, 2);
        Assert.Matches(@"customWidth=""1""", file.SheetXml("Summary"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_FreezeHeader_FreezesTheHeaderRowOnly(string path)
    {
        using var file = await WorkbookFile.WriteAsync(TypicalDocument(), path);

        var view = file.Sheet("Summary").SheetView;
        Assert.Equal(1, view.SplitRow);
        Assert.Equal(0, view.SplitColumn);
        Assert.Matches(@"<(\w+:)?pane [^>]*ySplit=""1""[^>]*state=""frozen(Split)?""", file.SheetXml("Summary"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_FreezeHeaderOff_HasNoFrozenPane(string path)
    {
        using var file = await WorkbookFile.WriteAsync(new SheetBuilder("Ledger").Text("Event").Row("Assigned").NotFrozen().Build(), path);

        Assert.Equal(0, file.Sheet("Ledger").SheetView.SplitRow);
        Assert.DoesNotContain("frozen", file.SheetXml("Ledger"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_Sheet_IsOneNamedTableWithHeadersAndAutofilterOverAllRows(string path)
    {
        using var file = await WorkbookFile.WriteAsync(TypicalDocument(), path);

        var table = Assert.Single(file.Sheet("Summary").Tables);
        Assert.Equal("Consumption_summary", table.Name);
        Assert.Equal("A1:F4", table.RangeAddress.ToStringRelative());
        Assert.True(table.ShowHeaderRow);
        Assert.True(table.ShowAutoFilter);
        Assert.Equal(["Customer", "Seats", "Cost", "Usage %", "Day", "Refreshed"], table.Fields.Select(f => f.Name));
        Assert.Equal(3, table.DataRange.RowCount());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_SheetWithoutRows_HasAValidTableWithOneEmptyRow(string path)
    {
        using var file = await WorkbookFile.WriteAsync(new SheetBuilder("Trend").Text("Customer").Integer("Users").Build(), path);

        var table = Assert.Single(file.Sheet("Trend").Tables);
        Assert.Equal("A1:B2", table.RangeAddress.ToStringRelative());
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_TextOverTheCellLimit_IsTruncatedWithAMarker(string path)
    {
        var longText = new string('x', 40_000);
        using var file = await WorkbookFile.WriteAsync(new SheetBuilder("Notes").Text("Note").Row(longText).Row("short").Build(), path);

        var value = file.Sheet("Notes").Cell("A2").GetString();
        Assert.Equal(32_767, value.Length);
        Assert.EndsWith("[truncated]", value, StringComparison.Ordinal);
        Assert.StartsWith("xxxx", value, StringComparison.Ordinal);
        Assert.Equal("short", file.Sheet("Notes").Cell("A3").GetString());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_CharactersXmlCannotCarry_AreReplacedAndTheFileStaysValid(string path)
    {
        using var file = await WorkbookFile.WriteAsync(
            new SheetBuilder("Names").Text("Name\u0001").Row("Con\u0000to\u001Fso \uD800 ok \uD83D\uDE00").Row("line\r\nbreak").Build(), path);

        var sheet = file.Sheet("Names");
        Assert.Equal("Name\uFFFD", sheet.Cell("A1").GetString());
        Assert.Equal("Con\uFFFDto\uFFFDso \uFFFD ok \uD83D\uDE00", sheet.Cell("A2").GetString());
        Assert.Equal("line\nbreak", sheet.Cell("A3").GetString());
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_EdgeValues_AreWrittenAsExcelCanHoldThem(string path)
    {
        var sheet = new SheetBuilder("Edges").Text("Label").Decimal("Value").Date("Day")
            .Row("not a number", double.NaN, new DateOnly(1899, 1, 1))
            .Row("boolean and guid", true, new DateOnly(1900, 3, 1))
            .Row(Guid.Empty, 1e20m, null)
            .Build();
        using var file = await WorkbookFile.WriteAsync(sheet, path);
        var edges = file.Sheet("Edges");

        Assert.True(edges.Cell("B2").IsEmpty());
        Assert.Equal("1899-01-01", edges.Cell("C2").GetString()); // before Excel's calendar is exact: text
        Assert.Equal(XLDataType.Boolean, edges.Cell("B3").DataType);
        Assert.Equal(new DateTime(1900, 3, 1), edges.Cell("C3").GetDateTime());
        Assert.Equal("00000000-0000-0000-0000-000000000000", edges.Cell("A4").GetString());
        Assert.Equal(1e20, edges.Cell("B4").GetDouble());
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_RowWithMoreValuesThanColumns_Throws(string path)
    {
        var sheet = new SheetBuilder("Bad").Text("Only").Row("a", "b").Build();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => WorkbookFile.WriteAsync(sheet, path));
        Assert.Contains("'Bad'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_UnsupportedValueType_Throws(string path)
    {
        var sheet = new SheetBuilder("Bad").Text("Only").Row(new Uri("https://example.com")).Build();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => WorkbookFile.WriteAsync(sheet, path));
        Assert.Contains("Uri", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task WriteAsync_CanceledToken_ThrowsAndWritesNothing(string path)
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        using var output = new MemoryStream();
        var options = new WorkbookWriterOptions(path == WorkbookFile.Streamed ? 0 : int.MaxValue);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WorkbookWriter.WriteAsync(TypicalDocument(), output, options, canceled.Token));
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task WriteAsync_Document_PutsTheAboutSheetFirstWithTheEntriesAsALabelValueTable()
    {
        using var file = await WorkbookFile.WriteAsync(TypicalDocument());

        var about = file.Workbook.Worksheets.First();
        Assert.Equal("About", about.Name);
        Assert.Equal(["About", "Summary", "Ledger"], file.Workbook.Worksheets.Select(w => w.Name));
        Assert.Equal("Report", about.Cell("A2").GetString());
        Assert.Equal("Consumption summary", about.Cell("B2").GetString());
        Assert.Equal("Generated by", about.Cell("A3").GetString());
        Assert.Equal("=Mallory", about.Cell("B3").GetString());
        Assert.False(about.Cell("B3").HasFormula);
        Assert.Equal("Freshness: Contoso", about.Cell("A5").GetString());
        var table = Assert.Single(about.Tables);
        Assert.Equal("A1:B5", table.RangeAddress.ToStringRelative());
        Assert.Equal(["Item", "Value"], table.Fields.Select(f => f.Name));
        Assert.Equal("Consumption summary", file.Workbook.Properties.Title);
    }

    [Fact]
    public async Task WriteAsync_InvalidAndDuplicateSheetNames_AreCleanedShortenedAndUnique()
    {
        var document = new WorkbookDocument("Names", [],
        [
            new SheetBuilder("about", "t1").Text("A").Build(),
            new SheetBuilder("Usage [EU]: a/b\\c*d?", "t2").Text("A").Build(),
            new SheetBuilder("A very long sheet name that goes past Excel's limit", "t3").Text("A").Build(),
            new SheetBuilder("A very long sheet name that goes past Excel's limit too", "t4").Text("A").Build(),
            new SheetBuilder("'quoted'", "t5").Text("A").Build(),
            new SheetBuilder("", "t6").Text("A").Build(),
        ]);

        using var file = await WorkbookFile.WriteAsync(document);

        var names = file.Workbook.Worksheets.Select(w => w.Name).ToList();
        Assert.Equal(["About", "about (2)", "Usage _EU__ a_b_c_d_", "A very long sheet name that goe", "A very long sheet name that (2)", "quoted", "Sheet"], names);
        Assert.All(names, n => Assert.True(n.Length <= 31, n));
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Fact]
    public async Task WriteAsync_InvalidAndDuplicateTableNames_AreCleanedAndUnique()
    {
        var document = new WorkbookDocument("Names", [],
        [
            new SheetBuilder("S1", "Daily trend (90 days)").Text("A").Build(),
            new SheetBuilder("S2", "Daily trend (90 days)").Text("A").Build(),
            new SheetBuilder("S3", "2026 usage").Text("A").Build(),
            new SheetBuilder("S4", "AB12").Text("A").Build(),
            new SheetBuilder("S5", "R").Text("A").Build(),
            new SheetBuilder("S6", "about").Text("A").Build(),
        ]);

        using var file = await WorkbookFile.WriteAsync(document);

        var tables = file.Workbook.Worksheets.Skip(1).Select(w => Assert.Single(w.Tables).Name).ToList();
        Assert.Equal(["Daily_trend__90_days_", "Daily_trend__90_days__2", "_2026_usage", "_AB12", "_R", "about_2"], tables);
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Fact]
    public async Task WriteAsync_DuplicateAndEmptyHeaders_BecomeUniqueTableColumns()
    {
        using var file = await WorkbookFile.WriteAsync(new SheetBuilder("S").Text("Name").Text("name").Text("").Row("a", "b", "c").Build());

        Assert.Equal(["Name", "name 2", "Column3"], Assert.Single(file.Sheet("S").Tables).Fields.Select(f => f.Name));
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Fact]
    public async Task WriteAsync_SheetOverTheThreshold_StreamsItAndTheSheetsAfterIt_EnumeratingEachOnceInOrder()
    {
        var events = new List<string>();
        var document = new WorkbookDocument("Order", [],
        [
            new SheetBuilder("Small").Integer("N").Rows(Spy("Small", 2, events)).Build(),
            new SheetBuilder("Large").Integer("N").Rows(Spy("Large", 5, events)).Build(),
            new SheetBuilder("After").Integer("N").Rows(Spy("After", 1, events)).Build(),
            new SheetBuilder("Empty").Integer("N").Rows(Spy("Empty", 0, events)).Build(),
        ]);
        using var output = new MemoryStream();

        await WorkbookWriter.WriteAsync(document, output, new WorkbookWriterOptions(StreamingRowThreshold: 3), CancellationToken.None);

        Assert.Equal(["Small start", "Small end", "Large start", "Large end", "After start", "After end", "Empty start", "Empty end"], events);
        using var file = new WorkbookFile(output.ToArray());
        Assert.Equal([1, 2], Column(file.Sheet("Small")));
        Assert.Equal([1, 2, 3, 4, 5], Column(file.Sheet("Large")));
        Assert.Equal([1], Column(file.Sheet("After")));
        Assert.Equal("A1:A6", Assert.Single(file.Sheet("Large").Tables).RangeAddress.ToStringRelative());
        Assert.Equal("A1:A2", Assert.Single(file.Sheet("Empty").Tables).RangeAddress.ToStringRelative());
        Assert.DoesNotContain(":dimension", file.SheetXml("Large"), StringComparison.Ordinal); // optional; unknown when it comes
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));

        static List<double> Column(IXLWorksheet sheet) => sheet.Column(1).CellsUsed().Skip(1).Select(c => c.GetDouble()).ToList();
    }

    [Fact]
    public async Task WriteAsync_SheetOverTwentyThousandRows_IsStreamedWithTheSameFeatures()
    {
        var rows = Enumerable.Range(0, 20_001).Select(i => new object?[] { $"Customer {i % 1000}", "Exchange", Day.AddDays(-(i % 90)), i % 500 });
        var sheet = new SheetBuilder("Trend", "WorkloadTrend").Text("Customer").Text("Workload").Date("Day").Integer("Active users").Rows(rows).Build();

        using var output = new MemoryStream();

        await WorkbookWriter.WriteAsync(new WorkbookDocument("Trend", [], [sheet]), output, CancellationToken.None);

        using var file = new WorkbookFile(output.ToArray());
        var xml = file.SheetXml("Trend");
        Assert.Contains("inlineStr", xml, StringComparison.Ordinal); // the streamed path's strings
        var trend = file.Sheet("Trend");
        Assert.Equal("A1:D20002", Assert.Single(trend.Tables).RangeAddress.ToStringRelative());
        Assert.Equal(1, trend.SheetView.SplitRow);
        Assert.Equal(Day.AddDays(-(20_000 % 90)).ToDateTime(TimeOnly.MinValue), trend.Cell("C20002").GetDateTime());
        Assert.Equal("yyyy-mm-dd", trend.Cell("C20002").Style.NumberFormat.Format);
        Assert.Equal(12, trend.Column(3).Width, 2);
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Fact]
    public async Task WriteAsync_SheetPastTheRowLimit_ContinuesOnNumberedSheetsEachATableAndTheAboutSheetNamesThem()
    {
        var rows = Enumerable.Range(1, 8).Select(i => new object?[] { $"Customer {i}", i, Day.AddDays(i) }).ToList();
        var trend = new SheetBuilder("Trend", "WorkloadTrend").Text("Customer").Integer("Users").Date("Day").Rows(rows).Build();
        var document = new WorkbookDocument("Trend", [], [new SheetBuilder("Summary").Text("A").Row("x").Build(), trend]);
        using var output = new MemoryStream();

        await WorkbookWriter.WriteAsync(document, output, new WorkbookWriterOptions(StreamingRowThreshold: 100, MaxRowsPerSheet: 3), CancellationToken.None);

        using var file = new WorkbookFile(output.ToArray());
        Assert.Equal(["About", "Summary", "Trend", "Trend (2)", "Trend (3)"], file.Workbook.Worksheets.Select(w => w.Name));
        string[] parts = ["Trend", "Trend (2)", "Trend (3)"];
        var expected = rows.Chunk(3).ToList();
        for (var p = 0; p < parts.Length; p++)
        {
            var sheet = file.Sheet(parts[p]);
            Assert.Equal(["Customer", "Users", "Day"], Assert.Single(sheet.Tables).Fields.Select(f => f.Name));
            Assert.Equal($"A1:C{expected[p].Length + 1}", Assert.Single(sheet.Tables).RangeAddress.ToStringRelative());
            Assert.Equal(expected[p].Select(r => (double)(int)r[1]!), sheet.Column(2).CellsUsed().Skip(1).Select(c => c.GetDouble()));
            Assert.Equal("yyyy-mm-dd", sheet.Cell("C2").Style.NumberFormat.Format);
            Assert.Equal(1, sheet.SheetView.SplitRow);
        }

        Assert.Equal(["WorkloadTrend", "WorkloadTrend_2", "WorkloadTrend_3"], parts.Select(n => Assert.Single(file.Sheet(n).Tables).Name));
        var about = file.Sheet("About");
        Assert.Equal("Sheet \"Trend\"", about.Cell("A3").GetString());
        Assert.Contains("8 rows", about.Cell("B3").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"Trend\", \"Trend (2)\", \"Trend (3)\"", about.Cell("B3").GetString(), StringComparison.Ordinal);
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Fact]
    public async Task WriteAsync_RowsOfUnknownCountPastTheLimit_StillContinueOnNumberedSheetsAndTheAboutSheetSaysTheyWould()
    {
        var trend = new SheetBuilder("Trend").Integer("N").Rows(Enumerable.Range(1, 7).Select(i => new object?[] { i })).Build();
        using var output = new MemoryStream();

        await WorkbookWriter.WriteAsync(new WorkbookDocument("Trend", [], [trend]), output,
            new WorkbookWriterOptions(StreamingRowThreshold: 2, MaxRowsPerSheet: 3), CancellationToken.None);

        using var file = new WorkbookFile(output.ToArray());
        Assert.Equal(["About", "Trend", "Trend (2)", "Trend (3)"], file.Workbook.Worksheets.Select(w => w.Name));
        Assert.Equal([7.0], file.Sheet("Trend (3)").Column(1).CellsUsed().Skip(1).Select(c => c.GetDouble()));
        Assert.Contains("\"Trend (2)\"", file.Sheet("About").Cell("B3").GetString(), StringComparison.Ordinal);
        Assert.Empty(file.ValidationErrors(FileFormatVersions.Office2007));
    }

    [Fact]
    public async Task WriteAsync_LongSheetNamePastTheLimit_KeepsThePartNumberWithinThirtyOneCharacters()
    {
        var name = "Daily active users by workload and customer";
        var sheet = new SheetBuilder(name).Integer("N").Rows(Enumerable.Range(1, 4).Select(i => new object?[] { i }).ToList()).Build();
        using var output = new MemoryStream();

        await WorkbookWriter.WriteAsync(new WorkbookDocument("Long", [], [sheet]), output,
            new WorkbookWriterOptions(StreamingRowThreshold: 1, MaxRowsPerSheet: 2), CancellationToken.None);

        using var file = new WorkbookFile(output.ToArray());
        Assert.Equal(["About", name[..31], name[..27] + " (2)"], file.Workbook.Worksheets.Select(w => w.Name));
    }

    [Fact]
    public async Task WriteAsync_MoreRowsThanAnExcelSheetHolds_SplitsAtExcelsGrid()
    {
        // The real limit, no option lowered: 1,048,575 rows below the header, then a second sheet. Read back forward-only
        // (a DOM of a million-row sheet is what the streaming avoids); the split itself is validated in the test above.
        const int rows = WorkbookWriter.MaxDataRows + 5;
        var sheet = new SheetBuilder("Trend").Integer("N").Rows(new CountedRows(rows)).Build();
        using var output = new MemoryStream();

        await WorkbookWriter.WriteAsync(new WorkbookDocument("Trend", [], [sheet]), output, CancellationToken.None);

        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(output.ToArray()), isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().ToList();
        Assert.Equal(["About", "Trend", "Trend (2)"], sheets.Select(s => s.Name!.Value));
        var first = Values(sheets[1]);
        var second = Values(sheets[2]);
        Assert.Equal(WorkbookWriter.MaxDataRows, first.Count);
        Assert.Equal(Enumerable.Range(1, WorkbookWriter.MaxDataRows).Select(i => (double)i), first);
        Assert.Equal(Enumerable.Range(WorkbookWriter.MaxDataRows + 1, 5).Select(i => (double)i), second);

        List<double> Values(DocumentFormat.OpenXml.Spreadsheet.Sheet s)
        {
            var values = new List<double>();
            using var reader = DocumentFormat.OpenXml.OpenXmlReader.Create(workbook.GetPartById(s.Id!.Value!));
            var row = 0;
            while (reader.Read())
            {
                if (reader.ElementType == typeof(DocumentFormat.OpenXml.Spreadsheet.Row) && reader.IsStartElement) row++;
                if (row > 1 && reader.ElementType == typeof(DocumentFormat.OpenXml.Spreadsheet.CellValue) && reader.IsStartElement)
                    values.Add(double.Parse(reader.GetText(), System.Globalization.CultureInfo.InvariantCulture));
            }

            return values;
        }
    }

    /// <summary>1..count as rows, made as they are read, with the count known up front (as a list's would be).</summary>
    private sealed class CountedRows(int count) : IReadOnlyCollection<object?[]>
    {
        public int Count => count;

        public IEnumerator<object?[]> GetEnumerator()
        {
            for (var i = 1; i <= count; i++) yield return [i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static WorkbookDocument TypicalDocument() => new(
        "Consumption summary",
        [new("Generated by", "=Mallory"), new("Period", "2026-10-22 – 2026-11-20"), new("Freshness: Contoso", "2026-11-19")],
        [
            new SheetBuilder("Summary", "Consumption summary")
                .Text("Customer", 40).Integer("Seats").Decimal("Cost").Percent("Usage %").Date("Day").DateTime("Refreshed")
                .Row("Contoso", 1200, 1234.56m, 0.425, Day, Moment)
                .Row("Fabrikam", null, 0.5, 1.0m, null, null)
                .Row("Northwind", 42L, 3.25, 0, Day.AddDays(-1), Moment.AddDays(-1))
                .Build(),
            new SheetBuilder("Ledger").Text("Event").DateTime("When").Row("Assigned", Moment).Build(),
        ]);

    private static IEnumerable<object?[]> Spy(string name, int rows, List<string> events)
    {
        events.Add($"{name} start");
        try
        {
            for (var i = 1; i <= rows; i++) yield return [i];
        }
        finally
        {
            events.Add($"{name} end");
        }
    }
}
