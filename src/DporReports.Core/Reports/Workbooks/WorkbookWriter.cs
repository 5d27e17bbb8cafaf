using ClosedXML.Excel;

namespace DporReports.Core.Reports.Workbooks;

/// <summary>
/// Rows in, .xlsx out. Small sheets are built with ClosedXML; from the first sheet over
/// <see cref="WorkbookWriterOptions.StreamingRowThreshold"/> rows on, ClosedXML builds only each sheet's frame (header,
/// column styles and widths, frozen pane, table) and the rows are streamed into that frame (<see cref="StreamedSheets"/>):
/// ClosedXML holds every cell in memory and needs ~23 s and 2.3 GB for a 450,000-row sheet, the stream a few seconds.
/// </summary>
public static class WorkbookWriter
{
    public const string AboutSheetName = "About";

    // Excel's grid: 1,048,576 rows including the header.
    internal const int MaxDataRows = 1_048_575;

    public static Task WriteAsync(WorkbookDocument document, Stream output, CancellationToken ct) =>
        WriteAsync(document, output, new WorkbookWriterOptions(), ct);

    internal static async Task WriteAsync(WorkbookDocument document, Stream output, WorkbookWriterOptions options, CancellationToken ct)
    {
        // Built in memory (the package is compressed: a few MB for the largest report) and then copied, so the output
        // may be any stream, including one that only takes asynchronous writes, and never receives half a workbook.
        using var buffer = new MemoryStream();
        Build(document, buffer, options, ct);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
    }

    private static void Build(WorkbookDocument document, Stream destination, WorkbookWriterOptions options, CancellationToken ct)
    {
        var sheetNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { AboutSheetName };
        var tableNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { AboutSheetName };
        var about = AboutSheet(document);
        var plans = document.Sheets
            .Select(s => new SheetPlan(ExcelNames.SheetName(s.Name, sheetNames), ExcelNames.TableName(s.TableName, tableNames),
                ExcelNames.Headers(s.Columns.Select(c => c.Header)), s))
            .ToList();

        using var workbook = new XLWorkbook();
        workbook.Properties.Title = CellText.ForCell(document.Title);
        var aboutSheet = AddSheet(workbook, about, about.Source.Rows.ToList(), ct);
        aboutSheet.Column(2).Style.Alignment.WrapText = true;
        aboutSheet.Columns(1, 2).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;

        var streamed = new List<StreamedSheet>();
        try
        {
            foreach (var plan in plans)
            {
                ct.ThrowIfCancellationRequested();
                if (streamed.Count > 0)
                {
                    // Once one sheet streams, the ones after it stream too: their rows are read only after the large
                    // sheet's, so no two sheets' enumerations are ever open at once.
                    AddSheet(workbook, plan, [], ct);
                    streamed.Add(StreamedSheet.Later(plan));
                    continue;
                }

                var rows = plan.Source.Rows.GetEnumerator();
                var buffered = new List<object?[]>();
                try
                {
                    while (buffered.Count <= options.StreamingRowThreshold && rows.MoveNext()) buffered.Add(rows.Current);
                }
                catch
                {
                    rows.Dispose();
                    throw;
                }

                if (buffered.Count <= options.StreamingRowThreshold)
                {
                    rows.Dispose();
                    AddSheet(workbook, plan, buffered, ct);
                }
                else
                {
                    streamed.Add(new StreamedSheet(plan, buffered, rows)); // first, so that it is disposed whatever happens
                    AddSheet(workbook, plan, [], ct);
                }
            }

            if (streamed.Count == 0)
            {
                workbook.SaveAs(destination);
                return;
            }

            using var frame = new MemoryStream();
            workbook.SaveAs(frame);
            StreamedSheets.Write(frame, destination, streamed, ct);
        }
        finally
        {
            foreach (var sheet in streamed) sheet.Dispose();
        }
    }

    private static SheetPlan AboutSheet(WorkbookDocument document)
    {
        WorkbookColumn[] columns = [new("Item", CellType.Text, "", 28), new("Value", CellType.Text, "", 100)];
        IEnumerable<object?[]> rows = [["Report", document.Title], .. document.About.Select(e => new object?[] { e.Label, e.Value })];
        var source = new WorkbookSheet(AboutSheetName, AboutSheetName, columns, rows, FreezeHeader: false);
        return new SheetPlan(AboutSheetName, AboutSheetName, ExcelNames.Headers(columns.Select(c => c.Header)), source);
    }

    /// <summary>A sheet with its header, column widths and styles, frozen pane and table; with the rows given (none for
    /// the frame of a streamed sheet, whose table then spans the header and one empty row until the rows arrive).</summary>
    private static IXLWorksheet AddSheet(XLWorkbook workbook, SheetPlan plan, List<object?[]> rows, CancellationToken ct)
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
        if (rows.Count > MaxDataRows) throw TooManyRows(plan);
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

    internal static InvalidOperationException TooManyRows(SheetPlan plan) =>
        new($"Sheet '{plan.Name}' has more than {MaxDataRows:N0} rows, the most an Excel sheet holds.");
}

/// <summary>Tuning for tests and benchmarks; the defaults are the production values.</summary>
/// <param name="StreamingRowThreshold">Sheets with more rows are streamed. ClosedXML's cost grows with the cells it holds
/// (measured: 100,000 rows × 3 columns take 6.1 s and 535 MB); summaries and ledgers stay well below the threshold.</param>
internal sealed record WorkbookWriterOptions(int StreamingRowThreshold = 20_000);

/// <summary>A sheet with its names made valid: Excel's sheet name, table name and table column names.</summary>
internal sealed record SheetPlan(string Name, string TableName, IReadOnlyList<string> Headers, WorkbookSheet Source)
{
    public object?[] Check(object?[] row, int index) => row.Length <= Source.Columns.Count
        ? row
        : throw new ArgumentException(
            $"Row {index + 1} of sheet '{Name}' has {row.Length} values for {Source.Columns.Count} columns.", nameof(row));
}

/// <summary>A sheet whose rows are streamed: those read while deciding, then the rest of the same enumeration (or, for
/// the sheets after the first streamed one, their whole enumeration, started only when their turn comes).</summary>
internal sealed class StreamedSheet(SheetPlan plan, List<object?[]> buffered, IEnumerator<object?[]>? rest) : IDisposable
{
    private readonly bool _later = rest is null;
    private IEnumerator<object?[]>? _rest = rest;

    public SheetPlan Plan { get; } = plan;

    public static StreamedSheet Later(SheetPlan plan) => new(plan, [], null);

    public IEnumerable<object?[]> Rows()
    {
        if (_later)
        {
            foreach (var row in Plan.Source.Rows) yield return row;
            yield break;
        }

        foreach (var row in buffered) yield return row;
        buffered.Clear();
        while (_rest is not null && _rest.MoveNext()) yield return _rest.Current;
        Dispose();
    }

    public void Dispose()
    {
        _rest?.Dispose();
        _rest = null;
    }
}
