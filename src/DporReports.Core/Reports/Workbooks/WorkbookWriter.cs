using ClosedXML.Excel;

namespace DporReports.Core.Reports.Workbooks;

/// <summary>
/// Rows in, .xlsx out. A workbook whose sheets are all small is built with ClosedXML. From the first sheet over
/// <see cref="WorkbookWriterOptions.StreamingRowThreshold"/> rows on, the whole workbook is streamed through SpreadCheetah
/// instead (<see cref="StreamedWorkbook"/>), with the same header, formats, widths, frozen pane and table: ClosedXML holds
/// every cell in memory and needs ~23 s and 2.3 GB for a 450,000-row sheet. A sheet past Excel's grid continues on
/// numbered sheets, and the About sheet says so: never a corrupt or silently cut workbook.
/// </summary>
public static class WorkbookWriter
{
    /// <summary>The About sheet's name in an English workbook (<see cref="WorkbookWords.AboutSheet"/> in the others).</summary>
    public const string AboutSheetName = "About";

    // Excel's grid: 1,048,576 rows including the header.
    internal const int MaxDataRows = 1_048_575;

    public static Task WriteAsync(WorkbookDocument document, Stream output, CancellationToken ct) =>
        WriteAsync(document, output, new WorkbookWriterOptions(), ct);

    internal static async Task WriteAsync(WorkbookDocument document, Stream output, WorkbookWriterOptions options, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();

        // Built in memory (the package is compressed: tens of MB for the largest report) and then copied, so the output
        // may be any stream, including one that only takes asynchronous writes, and never receives half a workbook.
        using var buffer = new MemoryStream();
        await BuildAsync(document, buffer, options, ct);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
    }

    private static async Task BuildAsync(WorkbookDocument document, Stream destination, WorkbookWriterOptions options, CancellationToken ct)
    {
        var sheetNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { document.WordsOrEnglish.AboutSheet };
        var tableNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { WorkbookWords.AboutTable };
        var plans = document.Sheets
            .Select(s => new SheetPlan(ExcelNames.SheetName(s.Name, sheetNames), ExcelNames.TableName(s.TableName, tableNames),
                ExcelNames.Headers(s.Columns.Select(c => c.Header)), s))
            .ToList();

        // A sheet past Excel's grid streams whatever the threshold: only the streamed path splits it.
        var threshold = Math.Min(options.StreamingRowThreshold, options.MaxRowsPerSheet);
        var sheets = new List<SheetRows>();
        try
        {
            var streaming = false;
            foreach (var plan in plans)
            {
                ct.ThrowIfCancellationRequested();
                if (streaming)
                {
                    // Once one sheet streams, the ones after it stream too: their rows are read only after the large
                    // sheet's, so no two sheets' enumerations are ever open at once.
                    sheets.Add(SheetRows.Later(plan));
                    continue;
                }

                var rows = plan.Source.Rows.GetEnumerator();
                var buffered = new List<object?[]>();
                try
                {
                    while (buffered.Count <= threshold && rows.MoveNext()) buffered.Add(rows.Current);
                }
                catch
                {
                    rows.Dispose();
                    throw;
                }

                if (buffered.Count <= threshold)
                {
                    rows.Dispose();
                    sheets.Add(SheetRows.Buffered(plan, buffered));
                }
                else
                {
                    sheets.Add(SheetRows.Streamed(plan, buffered, rows));
                    streaming = true;
                }
            }

            if (streaming)
            {
                await StreamedWorkbook.WriteAsync(document, sheets, sheetNames, tableNames, options.MaxRowsPerSheet, destination, ct);
            }
            else
            {
                WriteWithClosedXml(document, sheets, destination, ct);
            }
        }
        finally
        {
            foreach (var sheet in sheets) sheet.Dispose();
        }
    }

    private static void WriteWithClosedXml(WorkbookDocument document, List<SheetRows> sheets, Stream destination, CancellationToken ct)
    {
        var about = AboutSheet(document, []);
        using var workbook = new XLWorkbook();
        workbook.Properties.Title = CellText.ForCell(document.Title);
        var aboutSheet = AddSheet(workbook, about, about.Source.Rows.ToList(), ct);
        aboutSheet.Column(2).Style.Alignment.WrapText = true;
        aboutSheet.Columns(1, 2).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        foreach (var sheet in sheets)
        {
            ct.ThrowIfCancellationRequested();
            AddSheet(workbook, sheet.Plan, sheet.BufferedRows, ct);
        }

        workbook.SaveAs(destination);
    }

    /// <summary>The About sheet: the report's title, the document's entries, then any notes of the writer's own.</summary>
    internal static SheetPlan AboutSheet(WorkbookDocument document, IReadOnlyList<AboutEntry> notes)
    {
        var words = document.WordsOrEnglish;
        WorkbookColumn[] columns = [new(words.Item, CellType.Text, "", 28), new(words.Value, CellType.Text, "", 100)];
        IEnumerable<object?[]> rows = [[words.Report, document.Title], .. document.About.Concat(notes).Select(e => new object?[] { e.Label, e.Value })];
        var source = new WorkbookSheet(words.AboutSheet, WorkbookWords.AboutTable, columns, rows, FreezeHeader: false);
        return new SheetPlan(words.AboutSheet, WorkbookWords.AboutTable, ExcelNames.Headers(columns.Select(c => c.Header)), source);
    }

    /// <summary>A sheet with its header, column widths and styles, frozen pane and table, and its rows (a table over no
    /// rows spans the header and one empty row).</summary>
    private static IXLWorksheet AddSheet(XLWorkbook workbook, SheetPlan plan, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var sheet = workbook.Worksheets.Add(plan.Name);
        var columns = plan.Source.Columns;
        for (var i = 0; i < columns.Count; i++)
        {
            var column = sheet.Column(i + 1);
            column.Width = columns[i].Width;
            if (!string.IsNullOrEmpty(columns[i].NumberFormat)) column.Style.NumberFormat.Format = columns[i].NumberFormat;
            var header = sheet.Cell(1, i + 1);
            header.SetValue(plan.Headers[i]);
            header.DataType = XLDataType.Text;
            header.Style.Font.Bold = true;
        }

        if (plan.Source.FreezeHeader) sheet.SheetView.FreezeRows(1);
        for (var r = 0; r < rows.Count; r++)
        {
            if ((r & 1023) == 0) ct.ThrowIfCancellationRequested();
            var values = plan.Check(rows[r], r);
            for (var i = 0; i < values.Length; i++)
            {
                SetCell(sheet.Cell(r + 2, i + 1), CellValue.From(values[i]));
            }
        }

        var table = sheet.Range(1, 1, Math.Max(2, rows.Count + 1), columns.Count).CreateTable(plan.TableName);
        table.Theme = XLTableTheme.TableStyleMedium2;
        table.ShowAutoFilter = true;
        return sheet;
    }

    private static void SetCell(IXLCell cell, CellValue value)
    {
        switch (value.Kind)
        {
            case CellKind.Text:
                // SetValue, not Value: the Value setter turns a leading '=' into a formula (ClosedXML 0.95).
                cell.SetValue(value.Text);
                cell.DataType = XLDataType.Text;
                break;
            case CellKind.Number:
                cell.SetValue(value.Number);
                break;
            case CellKind.Date:
                cell.SetValue(value.DateValue);
                break;
            case CellKind.Boolean:
                cell.SetValue(value.Number != 0);
                break;
            case CellKind.Empty:
            default:
                break;
        }
    }

}

/// <summary>Tuning for tests and benchmarks; the defaults are the production values.</summary>
/// <param name="StreamingRowThreshold">Sheets with more rows are streamed. ClosedXML's cost grows with the cells it holds
/// (measured: 100,000 rows × 3 columns take 6.1 s and 535 MB); summaries and ledgers stay well below the threshold.</param>
/// <param name="MaxRowsPerSheet">Rows below the header before a streamed sheet continues on the next numbered one:
/// Excel's grid (tests lower it to check the split on a few rows).</param>
internal sealed record WorkbookWriterOptions(int StreamingRowThreshold = 20_000, int MaxRowsPerSheet = WorkbookWriter.MaxDataRows);

/// <summary>A sheet with its names made valid: Excel's sheet name, table name and table column names.</summary>
internal sealed record SheetPlan(string Name, string TableName, IReadOnlyList<string> Headers, WorkbookSheet Source)
{
    public object?[] Check(object?[] row, int index) => row.Length <= Source.Columns.Count
        ? row
        : throw new ArgumentException(
            $"Row {index + 1} of sheet '{Name}' has {row.Length} values for {Source.Columns.Count} columns.", nameof(row));
}

/// <summary>
/// A sheet's rows as the writer reads them: all of them buffered (a small sheet); those read while deciding, then the rest
/// of the same enumeration (the first large sheet); or, for the sheets after it, their whole enumeration, started only
/// when their turn comes.
/// </summary>
internal sealed class SheetRows : IDisposable
{
    private readonly List<object?[]> _buffered;
    private readonly bool _later;
    private IEnumerator<object?[]>? _rest;

    private SheetRows(SheetPlan plan, List<object?[]> buffered, IEnumerator<object?[]>? rest, bool later)
    {
        Plan = plan;
        _buffered = buffered;
        _rest = rest;
        _later = later;
    }

    public SheetPlan Plan { get; }

    /// <summary>The rows of a sheet read whole while deciding (empty for the others).</summary>
    public IReadOnlyList<object?[]> BufferedRows => _buffered;

    /// <summary>How many rows the sheet has, when that is known without reading them (a buffered sheet, or rows given
    /// as a collection, as the report builder gives them).</summary>
    public int? KnownCount => !_later && _rest is null
        ? _buffered.Count
        : Plan.Source.Rows.TryGetNonEnumeratedCount(out var count) ? count
        : Plan.Source.Rows is IReadOnlyCollection<object?[]> collection ? collection.Count
        : null;

    public static SheetRows Buffered(SheetPlan plan, List<object?[]> rows) => new(plan, rows, null, later: false);

    public static SheetRows Streamed(SheetPlan plan, List<object?[]> buffered, IEnumerator<object?[]> rest) => new(plan, buffered, rest, later: false);

    public static SheetRows Later(SheetPlan plan) => new(plan, [], null, later: true);

    public IEnumerable<object?[]> Rows()
    {
        if (_later)
        {
            foreach (var row in Plan.Source.Rows) yield return row;
            yield break;
        }

        foreach (var row in _buffered) yield return row;
        _buffered.Clear();
        while (_rest is not null && _rest.MoveNext()) yield return _rest.Current;
        Dispose();
    }

    public void Dispose()
    {
        _rest?.Dispose();
        _rest = null;
    }
}
