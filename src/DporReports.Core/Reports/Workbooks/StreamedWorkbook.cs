using System.Globalization;
using SpreadCheetah;
using SpreadCheetah.Metadata;
using SpreadCheetah.Styling;
using SpreadCheetah.Tables;
using SpreadCheetah.Worksheets;

namespace DporReports.Core.Reports.Workbooks;

/// <summary>
/// A whole workbook written through SpreadCheetah, each row as it is read: memory stays flat in the number of rows, and
/// cells carry no <c>r="A2"</c> references, which defeat deflate. Same sheets as the ClosedXML path: bold header, each
/// column's number format and width, frozen header, one named table per sheet, text always a value (inline strings,
/// never a formula). A sheet with more rows than Excel's grid holds continues on sheets named "Name (2)", "Name (3)", …,
/// each with its header and its own table, and the About sheet (first) says so.
/// </summary>
internal static class StreamedWorkbook
{
    // Excel's column width in the file counts 5 px of padding beside the characters: 5/7 of Calibri 11's digit width.
    private const double ExcelCellPadding = 0.710625;

    public static async Task WriteAsync(WorkbookDocument document, IReadOnlyList<SheetRows> sheets, ISet<string> sheetNames,
        ISet<string> tableNames, int maxRowsPerSheet, Stream destination, CancellationToken ct)
    {
        // The About sheet comes first and names the sheets a large one is split across, so those names (and the count of
        // rows, when the rows come as a collection) are settled before anything is written.
        var parts = sheets.Select(s => new SheetParts(s.Plan, s.KnownCount, maxRowsPerSheet, sheetNames, tableNames)).ToList();
        var about = WorkbookWriter.AboutSheet(document, [.. parts.SelectMany(p => p.Notes(document.WordsOrEnglish))]);

        var options = new SpreadCheetahOptions
        {
            // Scheduled workbooks go out as mail attachments, capped at 5 MiB: size matters more than the seconds.
            CompressionLevel = SpreadCheetahCompressionLevel.Optimal,
            PreserveStringWhitespace = true,
            DocumentProperties = new DocumentProperties { Title = CellText.ForCell(document.Title) },
        };
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(destination, options, ct);
        var header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        var formats = new Dictionary<string, ColumnStyle>(StringComparer.Ordinal);
        ColumnStyle? Format(string numberFormat) => string.IsNullOrEmpty(numberFormat)
            ? null
            : formats.TryGetValue(numberFormat, out var known) ? known
            : formats[numberFormat] = ColumnStyle.Add(spreadsheet, new Style { Format = NumberFormat.Custom(numberFormat) });

        ColumnStyle?[] aboutStyles =
        [
            ColumnStyle.Add(spreadsheet, new Style { Alignment = { Vertical = VerticalAlignment.Top } }),
            ColumnStyle.Add(spreadsheet, new Style { Alignment = { Vertical = VerticalAlignment.Top, WrapText = true } }),
        ];
        var aboutParts = new SheetParts(about, about.Source.Rows.Count(), maxRowsPerSheet, new HashSet<string>(), new HashSet<string>());
        await WriteSheetAsync(spreadsheet, aboutParts, about.Source.Rows, header, aboutStyles, ct);
        for (var i = 0; i < sheets.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            ColumnStyle?[] styles = [.. sheets[i].Plan.Source.Columns.Select(c => Format(c.NumberFormat))];
            await WriteSheetAsync(spreadsheet, parts[i], sheets[i].Rows(), header, styles, ct);
        }

        await spreadsheet.FinishAsync(ct);
    }

    private static async Task WriteSheetAsync(Spreadsheet spreadsheet, SheetParts parts, IEnumerable<object?[]> rows, StyleId header,
        ColumnStyle?[] columnStyles, CancellationToken ct)
    {
        var plan = parts.Plan;
        var styles = columnStyles.Select(s => s?.Id).ToArray();
        string[] headers = [.. plan.Headers];
        var cells = new Cell[plan.Source.Columns.Count];
        var part = 0;
        var rowsInPart = 0;
        var index = 0;
        await StartPartAsync();
        foreach (var row in rows)
        {
            if (rowsInPart == parts.MaxRows)
            {
                part++;
                rowsInPart = 0;
                await StartPartAsync();
            }

            if ((index & 1023) == 0) ct.ThrowIfCancellationRequested();
            var values = plan.Check(row, index++);
            for (var i = 0; i < cells.Length; i++) cells[i] = i < values.Length ? ToCell(CellValue.From(values[i]), styles[i]) : default;
            await spreadsheet.AddRowAsync(cells, ct);
            rowsInPart++;
        }

        // A table needs a data row: an empty one, as the ClosedXML path writes it.
        if (rowsInPart == 0) await spreadsheet.AddRowAsync(Array.Empty<Cell>(), ct);

        async Task StartPartAsync()
        {
            var (name, table) = parts.Part(part);
            var worksheet = new WorksheetOptions { FrozenRows = plan.Source.FreezeHeader ? 1 : null };
            for (var i = 0; i < cells.Length; i++)
            {
                var column = worksheet.Column(i + 1);
                // The file holds a width with Excel's cell padding added, as ClosedXML writes it: the same column shows
                // the same width whichever path wrote it.
                column.Width = Math.Min(255, plan.Source.Columns[i].Width + ExcelCellPadding);
                column.DefaultStyle = columnStyles[i]?.Style; // what a value typed into an empty cell gets
            }

            await spreadsheet.StartWorksheetAsync(name, worksheet, ct);
            spreadsheet.StartTable(new Table(TableStyle.Medium2, table));
            await spreadsheet.AddHeaderRowAsync(headers, header, ct);
        }
    }

    private static Cell ToCell(CellValue value, StyleId? style) => value.Kind switch
    {
        CellKind.Text => new Cell(value.Text, style),
        CellKind.Number => new Cell(value.Number, style),
        CellKind.Date => new Cell(value.DateValue, style),
        CellKind.Boolean => new Cell(value.Number != 0, style),
        CellKind.Empty => default,
        _ => default,
    };

    /// <summary>A column's style, as a cell refers to it (its id) and as the column's default (the style itself).</summary>
    private sealed record ColumnStyle(Style Style, StyleId Id)
    {
        public static ColumnStyle Add(Spreadsheet spreadsheet, Style style) => new(style, spreadsheet.AddStyle(style));
    }

    /// <summary>The sheets (and their tables) one sheet's rows go to: the first as planned, then numbered ones.</summary>
    private sealed class SheetParts(SheetPlan plan, int? knownCount, int maxRows, ISet<string> sheetNames, ISet<string> tableNames)
    {
        private readonly List<(string Sheet, string Table)> _parts = Settle(plan, knownCount, maxRows, sheetNames, tableNames);

        public SheetPlan Plan { get; } = plan;

        public int MaxRows { get; } = maxRows;

        /// <summary>The part's names; a part past those settled in advance (rows of unknown count) is named when reached,
        /// after every other name was taken, so it cannot clash.</summary>
        public (string Sheet, string Table) Part(int index)
        {
            while (_parts.Count <= index) _parts.Add(NumberedPart(Plan, _parts.Count + 1, sheetNames, tableNames));
            return _parts[index];
        }

        public IEnumerable<AboutEntry> Notes(WorkbookWords words)
        {
            var limit = MaxRows.ToString("N0", words.Numbers);
            var label = string.Format(CultureInfo.InvariantCulture, words.SheetLabel, Plan.Name);
            if (_parts.Count > 1)
            {
                yield return new AboutEntry(label, string.Format(CultureInfo.InvariantCulture, words.SplitNote, knownCount!.Value.ToString("N0", words.Numbers),
                    limit, _parts.Count.ToString(words.Numbers), string.Join(", ", _parts.Select(p => $"\"{p.Sheet}\""))));
            }
            else if (knownCount is null)
            {
                yield return new AboutEntry(label, string.Format(CultureInfo.InvariantCulture, words.StreamedNote, limit, $"\"{Plan.Name} (2)\""));
            }
        }

        private static List<(string, string)> Settle(SheetPlan plan, int? knownCount, int maxRows, ISet<string> sheetNames, ISet<string> tableNames)
        {
            List<(string, string)> parts = [(plan.Name, plan.TableName)];
            var count = Math.Max(1, (int)(((long)(knownCount ?? 0) + maxRows - 1) / maxRows));
            while (parts.Count < count) parts.Add(NumberedPart(plan, parts.Count + 1, sheetNames, tableNames));
            return parts;
        }

        private static (string, string) NumberedPart(SheetPlan plan, int number, ISet<string> sheetNames, ISet<string> tableNames)
        {
            // The number survives Excel's 31-character limit: the name is shortened before it, not after.
            var suffix = $" ({number})";
            var name = plan.Name[..Math.Min(plan.Name.Length, 31 - suffix.Length)] + suffix;
            return (ExcelNames.SheetName(name, sheetNames), ExcelNames.TableName($"{plan.TableName}_{number}", tableNames));
        }
    }
}
