using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DporReports.Core.Reports.Catalog;

/// <summary>
/// Reads one definition file into records with plain C# rules (the shape reports/schema/report-definition.schema.json
/// documents), collecting every problem with its JSON path instead of stopping at the first.
/// </summary>
internal sealed partial class ReportDefinitionReader(string file, List<ReportCatalogProblem> problems)
{
    /// <summary>Excel's limit on a sheet name.</summary>
    public const int MaxSheetNameLength = 31;

    /// <summary>Excel's limit on a column width, in character units.</summary>
    public const double MaxWidth = 255;

    /// <summary>The workbook writer adds this sheet to every report (who, when, period, scope, freshness, definitions).</summary>
    public const string AboutSheetName = "About";

    /// <summary>The About sheet's name in a Spanish workbook.</summary>
    public const string SpanishAboutSheetName = "Acerca de";

    /// <summary>The block holding the Spanish of an object's shown texts.</summary>
    private const string SpanishBlock = "es";

    // Excel refuses these in a sheet name; "History" is reserved by Excel for change tracking.
    private static readonly char[] InvalidSheetNameChars = ['[', ']', ':', '*', '?', '/', '\\'];
    private const string ExcelReservedSheetName = "History";

    private static readonly Dictionary<string, ColumnType> TypesByName =
        Enum.GetValues<ColumnType>().ToDictionary(t => Name(t), StringComparer.Ordinal);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    /// <summary>The definition (null when the file has problems, which are added) and its id if it has a readable one.</summary>
    public static (ReportDefinition? Definition, string? Id) Read(string file, string json, List<ReportCatalogProblem> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add(new(file, e.Path ?? "$", $"is not valid JSON: {e.Message}"));
            return (null, null);
        }
        using (document)
        {
            return new ReportDefinitionReader(file, problems).Report(document.RootElement);
        }
    }

    /// <summary>The JSON spelling of a column type: text, integer, decimal, percent, date, dateTime.</summary>
    public static string Name(ColumnType type) => JsonNamingPolicy.CamelCase.ConvertName(type.ToString());

    private (ReportDefinition?, string?) Report(JsonElement root)
    {
        var before = problems.Count;
        if (root.ValueKind != JsonValueKind.Object)
        {
            Problem("$", "must be a JSON object (one report definition).");
            return (null, null);
        }
        Properties(root, "$", "$schema", "id", "title", "description", "es", "dataset", "sheets");

        var id = Text(root, "$", "id");
        if (id is not null)
        {
            if (!KebabCase().IsMatch(id))
                Problem("$.id", $"'{id}' is not kebab-case (lower-case letters and digits joined by single hyphens).");
            var expected = Path.GetFileNameWithoutExtension(file);
            if (id != expected)
                Problem("$.id", $"'{id}' does not match the file name: a report's id is its file name without .json ('{expected}').");
        }
        var title = Text(root, "$", "title");
        var description = Text(root, "$", "description");
        var spanish = Spanish(root, "$", "title", "description");
        var dataset = Text(root, "$", "dataset");
        if (dataset is not null && !ReportDatasets.Exists(dataset))
        {
            Problem("$.dataset", $"'{dataset}' is not a dataset; use one of: {string.Join(", ", ReportDatasets.All)}.");
            dataset = null; // field keys cannot be checked against an unknown dataset; one problem says it all
        }

        var sheets = new List<SheetDefinition>();
        if (Array(root, "$", "sheets") is { } array)
        {
            if (array.GetArrayLength() == 0) Problem("$.sheets", "must list at least one sheet.");
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var spanishNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var i = 0;
            foreach (var element in array.EnumerateArray())
            {
                if (Sheet(element, Index("$.sheets", i++), dataset, names, spanishNames) is { } sheet) sheets.Add(sheet);
            }
        }

        return problems.Count == before
            ? (new ReportDefinition(id!, title!, description!, dataset!, sheets, spanish!["title"]!, spanish["description"]!), id)
            : (null, id);
    }

    private SheetDefinition? Sheet(JsonElement sheet, string path, string? dataset, HashSet<string> names, HashSet<string> spanishNames)
    {
        if (!IsObject(sheet, path)) return null;
        Properties(sheet, path, "name", "title", "es", "freezeHeader", "columns", "sort");

        var name = Text(sheet, path, "name");
        if (name is not null) SheetName(name, path + ".name", names);
        var title = Text(sheet, path, "title");
        var spanish = Spanish(sheet, path, "name", "title");
        if (spanish?["name"] is { } spanishName) SheetName(spanishName, $"{path}.{SpanishBlock}.name", spanishNames);
        var freezeHeader = Bool(sheet, path, "freezeHeader");

        var columns = new List<ColumnDefinition>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (Array(sheet, path, "columns") is { } array)
        {
            if (array.GetArrayLength() == 0) Problem(path + ".columns", "must list at least one column.");
            var headers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var spanishHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var i = 0;
            foreach (var element in array.EnumerateArray())
            {
                if (Column(element, Index(path + ".columns", i++), dataset, keys, headers, spanishHeaders) is { } column) columns.Add(column);
            }
        }

        var sort = new List<SortDefinition>();
        if (sheet.TryGetProperty("sort", out var sortElement))
        {
            if (sortElement.ValueKind != JsonValueKind.Array)
            {
                Problem(path + ".sort", "must be an array of { key, direction }.");
            }
            else
            {
                var sorted = new HashSet<string>(StringComparer.Ordinal);
                var i = 0;
                foreach (var element in sortElement.EnumerateArray())
                {
                    if (Sort(element, Index(path + ".sort", i++), keys, sorted) is { } s) sort.Add(s);
                }
            }
        }

        return name is null || title is null || freezeHeader is null || spanish is null
            ? null
            : new SheetDefinition(name, title, freezeHeader.Value, columns, sort, spanish["name"]!, spanish["title"]!);
    }

    private void SheetName(string name, string path, HashSet<string> names)
    {
        if (name.Length > MaxSheetNameLength)
            Problem(path, $"'{name}' is {name.Length.ToString(CultureInfo.InvariantCulture)} characters long; Excel allows at most {MaxSheetNameLength.ToString(CultureInfo.InvariantCulture)}.");
        var invalid = name.Where(InvalidSheetNameChars.Contains).Distinct().ToList();
        if (invalid.Count > 0)
            Problem(path, $"'{name}' contains {string.Join(" ", invalid.Select(c => $"'{c}'"))}; Excel does not allow [ ] : * ? / \\ in a sheet name.");
        if (name.StartsWith('\'') || name.EndsWith('\''))
            Problem(path, $"'{name}' begins or ends with an apostrophe, which Excel does not allow.");
        if (string.Equals(name, AboutSheetName, StringComparison.OrdinalIgnoreCase) || string.Equals(name, SpanishAboutSheetName, StringComparison.OrdinalIgnoreCase))
            Problem(path, $"'{name}' is reserved: the workbook writer adds the About sheet to every report.");
        else if (string.Equals(name, ExcelReservedSheetName, StringComparison.OrdinalIgnoreCase))
            Problem(path, $"'{name}' is reserved by Excel.");
        if (!names.Add(name))
            Problem(path, $"'{name}' is a duplicate: another sheet of this report has that name (Excel ignores case in sheet names).");
    }

    private ColumnDefinition? Column(JsonElement column, string path, string? dataset, HashSet<string> keys, HashSet<string> headers,
        HashSet<string> spanishHeaders)
    {
        if (!IsObject(column, path)) return null;
        Properties(column, path, "key", "header", "es", "metric", "type", "format", "width");

        var key = Text(column, path, "key");
        DatasetField? field = null;
        if (key is not null)
        {
            if (!keys.Add(key)) Problem(path + ".key", $"'{key}' is a duplicate: the sheet already has a column for that field.");
            if (dataset is not null && (field = ReportDatasets.Field(dataset, key)) is null)
                Problem(path + ".key", $"'{key}' is not a field of dataset '{dataset}'{Suggestion(dataset, key)}.");
        }

        var header = Text(column, path, "header");
        if (header is not null && !headers.Add(header))
            Problem(path + ".header", $"'{header}' is a duplicate: a sheet's table needs unique headers.");
        var spanish = Spanish(column, path, "header");
        if (spanish?["header"] is { } spanishHeader && !spanishHeaders.Add(spanishHeader))
            Problem($"{path}.{SpanishBlock}.header", $"'{spanishHeader}' is a duplicate: a sheet's table needs unique headers.");

        var metric = OptionalText(column, path, "metric");
        if (metric is not null)
        {
            if (!ReportMetrics.All.Contains(metric, StringComparer.Ordinal))
                Problem(path + ".metric", $"'{metric}' is not a metric defined in reports/README.md; use one of: {string.Join(", ", ReportMetrics.All)}.");
            else if (field is not null && field.Metric != metric)
                Problem(path + ".metric", field.Metric is null
                    ? $"'{metric}' does not fit: field '{key}' carries no metric; leave 'metric' out."
                    : $"'{metric}' does not fit: field '{key}' carries the metric '{field.Metric}'.");
        }

        ColumnType? type = null;
        if (Text(column, path, "type") is { } typeName)
        {
            if (TypesByName.TryGetValue(typeName, out var parsed)) type = parsed;
            else Problem(path + ".type", $"'{typeName}' is not a column type; use one of: {string.Join(", ", TypesByName.Keys)}.");
        }
        if (type is { } t && field is not null && t != field.Type)
            Problem(path + ".type", $"'{Name(t)}' does not match field '{key}', whose values are {Name(field.Type)}.");

        var format = Text(column, path, "format");
        if (format is not null && type is { } declared && FormatProblem(declared, format) is { } formatProblem)
            Problem(path + ".format", $"'{format}' does not fit type '{Name(declared)}': {formatProblem}.");

        double? width = null;
        if (!column.TryGetProperty("width", out var widthElement))
            Problem(path, "'width' is required: column widths are explicit (Excel character units).");
        else if (widthElement.ValueKind != JsonValueKind.Number)
            Problem(path + ".width", "must be a number (Excel character units).");
        else if (widthElement.GetDouble() is var w && w is <= 0 or > MaxWidth)
            Problem(path + ".width", $"{w.ToString(CultureInfo.InvariantCulture)} is out of range: more than 0 and at most {MaxWidth.ToString(CultureInfo.InvariantCulture)} (Excel's limit).");
        else
            width = w;

        return key is null || header is null || spanish is null || type is null || format is null || width is null
            ? null
            : new ColumnDefinition(key, header, metric, type.Value, format, width.Value, spanish["header"]!);
    }

    private SortDefinition? Sort(JsonElement sort, string path, HashSet<string> columnKeys, HashSet<string> sorted)
    {
        if (!IsObject(sort, path)) return null;
        Properties(sort, path, "key", "direction");
        var key = Text(sort, path, "key");
        if (key is not null)
        {
            if (!columnKeys.Contains(key))
                Problem(path + ".key", $"'{key}' is not a column of this sheet; sort by a column the sheet shows.");
            else if (!sorted.Add(key))
                Problem(path + ".key", $"'{key}' is a duplicate: the sheet is already sorted by it.");
        }
        SortDirection? direction = Text(sort, path, "direction") switch
        {
            null => null,
            "asc" => SortDirection.Asc,
            "desc" => SortDirection.Desc,
            var other => Unknown(other),
        };
        return key is null || direction is null ? null : new SortDefinition(key, direction.Value);

        SortDirection? Unknown(string value)
        {
            Problem(path + ".direction", $"'{value}' is not a direction; use asc or desc.");
            return null;
        }
    }

    /// <summary>Why an Excel number format does not suit a column type, or null when it does.</summary>
    internal static string? FormatProblem(ColumnType type, string format)
    {
        if (type == ColumnType.Text)
            return format == "@" ? null : "a text column uses the text format @ (so tenant text starting with = stays text)";

        var code = FormatCode(format);
        var percent = code.Contains('%', StringComparison.Ordinal);
        var digits = code.AsSpan().IndexOfAny("0#?") >= 0;
        var datePart = code.AsSpan().IndexOfAny("yd") >= 0;
        var timePart = code.AsSpan().IndexOfAny("hs") >= 0;
        return type switch
        {
            ColumnType.Percent when !percent => "a percent column needs a format with %, such as 0.0%",
            ColumnType.Integer or ColumnType.Decimal when percent || !digits || datePart || timePart =>
                $"a {Name(type)} column needs a number format such as #,##0 (digit placeholders, no %, no date or time parts)",
            ColumnType.Date when percent || !datePart || timePart => "a date column needs a date format such as yyyy-mm-dd (no time parts)",
            ColumnType.DateTime when percent || !datePart || !timePart => "a dateTime column needs a date and time format such as yyyy-mm-dd hh:mm",
            _ => null,
        };
    }

    /// <summary>The format's codes in lower case, without literals ("…", \x), padding (_x, *x) and [sections] such as [Red].</summary>
    private static string FormatCode(string format)
    {
        var code = new System.Text.StringBuilder(format.Length);
        for (var i = 0; i < format.Length; i++)
        {
            switch (format[i])
            {
                case '"':
                    i = format.IndexOf('"', i + 1) is var end and >= 0 ? end : format.Length;
                    break;
                case '[':
                    i = format.IndexOf(']', i + 1) is var close and >= 0 ? close : format.Length;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                default:
                    code.Append(char.ToLowerInvariant(format[i]));
                    break;
            }
        }
        return code.ToString();
    }

    private static string Suggestion(string dataset, string key) =>
        ReportDatasets.Fields(dataset).FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)) is { } near
            ? $" (did you mean '{near.Key}'?)"
            : $"; its fields are: {string.Join(", ", ReportDatasets.Fields(dataset).Select(f => f.Key))}";

    private void Properties(JsonElement element, string path, params string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                Problem($"{path}.{property.Name}", "appears twice.");
            else if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                Problem($"{path}.{property.Name}", $"is not a known property here; expected: {string.Join(", ", allowed.Where(a => a != "$schema"))}.");
        }
    }

    private bool IsObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object) return true;
        Problem(path, "must be an object.");
        return false;
    }

    private string? Text(JsonElement element, string path, string name)
    {
        if (element.TryGetProperty(name, out _)) return OptionalText(element, path, name);
        Problem(path, $"'{name}' is required.");
        return null;
    }

    private string? OptionalText(JsonElement element, string path, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Problem($"{path}.{name}", "must be a string.");
            return null;
        }
        var text = value.GetString()!;
        if (!string.IsNullOrWhiteSpace(text)) return text;
        Problem($"{path}.{name}", "must not be empty.");
        return null;
    }

    /// <summary>
    /// The object's <c>es</c> block: the Spanish of each of its shown texts, all required, so no Spanish workbook shows an
    /// English header. Null when the block is missing or incomplete (the problems are added).
    /// </summary>
    private Dictionary<string, string?>? Spanish(JsonElement element, string path, params string[] texts)
    {
        if (!element.TryGetProperty(SpanishBlock, out var block))
        {
            Problem(path, $"'{SpanishBlock}' is required: the Spanish of {string.Join(" and ", texts)} (workbooks are written in Spanish and English).");
            return null;
        }
        var blockPath = $"{path}.{SpanishBlock}";
        if (!IsObject(block, blockPath)) return null;
        Properties(block, blockPath, texts);
        var spanish = texts.ToDictionary(t => t, t => Text(block, blockPath, t), StringComparer.Ordinal);
        return spanish.Values.All(v => v is not null) ? spanish : null;
    }

    private bool? Bool(JsonElement element, string path, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Problem(path, $"'{name}' is required.");
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Problem($"{path}.{name}", "must be true or false.");
        return null;
    }

    private JsonElement? Array(JsonElement element, string path, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Problem(path, $"'{name}' is required.");
            return null;
        }
        if (value.ValueKind == JsonValueKind.Array) return value;
        Problem($"{path}.{name}", "must be an array.");
        return null;
    }

    private static string Index(string path, int i) => $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";

    private void Problem(string path, string message) => problems.Add(new(file, path, message));
}
