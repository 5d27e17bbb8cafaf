namespace DporReports.Core.Reports.Workbooks;

/// <summary>How a column's values are meant: decides nothing about a cell's value (its runtime type does), only the
/// column's style. Percent values are fractions (0.42 shows as 42 % with a <c>0%</c> format).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name",
    Justification = "The report catalog's column types: integer and decimal are what the columns hold.")]
public enum CellType { Text, Integer, Decimal, Percent, Date, DateTime }

/// <param name="Header">The header cell and table column name (made unique within the sheet).</param>
/// <param name="Type">What the column holds.</param>
/// <param name="NumberFormat">An Excel number format code (<c>#,##0</c>, <c>0.0%</c>, <c>yyyy-mm-dd</c>); empty for General.</param>
/// <param name="Width">Column width in Excel's character units, set as is (never measured: that needs GDI).</param>
public sealed record WorkbookColumn(string Header, CellType Type, string NumberFormat, double Width);

/// <summary>One sheet, written as one named Excel table over a header row and the rows.</summary>
/// <param name="Name">Shown on the tab; cleaned to Excel's rules (31 characters, no <c>[]:*?/\</c>) and made unique.</param>
/// <param name="TableName">The table's name; cleaned to Excel's rules (letters, digits, <c>_</c> and <c>.</c>, not a
/// cell reference) and made unique in the workbook.</param>
/// <param name="Columns">Header, type, number format and width of each column, in order.</param>
/// <param name="Rows">Values in column order: <see cref="string"/> (always a text value, never a formula), integers,
/// <see cref="decimal"/>/<see cref="double"/>, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/> (its clock time as
/// given: convert to the reader's zone first), <see cref="bool"/>, <see cref="Guid"/> (as text) or null (empty cell).
/// Enumerated exactly once, sheet after sheet, each enumerator disposed before the next sheet's starts.</param>
/// <param name="FreezeHeader">Keeps the header row in view while scrolling.</param>
public sealed record WorkbookSheet(
    string Name, string TableName, IReadOnlyList<WorkbookColumn> Columns, IEnumerable<object?[]> Rows, bool FreezeHeader = true);

public sealed record AboutEntry(string Label, string Value);

/// <summary>
/// A workbook: an "About" sheet first (a title row, then the entries as a label/value table), then the sheets. Its
/// <c>Words</c> are the writer's own words in the workbook's language; English when left out.
/// </summary>
public sealed record WorkbookDocument(string Title, IReadOnlyList<AboutEntry> About, IReadOnlyList<WorkbookSheet> Sheets, WorkbookWords? Words = null)
{
    public WorkbookWords WordsOrEnglish => Words ?? WorkbookWords.English;
}

/// <summary>
/// The texts the writer adds itself, in the workbook's language: the About sheet's name, its column headers and the
/// "Report" label, and the notes on a sheet too large for one Excel sheet. Whole sentences with placeholders, so a
/// language need not follow English word order. <c>SheetLabel</c>: {0} is the sheet's name; <c>SplitNote</c>: {0} rows, {1}
/// Excel's rows per sheet, {2} how many sheets, {3} their names; <c>StreamedNote</c>: {0} Excel's rows per sheet, {1} the
/// first numbered sheet's name; <c>Numbers</c>: how the notes write their counts.
/// </summary>
public sealed record WorkbookWords(string AboutSheet, string Item, string Value, string Report, string SheetLabel, string SplitNote,
    string StreamedNote, System.Globalization.CultureInfo Numbers)
{
    /// <summary>The About sheet's table name: the same in every language (a name for formulas and tools, not for readers).</summary>
    public const string AboutTable = "About";

    public static readonly WorkbookWords English = new("About", "Item", "Value", "Report", "Sheet \"{0}\"",
        "{0} rows, more than an Excel sheet holds ({1} below the header): split in order across {2} sheets, {3}.",
        "Streamed: past {0} rows (what an Excel sheet holds below the header) its rows continue in order on numbered sheets, {1} and on.",
        System.Globalization.CultureInfo.InvariantCulture);
}
