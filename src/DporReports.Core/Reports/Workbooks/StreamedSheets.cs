using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using DocumentFormat.OpenXml.Packaging;

namespace DporReports.Core.Reports.Workbooks;

/// <summary>
/// Streams the rows of large sheets into the workbook ClosedXML saved with their frames: the package is copied entry by
/// entry, and each large sheet's worksheet part is rewritten with a forward-only XML reader and writer — ClosedXML's
/// markup kept as it is (namespaces, sheet view, columns, table part) and its header row followed by the rows, written as
/// they are read. Cells take the style ClosedXML gave their column, so number formats match the small sheets'; text is an
/// inline string (never a formula); the table part's range is then set to the rows written.
/// </summary>
internal static class StreamedSheets
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        // Entitize keeps "\r\n" and "\n" in cell text as they are instead of rewriting line breaks.
        NewLineHandling = NewLineHandling.Entitize,
        CloseOutput = false,
    };

    public static void Write(Stream frame, Stream destination, IReadOnlyList<StreamedSheet> sheets, CancellationToken ct)
    {
        var parts = LocateParts(frame, sheets);
        var rewritten = parts.Values.SelectMany(p => new[] { p.Worksheet, p.Table }).ToHashSet(StringComparer.Ordinal);

        frame.Position = 0;
        using var source = new ZipArchive(frame, ZipArchiveMode.Read, leaveOpen: true);
        using var target = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries.Where(e => !rewritten.Contains(e.FullName)))
        {
            using var from = entry.Open();
            using var to = target.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
            from.CopyTo(to);
        }

        foreach (var sheet in sheets)
        {
            var (worksheetPath, tablePath) = parts[sheet.Plan.Name];
            string frameXml;
            using (var reader = new StreamReader(source.GetEntry(worksheetPath)!.Open(), Encoding.UTF8))
            {
                frameXml = reader.ReadToEnd();
            }

            int lastRow;
            using (var output = target.CreateEntry(worksheetPath, CompressionLevel.Optimal).Open())
            {
                lastRow = WriteWorksheet(frameXml, output, sheet, ct);
            }

            XDocument table;
            using (var input = source.GetEntry(tablePath)!.Open())
            {
                table = XDocument.Load(input);
            }

            var range = $"A1:{ExcelNames.ColumnLetters(sheet.Plan.Source.Columns.Count)}{Math.Max(2, lastRow)}";
            table.Root!.SetAttributeValue("ref", range);
            table.Root.Element(XName.Get("autoFilter", Main))?.SetAttributeValue("ref", range);
            using var tableEntry = target.CreateEntry(tablePath, CompressionLevel.Optimal).Open();
            using var tableOutput = XmlWriter.Create(tableEntry, WriterSettings);
            table.Save(tableOutput);
        }
    }

    /// <summary>Zip entry names of each streamed sheet's worksheet part and (only) table part.</summary>
    private static Dictionary<string, (string Worksheet, string Table)> LocateParts(Stream frame, IReadOnlyList<StreamedSheet> sheets)
    {
        frame.Position = 0;
        using var document = SpreadsheetDocument.Open(frame, isEditable: false);
        var workbook = document.WorkbookPart!;
        var names = sheets.Select(s => s.Plan.Name).ToHashSet(StringComparer.Ordinal);
        var parts = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>())
        {
            if (!names.Contains(sheet.Name!.Value!)) continue;
            var worksheet = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var table = worksheet.TableDefinitionParts.Single();
            parts[sheet.Name.Value!] = (EntryName(worksheet.Uri), EntryName(table.Uri));
        }

        return parts;
    }

    private static string EntryName(Uri partUri) => partUri.OriginalString.TrimStart('/');

    /// <summary>Copies the frame's worksheet, replacing its data rows by the sheet's rows; returns the last row number.</summary>
    private static int WriteWorksheet(string frameXml, Stream output, StreamedSheet sheet, CancellationToken ct)
    {
        using var reader = XmlReader.Create(new StringReader(frameXml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        using var writer = XmlWriter.Create(output, WriterSettings);
        reader.MoveToContent();
        writer.WriteStartDocument(standalone: true);
        writer.WriteStartElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
        writer.WriteAttributes(reader, defattr: true);
        var lastRow = 1;
        reader.Read();
        while (!reader.EOF && reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
            }
            else if (reader.LocalName == "dimension")
            {
                // It precedes the rows, whose count is known only at the end; the element is optional and a reader
                // that needs it computes it.
                reader.Skip();
            }
            else if (reader.LocalName == "sheetData")
            {
                lastRow = WriteSheetData(reader, writer, sheet, ColumnStyles(frameXml, sheet.Plan.Source.Columns.Count), ct);
            }
            else
            {
                writer.WriteNode(reader, defattr: true);
            }
        }

        writer.WriteEndElement();
        writer.WriteEndDocument();
        return lastRow;
    }

    private static int WriteSheetData(XmlReader reader, XmlWriter writer, StreamedSheet sheet, int[] styles, CancellationToken ct)
    {
        var (prefix, ns) = (reader.Prefix, reader.NamespaceURI);
        writer.WriteStartElement(prefix, "sheetData", ns);
        if (reader.IsEmptyElement)
        {
            reader.Read();
        }
        else
        {
            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement)
            {
                // The frame's header row stays as ClosedXML wrote it; its empty table row goes.
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "row" && reader.GetAttribute("r") == "1") writer.WriteNode(reader, defattr: true);
                else reader.Skip();
            }

            reader.Read();
        }

        var columns = sheet.Plan.Source.Columns.Count;
        var letters = Enumerable.Range(1, columns).Select(ExcelNames.ColumnLetters).ToArray();
        var rowNumber = 1;
        foreach (var row in sheet.Rows())
        {
            if (rowNumber > WorkbookWriter.MaxDataRows) throw WorkbookWriter.TooManyRows(sheet.Plan);
            var values = sheet.Plan.Check(row, rowNumber - 1);
            rowNumber++;
            if ((rowNumber & 1023) == 0) ct.ThrowIfCancellationRequested();
            writer.WriteStartElement(prefix, "row", ns);
            writer.WriteStartAttribute("r");
            writer.WriteValue(rowNumber);
            writer.WriteEndAttribute();
            for (var i = 0; i < values.Length; i++)
            {
                var value = CellValue.From(values[i]);
                if (value.Kind == CellKind.Empty) continue;
                writer.WriteStartElement(prefix, "c", ns);
                writer.WriteStartAttribute("r");
                writer.WriteString(letters[i]);
                writer.WriteValue(rowNumber);
                writer.WriteEndAttribute();
                if (styles[i] != 0)
                {
                    writer.WriteStartAttribute("s");
                    writer.WriteValue(styles[i]);
                    writer.WriteEndAttribute();
                }

                WriteValue(writer, prefix, ns, value);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        return rowNumber;
    }

    private static void WriteValue(XmlWriter writer, string prefix, string ns, CellValue value)
    {
        switch (value.Kind)
        {
            case CellKind.Text:
                // An inline string: a value, never a formula, whatever it starts with.
                writer.WriteAttributeString("t", "inlineStr");
                writer.WriteStartElement(prefix, "is", ns);
                writer.WriteStartElement(prefix, "t", ns);
                var text = value.Text!;
                if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
                {
                    writer.WriteAttributeString("xml", "space", null, "preserve");
                }

                writer.WriteString(text);
                writer.WriteEndElement();
                writer.WriteEndElement();
                break;
            case CellKind.Boolean:
                writer.WriteAttributeString("t", "b");
                writer.WriteElementString(prefix, "v", ns, value.Number != 0 ? "1" : "0");
                break;
            case CellKind.Number:
            case CellKind.Date:
            case CellKind.Empty:
            default:
                writer.WriteStartElement(prefix, "v", ns);
                writer.WriteValue(value.Number);
                writer.WriteEndElement();
                break;
        }
    }

    /// <summary>The style index ClosedXML gave each column (<c>&lt;col min max style&gt;</c>), 0 where none.</summary>
    private static int[] ColumnStyles(string frameXml, int columns)
    {
        var styles = new int[columns];
        var cols = XDocument.Parse(frameXml).Root!.Element(XName.Get("cols", Main));
        foreach (var col in cols?.Elements(XName.Get("col", Main)) ?? [])
        {
            var style = (int?)col.Attribute("style") ?? 0;
            for (var c = (int)col.Attribute("min")!; c <= Math.Min(columns, (int)col.Attribute("max")!); c++) styles[c - 1] = style;
        }

        return styles;
    }
}
