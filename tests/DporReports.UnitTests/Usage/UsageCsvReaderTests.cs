using DporReports.Core.Usage;

namespace DporReports.UnitTests.Usage;

/// <summary>
/// The streaming CSV reader against design.md §5 ("a CSV with a missing or reordered column, a BOM, quoted fields with
/// commas, empty dates, a truncated download, a Graph error page") and RFC 4180.
/// </summary>
public sealed class UsageCsvReaderTests
{
    private static readonly string[] AB = ["A", "B"];

    private static async Task<List<string[]>> ReadAllAsync(Stream stream, params string[] columns)
    {
        await using var reader = await UsageCsvReader.OpenAsync(stream, columns, CancellationToken.None);
        var rows = new List<string[]>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add([.. columns.Select(c => reader[c])]);
        }

        return rows;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_WithOrWithoutBom_MapsTheFirstColumnByName(bool bom)
    {
        var rows = await ReadAllAsync(CsvText.Stream(CsvText.Lines("Report Refresh Date,B", "2026-11-20,x"), bom), "Report Refresh Date", "B");

        Assert.Equal(["2026-11-20", "x"], Assert.Single(rows));
    }

    [Fact]
    public async Task ReadAsync_QuotedFieldWithCommasAndPlus_ReturnsTheWholeField()
    {
        var text = CsvText.Lines("A,B", "\"DYNAMICS 365 SALES, ENTERPRISE EDITION+ENTERPRISE MOBILITY + SECURITY E3\",2");

        var row = Assert.Single(await ReadAllAsync(CsvText.Stream(text), AB));

        Assert.Equal(["DYNAMICS 365 SALES, ENTERPRISE EDITION+ENTERPRISE MOBILITY + SECURITY E3", "2"], row);
    }

    [Fact]
    public async Task ReadAsync_DoubledQuotes_UnescapesThemInQuotedFieldsOnly()
    {
        var text = CsvText.Lines("A,B", "\"say \"\"hi\"\", then go\",\"\"\"\"", "\"\",plain\"\"text");

        var rows = await ReadAllAsync(CsvText.Stream(text), AB);

        Assert.Equal(["say \"hi\", then go", "\""], rows[0]);
        Assert.Equal(["", "plain\"\"text"], rows[1]);
    }

    [Fact]
    public async Task ReadAsync_LineBreaksInsideQuotes_KeepsThemAndCountsLines()
    {
        var text = CsvText.Lines("A,B", "\"two\r\nlines\",1", "\"one\nmore\",2", "x");

        await using var reader = await UsageCsvReader.OpenAsync(CsvText.Stream(text), AB, CancellationToken.None);
        Assert.True(await reader.ReadAsync(CancellationToken.None));
        Assert.Equal("two\r\nlines", reader["A"]);
        Assert.True(await reader.ReadAsync(CancellationToken.None));
        Assert.Equal("one\nmore", reader["A"]);
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Contains("Row 3 (line 6)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LfLineEnds_ReadsEveryRow()
    {
        var rows = await ReadAllAsync(CsvText.Stream("A,B\n1,2\n3,4\n"), AB);

        Assert.Equal([["1", "2"], ["3", "4"]], rows);
    }

    [Fact]
    public async Task ReadAsync_EmptyLines_AreSkipped()
    {
        var rows = await ReadAllAsync(CsvText.Stream("A,B\r\n\r\n1,2\r\n\n\r\n3,4\r\n\r\n"), AB);

        Assert.Equal([["1", "2"], ["3", "4"]], rows);
    }

    [Fact]
    public async Task OpenAsync_ReorderedAndExtraColumns_MapsByName()
    {
        var text = CsvText.Lines("Extra,b, A ,Another", "e,2,1,z");

        var row = Assert.Single(await ReadAllAsync(CsvText.Stream(text), AB));

        Assert.Equal(["1", "2"], row);
    }

    [Fact]
    public async Task OpenAsync_MissingColumns_MessageNamesEachOne()
    {
        var text = CsvText.Lines("Report Refresh Date,Has Teams License", "2026-11-20,True");

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            UsageCsvReader.OpenAsync(CsvText.Stream(text), ["Report Refresh Date", "Is Deleted", "Assigned Products"], CancellationToken.None));

        Assert.Contains("\"Is Deleted\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"Assigned Products\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Report Refresh Date, Has Teams License", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_RequiredColumnNamedTwice_Throws()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            UsageCsvReader.OpenAsync(CsvText.Stream(CsvText.Lines("A,B,a", "1,2,3")), AB, CancellationToken.None));

        Assert.Contains("\"a\" more than once", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A,B\r\n1,2")]
    [InlineData("A,B\r\n1,2\r\n3,")]
    [InlineData("A,B\r\n1,2\r\n\"3\",\"4\"")]
    public async Task ReadAsync_LastLineWithoutTerminator_ThrowsCutShort(string text)
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAllAsync(CsvText.Stream(text), AB));

        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CutShortAfterSecondRow_NamesTheRow()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAllAsync(CsvText.Stream("A,B\r\n1,2\r\n3,4\r\n5"), AB));

        Assert.Contains("row 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_HeaderWithoutTerminator_ThrowsCutShort()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            UsageCsvReader.OpenAsync(CsvText.Stream("A,B"), AB, CancellationToken.None));

        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A,B\r\n1,\"unterminated\r\n")]
    [InlineData("A,B\r\n1,\"ends with a doubled quote\"\"\r\n")]
    [InlineData("A,B\r\n\"open")]
    public async Task ReadAsync_UnterminatedQuoteAtEnd_ThrowsCutShort(string text)
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAllAsync(CsvText.Stream(text), AB));

        Assert.Contains("ends inside a quoted field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TextAfterClosingQuote_Throws()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAllAsync(CsvText.Stream(CsvText.Lines("A,B", "\"x\"y,2")), AB));

        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Error</body></html>")]
    [InlineData("<html>\r\n<head><title>404</title></head>\r\n")]
    [InlineData("\r\n  <?xml version=\"1.0\"?><Error/>")]
    public async Task OpenAsync_HtmlBody_ThrowsSayingSo(string body)
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            UsageCsvReader.OpenAsync(CsvText.Stream(body, bom: true), AB, CancellationToken.None));

        Assert.Contains("HTML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_JsonErrorBody_ThrowsSayingSo()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            UsageCsvReader.OpenAsync(CsvText.Stream("{\"error\":{\"code\":\"InvalidAuthenticationToken\"}}"), AB, CancellationToken.None));

        Assert.Contains("JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("", true)]
    [InlineData(" \r\n\r\n", false)]
    public async Task OpenAsync_EmptyBody_ThrowsSayingSo(string body, bool bom)
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            UsageCsvReader.OpenAsync(CsvText.Stream(body, bom), AB, CancellationToken.None));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HeaderOnly_ReturnsNoRows()
    {
        Assert.Empty(await ReadAllAsync(CsvText.Stream(CsvText.Lines("A,B"), bom: true), AB));
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("1")]
    [InlineData("\"1,2\"")]
    public async Task ReadAsync_FieldCountDiffersFromHeader_ThrowsNamingTheRow(string second)
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            ReadAllAsync(CsvText.Stream(CsvText.Lines("A,B", "1,2", second)), AB));

        Assert.Contains("Row 2 (line 3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("the header has 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task ReadAsync_StreamAnsweringFewBytesPerRead_ReadsTheSameRows(int bytesPerRead)
    {
        var text = CsvText.Lines("A,B", "\"q \"\"x\"\", y\",\"multi\r\nline\"", "é€😀,\"\"", "plain,\"+\"");

        var rows = await ReadAllAsync(CsvText.Stream(text, bom: true, bytesPerRead), AB);

        Assert.Equal([["q \"x\", y", "multi\r\nline"], ["é€😀", ""], ["plain", "+"]], rows);
    }

    [Fact]
    public async Task ReadAsync_RowLongerThanTheInitialBuffer_ReadsIt()
    {
        var longField = new string('x', 200_000);

        var row = Assert.Single(await ReadAllAsync(CsvText.Stream(CsvText.Lines("A,B", $"\"{longField}\",{longField}")), AB));

        Assert.Equal(longField, row[0]);
        Assert.Equal(longField, row[1]);
    }

    [Fact]
    public async Task ReadAsync_RowLongerThanTheLimit_Throws()
    {
        var huge = new string('x', UsageCsvReader.MaxRowBytes + 10);

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAllAsync(CsvText.Stream(CsvText.Lines("A,B", $"{huge},1")), AB));

        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnclosedQuoteLongerThanTheLimit_ThrowsWithoutBufferingTheRest()
    {
        var text = "A,B\r\n1,\"" + new string('x', 3 * UsageCsvReader.MaxRowBytes) + "\r\n";

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAllAsync(CsvText.Stream(text), AB));

        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LoneCarriageReturns_EndLines()
    {
        var rows = await ReadAllAsync(CsvText.Stream("A,B\r1,2\r3,4\r"), AB);

        Assert.Equal([["1", "2"], ["3", "4"]], rows);
    }

    [Fact]
    public async Task ReadAsync_StrayQuoteThenAQuoteThatSwallowsTheRest_ThrowsCutShort()
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            ReadAllAsync(CsvText.Stream(CsvText.Lines("A,B", "1,2", "a\"b,\"open", "3,4")), AB));

        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_SeveralFieldsOfOneRow_StayValidTogetherUntilTheNextRead()
    {
        var text = CsvText.Lines("A,B", "\"Müller, Anna\",\"say \"\"hi\"\"\"", "x,y");
        await using var reader = await UsageCsvReader.OpenAsync(CsvText.Stream(text), AB, CancellationToken.None);
        Assert.True(await reader.ReadAsync(CancellationToken.None));

        var a = reader.Field(0);
        var b = reader.Field(1);
        var aAgain = reader.Field(0);

        Assert.Equal("Müller, Anna", a.ToString());
        Assert.Equal("say \"hi\"", b.ToString());
        Assert.True(a == aAgain, "the same field is decoded once per row and served from the same place");
        Assert.Equal("Müller, Anna", a.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task OpenAsync_HeaderWithoutTerminatorArrivingInPieces_ThrowsCutShort(int bytesPerRead)
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            UsageCsvReader.OpenAsync(CsvText.Stream("A,B", bom: true, bytesPerRead), AB, CancellationToken.None));

        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TenTimesTheRows_AllocatesNoMore()
    {
        // Memory flat in file size: reading every field of every row (typed and as text) allocates the same whether the file
        // holds 20,000 rows or 200,000 (~4 MB against ~40 MB); the stream makes its rows on the fly and holds none.
        var small = await AllocatedReadingAsync(20_000);
        var large = await AllocatedReadingAsync(200_000);

        Assert.True(large.Rows == 200_000 && small.Rows == 20_000, $"read {small.Rows} and {large.Rows} rows");
        Assert.True(large.Bytes - small.Bytes < 64 * 1024,
            $"20,000 rows allocated {small.Bytes:N0} bytes, 200,000 rows {large.Bytes:N0}: the reader holds more than a row at a time");
    }

    private static async Task<(long Rows, long Bytes)> AllocatedReadingAsync(int rows)
    {
        string[] columns = ["Report Refresh Date", "Display Name", "Is Deleted", "Storage Used (Byte)"];
        var header = "Report Refresh Date,Display Name,Is Deleted,Storage Used (Byte)\r\n"u8.ToArray();
        var row = "2026-11-20,\"García, Chloé\",False,123456789\r\n"u8.ToArray();
        await using var stream = new RepeatingRowStream(header, row, rows);
        var before = GC.GetAllocatedBytesForCurrentThread();
        long read = 0;
        long checksum = 0;
        await using (var reader = await UsageCsvReader.OpenAsync(stream, columns, CancellationToken.None))
        {
            while (await reader.ReadAsync(CancellationToken.None))
            {
                checksum += reader.Date(0)!.Value.Day + reader.Field(1).Length + (reader.Bool(2) ? 1 : 0) + reader.Long(3);
                read++;
            }
        }

        Assert.Equal(read * (20 + "García, Chloé".Length + 123456789L), checksum);
        return (read, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A header and then the same row <c>count</c> times, made as it is read, completing every read synchronously.</summary>
    private sealed class RepeatingRowStream(byte[] header, byte[] row, int count) : Stream
    {
        private long _position;
        private readonly long _length = header.Length + ((long)row.Length * count);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length && _position < _length)
            {
                var (source, offset) = _position < header.Length
                    ? (header, (int)_position)
                    : (row, (int)((_position - header.Length) % row.Length));
                var take = Math.Min(buffer.Length - written, source.Length - offset);
                source.AsSpan(offset, take).CopyTo(buffer[written..]);
                written += take;
                _position += take;
            }

            return written;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("2026-11-20", 2026, 11, 20)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData(" 2026-01-01 ", 2026, 1, 1)]
    public async Task Date_IsoDate_ReturnsIt(string field, int year, int month, int day)
    {
        await using var reader = await OneRowAsync(field);

        Assert.Equal(new DateOnly(year, month, day), reader.Date("A"));
    }

    [Fact]
    public async Task Date_EmptyField_ReturnsNull()
    {
        await using var reader = await OneRowAsync("");

        Assert.Null(reader.Date("A"));
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2025-02-29")]
    [InlineData("2026-1-01")]
    [InlineData("20/11/2026")]
    [InlineData("2026-11-20T00:00:00")]
    [InlineData("not a date")]
    public async Task Date_MalformedDate_ThrowsNamingRowAndColumn(string field)
    {
        await using var reader = await OneRowAsync(field);

        var error = Assert.Throws<UsageReportFormatException>(() => reader.Date("A"));

        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("column \"A\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("False", false)]
    public async Task Bool_TrueOrFalseInAnyCase_ReturnsIt(string field, bool expected)
    {
        await using var reader = await OneRowAsync(field);

        Assert.Equal(expected, reader.Bool("A"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yes")]
    [InlineData("1")]
    public async Task Bool_AnythingElse_Throws(string field)
    {
        await using var reader = await OneRowAsync(field);

        Assert.Throws<UsageReportFormatException>(() => reader.Bool("A"));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("42", 42)]
    [InlineData("9000000000", 9_000_000_000)]
    public async Task Long_NumberOrEmpty_ReturnsItOrZero(string field, long expected)
    {
        await using var reader = await OneRowAsync(field);

        Assert.Equal(expected, reader.Long("A"));
    }

    [Theory]
    [InlineData("4.5")]
    [InlineData("1,000")]
    [InlineData("many")]
    public async Task Long_NotAWholeNumber_Throws(string field)
    {
        await using var reader = await OneRowAsync(field);

        Assert.Throws<UsageReportFormatException>(() => reader.Long("A"));
    }

    [Fact]
    public async Task Indexer_ColumnNotInTheFile_Throws()
    {
        await using var reader = await OneRowAsync("x");

        Assert.Throws<ArgumentException>(() => reader["Missing"]);
    }

    [Fact]
    public async Task Indexer_BeforeTheFirstRead_Throws()
    {
        await using var reader = await UsageCsvReader.OpenAsync(CsvText.Stream(CsvText.Lines("A,B", "1,2")), AB, CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => reader["A"]);
    }

    [Fact]
    public async Task RowNumber_AfterEachRead_CountsDataRows()
    {
        await using var reader = await UsageCsvReader.OpenAsync(CsvText.Stream(CsvText.Lines("A,B", "1,2", "3,4")), AB, CancellationToken.None);

        Assert.Equal(0, reader.RowNumber);
        await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(1, reader.RowNumber);
        await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(2, reader.RowNumber);
        Assert.False(await reader.ReadAsync(CancellationToken.None));
        Assert.Equal(2, reader.RowNumber);
    }

    [Fact]
    public async Task DisposeAsync_Always_LeavesTheCallersStreamOpen()
    {
        var stream = CsvText.Stream(CsvText.Lines("A,B", "1,2"));

        await (await UsageCsvReader.OpenAsync(stream, AB, CancellationToken.None)).DisposeAsync();

        Assert.True(stream.CanRead);
    }

    private static async Task<UsageCsvReader> OneRowAsync(string field)
    {
        var quoted = field.Contains(',', StringComparison.Ordinal) ? $"\"{field}\"" : field;
        var reader = await UsageCsvReader.OpenAsync(CsvText.Stream(CsvText.Lines("A,B", $"{quoted},x")), AB, CancellationToken.None);
        Assert.True(await reader.ReadAsync(CancellationToken.None));
        return reader;
    }
}
