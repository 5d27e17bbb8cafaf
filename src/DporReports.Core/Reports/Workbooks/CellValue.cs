using System.Globalization;

namespace DporReports.Core.Reports.Workbooks;

internal enum CellKind { Empty, Text, Number, Date, Boolean }

/// <summary>A row value as both writers put it in a cell, so the ClosedXML and the streaming path agree cell for cell.</summary>
internal readonly record struct CellValue(CellKind Kind, string? Text = null, double Number = 0, DateTime DateValue = default)
{
    // Excel's serial dates count days from 1899-12-30 (its day 60 is the fictitious 1900-02-29, so serials below 61 do
    // not match the calendar): earlier dates are written as ISO text rather than as a wrong date.
    private static readonly DateTime Epoch = new(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);
    private static readonly DateTime FirstExactDate = new(1900, 3, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static CellValue From(object? value) => value switch
    {
        null => new(CellKind.Empty),
        string text => new(CellKind.Text, CellText.ForCell(text)),
        int or long or short or byte or sbyte or ushort or uint or ulong or float or double or decimal =>
            Convert.ToDouble(value, CultureInfo.InvariantCulture) is var number && double.IsFinite(number)
                ? new(CellKind.Number, Number: number)
                : new(CellKind.Empty), // NaN and infinities have no cell representation
        DateOnly date => Date(date.ToDateTime(TimeOnly.MinValue), "yyyy-MM-dd"),
        DateTimeOffset moment => Date(moment.DateTime, "yyyy-MM-dd HH:mm:ss"),
        DateTime moment => Date(DateTime.SpecifyKind(moment, DateTimeKind.Unspecified), "yyyy-MM-dd HH:mm:ss"),
        bool flag => new(CellKind.Boolean, Number: flag ? 1 : 0),
        Guid id => new(CellKind.Text, id.ToString("D")),
        _ => throw new ArgumentException($"Cell values of type {value.GetType().Name} are not supported.", nameof(value)),
    };

    private static CellValue Date(DateTime value, string fallbackFormat) => value < FirstExactDate
        ? new(CellKind.Text, value.ToString(fallbackFormat, CultureInfo.InvariantCulture))
        : new(CellKind.Date, Number: (value - Epoch).TotalDays, DateValue: value);
}
