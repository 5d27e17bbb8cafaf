using System.Xml.Linq;
using ClosedXML.Excel;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DporReports.Core.Reports.Workbooks;

namespace DporReports.UnitTests.Reports.Workbooks;

/// <summary>A written workbook, opened the ways a reader would: ClosedXML, the OpenXML validator, and the raw parts.</summary>
internal sealed class WorkbookFile(byte[] bytes) : IDisposable
{
    private XLWorkbook? _workbook;

    /// <summary>The two paths of the writer: ClosedXML for every sheet, or every sheet streamed.</summary>
    public static TheoryData<string> Paths => new() { ClosedXml, Streamed };

    public const string ClosedXml = "closedxml";
    public const string Streamed = "streamed";

    public byte[] Bytes { get; } = bytes;

    public XLWorkbook Workbook => _workbook ??= new XLWorkbook(new MemoryStream(Bytes));

    public static async Task<WorkbookFile> WriteAsync(WorkbookDocument document, string path = ClosedXml, CancellationToken ct = default)
    {
        using var output = new MemoryStream();
        var options = new WorkbookWriterOptions(path == Streamed ? 0 : int.MaxValue);
        await WorkbookWriter.WriteAsync(document, output, options, ct);
        return new WorkbookFile(output.ToArray());
    }

    public static Task<WorkbookFile> WriteAsync(WorkbookSheet sheet, string path = ClosedXml) =>
        WriteAsync(new WorkbookDocument("Test report", [], [sheet]), path);

    public IXLWorksheet Sheet(string name) => Workbook.Worksheet(name);

    /// <summary>What Excel would complain about when opening the file, against the given Office version's schemas.</summary>
    public IReadOnlyList<string> ValidationErrors(FileFormatVersions version)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(Bytes), isEditable: false);
        return new OpenXmlValidator(version).Validate(document)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")
            .ToList();
    }

    /// <summary>The worksheet part's XML as written.</summary>
    public string SheetXml(string name)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(Bytes), isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == name);
        using var reader = new StreamReader(workbook.GetPartById(sheet.Id!.Value!).GetStream());
        return reader.ReadToEnd();
    }

    /// <summary>A cell's element as written: found by its <c>r</c> reference, or by its position where cells carry none
    /// (the streamed path leaves them out: they are optional, and defeat compression).</summary>
    public XElement CellXml(string sheet, int row, int column)
    {
        var rows = XDocument.Parse(SheetXml(sheet)).Descendants().Where(e => e.Name.LocalName == "row").ToList();
        var rowElement = rows.Single(r => (int?)r.Attribute("r") == row);
        var position = 0;
        foreach (var cell in rowElement.Elements().Where(e => e.Name.LocalName == "c"))
        {
            var reference = (string?)cell.Attribute("r");
            position = reference is null ? position + 1 : ColumnOf(reference);
            if (position == column) return cell;
        }

        throw new InvalidOperationException($"Row {row} of '{sheet}' has no cell in column {column}.");

        static int ColumnOf(string reference) => reference.TakeWhile(char.IsAsciiLetter).Aggregate(0, (n, c) => (n * 26) + (char.ToUpperInvariant(c) - 'A' + 1));
    }

    public void Dispose() => _workbook?.Dispose();
}
