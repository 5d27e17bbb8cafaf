using DporReports.Core.Reports.Workbooks;

namespace DporReports.UnitTests.Reports.Workbooks;

/// <summary>Test sheets: <c>new SheetBuilder("Summary").Text("Customer").Integer("Seats").Row("Contoso", 10).Build()</c>.</summary>
internal sealed class SheetBuilder(string name, string? tableName = null)
{
    private readonly List<WorkbookColumn> _columns = [];
    private readonly List<object?[]> _rows = [];
    private IEnumerable<object?[]>? _source;
    private bool _freeze = true;

    public SheetBuilder Text(string header, double width = 30) => Column(header, CellType.Text, "", width);

    public SheetBuilder Integer(string header, double width = 12) => Column(header, CellType.Integer, "#,##0", width);

    public SheetBuilder Decimal(string header, double width = 14) => Column(header, CellType.Decimal, "#,##0.00", width);

    public SheetBuilder Percent(string header, double width = 10) => Column(header, CellType.Percent, "0.0%", width);

    public SheetBuilder Date(string header, double width = 12) => Column(header, CellType.Date, "yyyy-mm-dd", width);

    public SheetBuilder DateTime(string header, double width = 18) => Column(header, CellType.DateTime, "yyyy-mm-dd hh:mm", width);

    public SheetBuilder Column(string header, CellType type, string format, double width)
    {
        _columns.Add(new WorkbookColumn(header, type, format, width));
        return this;
    }

    public SheetBuilder Row(params object?[] values)
    {
        _rows.Add(values);
        return this;
    }

    public SheetBuilder Rows(IEnumerable<object?[]> rows)
    {
        _source = rows;
        return this;
    }

    public SheetBuilder NotFrozen()
    {
        _freeze = false;
        return this;
    }

    public WorkbookSheet Build() => new(name, tableName ?? name.Replace(" ", "", StringComparison.Ordinal), _columns, _source ?? _rows, _freeze);
}
