using System.Diagnostics.CodeAnalysis;
using DporReports.Core.Languages;

namespace DporReports.Core.Reports.Catalog;

/// <summary>
/// One report of the catalog, read from <c>reports/&lt;id&gt;.json</c>: the dataset it draws from and the sheets (for the
/// dashboards: tables) that show it. The workbook writer adds an About sheet to every report; it is not defined here.
/// Every shown text is given in English and, from the file's <c>es</c> blocks, in Spanish; ids and keys are one for both.
/// </summary>
public sealed record ReportDefinition(string Id, string Title, string Description, string Dataset, IReadOnlyList<SheetDefinition> Sheets,
    string SpanishTitle, string SpanishDescription)
{
    public string TitleIn(string language) => language == Language.Spanish ? SpanishTitle : Title;

    public string DescriptionIn(string language) => language == Language.Spanish ? SpanishDescription : Description;
}

/// <summary>One worksheet: one table over the report's dataset, with a header row.</summary>
public sealed record SheetDefinition(string Name, string Title, bool FreezeHeader, IReadOnlyList<ColumnDefinition> Columns,
    IReadOnlyList<SortDefinition> Sort, string SpanishName, string SpanishTitle)
{
    public string NameIn(string language) => language == Language.Spanish ? SpanishName : Name;

    public string TitleIn(string language) => language == Language.Spanish ? SpanishTitle : Title;
}

/// <summary>
/// One column: a dataset field (<see cref="Key"/>), its header, the metric it shows (a name defined in reports/README.md),
/// the value type, the Excel number format and the width in Excel character units.
/// </summary>
public sealed record ColumnDefinition(string Key, string Header, string? Metric, ColumnType Type, string Format, double Width, string SpanishHeader)
{
    public string HeaderIn(string language) => language == Language.Spanish ? SpanishHeader : Header;
}

public sealed record SortDefinition(string Key, SortDirection Direction);

/// <summary>How a value is written. JSON spells these camelCase: text, integer, decimal, percent, date, dateTime.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are the definition files' own words for the types.")]
public enum ColumnType
{
    Text,
    Integer,
    Decimal,

    /// <summary>A fraction (0.5 = 50 %) shown with a % number format.</summary>
    Percent,
    Date,
    DateTime,
}

public enum SortDirection
{
    Asc,
    Desc,
}
