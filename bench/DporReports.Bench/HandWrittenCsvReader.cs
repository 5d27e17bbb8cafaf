using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

using DporReports.Core.Usage;

namespace DporReports.Bench;

/// <summary>
/// The hand-written reader that CsvHelper replaced in UsageCsvReader (issue 13), kept only to be measured beside it in
/// `bench usage-csv`. Streaming reader for Graph usage report files: RFC 4180 (quoted fields with commas, doubled quotes and line breaks),
/// UTF-8 with or without BOM, CRLF or LF. Columns are mapped by header name (trimmed, case-insensitive), so order may
/// differ and extra columns are ignored. Holds one row at a time in a reused buffer, never the whole file; field access
/// by span (<see cref="Field(int)"/>, <see cref="Date(int)"/>, <see cref="Bool(int)"/>) allocates nothing.
/// Refuses, with <see cref="UsageReportFormatException"/>: an empty or HTML/JSON body, a header missing required columns,
/// a row whose field count differs from the header's, malformed values, and a file cut short (an unterminated quote, or
/// a last line without its line terminator: Graph ends every line with CRLF). Empty lines are skipped.
/// The caller owns <c>stream</c>: disposing the reader leaves it open.
/// </summary>
internal sealed class HandWrittenCsvReader : IAsyncDisposable
{
    private const int InitialBufferChars = 32 * 1024;

    // A Graph row is a few hundred characters; a row this long means the file is not a usage report (or is garbage),
    // and refusing it keeps memory bounded whatever the input.
    internal const int MaxRowChars = 1024 * 1024;

    private readonly StreamReader _text;
    private char[] _buffer;
    private int _start; // first character not yet consumed
    private int _end;   // end of the characters read so far
    private bool _eof;

    private string[] _header = [];
    private Dictionary<string, int> _ordinals = new(StringComparer.OrdinalIgnoreCase);

    private int[] _fieldStarts = new int[32];
    private int[] _fieldLengths = new int[32];
    private bool[] _fieldEscaped = new bool[32]; // quoted fields holding doubled quotes, unescaped once the record is complete
    private int _fieldCount;
    private bool _onRow;
    private long _line = 1;     // physical line where the next record starts
    private long _rowLine;      // physical line where the current record starts

    private HandWrittenCsvReader(Stream stream)
    {
        // UTF-8 with BOM detection: a UTF-8 BOM is dropped, anything else (no BOM) is read as UTF-8.
        _text = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true,
            bufferSize: 64 * 1024, leaveOpen: true);
        _buffer = ArrayPool<char>.Shared.Rent(InitialBufferChars);
    }

    /// <summary>The header's column names, trimmed, in file order.</summary>
    public IReadOnlyList<string> Columns => _header;

    /// <summary>1-based number of the current data row (the header is row 0); 0 before the first row.</summary>
    public long RowNumber { get; private set; }

    /// <summary>
    /// Reads and checks the header. Refuses an empty body, an HTML or JSON body (an error page in place of the file), and a
    /// header missing any of <paramref name="requiredColumns"/> (all missing ones are named).
    /// </summary>
    public static async Task<HandWrittenCsvReader> OpenAsync(Stream stream, IReadOnlyCollection<string> requiredColumns, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(requiredColumns);
        var reader = new HandWrittenCsvReader(stream);
        try
        {
            await reader.ReadHeaderAsync(requiredColumns, ct);
            return reader;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves to the next data row; false at the end of the file.</summary>
    public ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();

        // Fast path: the whole next row is already in the buffer (all but one row per buffer refill).
        var found = TryParseRecord(out var more);
        if (!more)
        {
            return ValueTask.FromResult(found && CompleteRow());
        }

        return ReadSlowAsync(ct);
    }

    /// <summary>The raw field of the current row, as a new string. Prefer the span and typed accessors in loops.</summary>
    public string this[string column] => new(Field(Ordinal(column)));

    /// <summary>The zero-based position of <paramref name="column"/> in this file; throws if the file lacks it.</summary>
    public int Ordinal(string column) =>
        _ordinals.TryGetValue(column, out var ordinal)
            ? ordinal
            : throw new ArgumentException($"This report has no column \"{column}\".", nameof(column));

    public bool HasColumn(string column) => _ordinals.ContainsKey(column);

    /// <summary>The raw (unquoted, unescaped) field at <paramref name="ordinal"/> of the current row; valid until the next read.</summary>
    public ReadOnlySpan<char> Field(int ordinal)
    {
        if (!_onRow)
        {
            throw new InvalidOperationException("No current row: call ReadAsync first and only while it returns true.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, _fieldCount);
        return _buffer.AsSpan(_fieldStarts[ordinal], _fieldLengths[ordinal]);
    }

    /// <summary><c>YYYY-MM-DD</c>, or null when empty; anything else is a format error naming row and column.</summary>
    public DateOnly? Date(string column) => Date(Ordinal(column));

    public DateOnly? Date(int ordinal)
    {
        var field = Field(ordinal).Trim();
        if (field.IsEmpty)
        {
            return null;
        }

        return TryParseIsoDate(field, out var date) ? date : throw Malformed(ordinal, "is not a date (YYYY-MM-DD)");
    }

    /// <summary><c>True</c> or <c>False</c>, case-insensitive; anything else (empty too) is a format error.</summary>
    public bool Bool(string column) => Bool(Ordinal(column));

    public bool Bool(int ordinal)
    {
        var field = Field(ordinal).Trim();
        if (field.Equals("True", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return field.Equals("False", StringComparison.OrdinalIgnoreCase) ? false : throw Malformed(ordinal, "is not True or False");
    }

    /// <summary>A whole number; empty is 0 (Graph leaves retired workloads' counts empty).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the value it reads, beside Date and Bool.")]
    public long Long(string column) => Long(Ordinal(column));

    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the value it reads, beside Date and Bool.")]
    public long Long(int ordinal)
    {
        var field = Field(ordinal).Trim();
        if (field.IsEmpty)
        {
            return 0;
        }

        return long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(ordinal, "is not a whole number");
    }

    /// <summary>A format error about the current row, naming it and the column (and the value, for a date, flag or count).</summary>
    public UsageReportFormatException Malformed(int ordinal, string problem)
    {
        var value = Field(ordinal);
        var shown = value.Length > 40 ? $"{value[..40]}…" : value.ToString();
        return new UsageReportFormatException($"{Where()}, column \"{_header[ordinal]}\": \"{shown}\" {problem}.");
    }

    /// <summary>"Row N (line L)" of the current row, for messages.</summary>
    public string Where() => $"Row {RowNumber} (line {_rowLine})";

    public ValueTask DisposeAsync()
    {
        _text.Dispose();
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    internal static bool TryParseIsoDate(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return false;
        }

        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private async Task ReadHeaderAsync(IReadOnlyCollection<string> requiredColumns, CancellationToken ct)
    {
        // Fill enough to see what the body is before parsing it as CSV.
        while (!_eof && _end - _start < 512)
        {
            await FillAsync(ct);
        }

        var head = _buffer.AsSpan(_start, _end - _start).TrimStart();
        if (head.IsEmpty || head.TrimStart('\uFEFF').IsEmpty)
        {
            throw new UsageReportFormatException("The report body is empty: no header, no rows.");
        }

        if (head[0] == '<')
        {
            throw new UsageReportFormatException(
                $"The report body is HTML, not CSV (it starts \"{FirstLine(head)}\"): the download answered an error page.");
        }

        if (head[0] == '{')
        {
            throw new UsageReportFormatException(
                $"The report body is JSON, not CSV (it starts \"{FirstLine(head)}\"): the download answered an error.");
        }

        if (!await NextRecordAsync(ct))
        {
            throw new UsageReportFormatException("The report body is empty: no header, no rows.");
        }

        var header = new string[_fieldCount];
        for (var i = 0; i < _fieldCount; i++)
        {
            // A second BOM (a file saved twice by a tool) sticks to the first name; it is never part of a column name.
            header[i] = _buffer.AsSpan(_fieldStarts[i], _fieldLengths[i]).Trim().TrimStart('\uFEFF').ToString();
        }

        var ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var duplicates = new List<string>();
        for (var i = 0; i < header.Length; i++)
        {
            if (!ordinals.TryAdd(header[i], i))
            {
                duplicates.Add(header[i]);
            }
        }

        var missing = requiredColumns.Where(c => !ordinals.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            var found = string.Join(", ", header);
            throw new UsageReportFormatException(
                $"The report lacks the required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(c => $"\"{c}\""))}. " +
                $"Its header is: {(found.Length > 600 ? found[..600] + "…" : found)}");
        }

        var ambiguous = duplicates.Where(d => requiredColumns.Contains(d, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (ambiguous.Count > 0)
        {
            throw new UsageReportFormatException(
                $"The report's header names {string.Join(", ", ambiguous.Select(c => $"\"{c}\""))} more than once: which one to read is ambiguous.");
        }

        _header = header;
        _ordinals = ordinals;
        _onRow = false;
    }

    private static string FirstLine(ReadOnlySpan<char> text)
    {
        var line = text[..Math.Min(text.Length, 60)];
        var cut = line.IndexOfAny('\r', '\n');
        return (cut >= 0 ? line[..cut] : line).ToString();
    }

    private async ValueTask<bool> ReadSlowAsync(CancellationToken ct) => await NextRecordAsync(ct) && CompleteRow();

    /// <summary>Parses the next record into the field arrays, reading more of the stream as needed.</summary>
    private async ValueTask<bool> NextRecordAsync(CancellationToken ct)
    {
        while (true)
        {
            var found = TryParseRecord(out var more);
            if (!more)
            {
                return found;
            }

            await FillAsync(ct);
        }
    }

    /// <summary>Checks the parsed record against the header and makes it the current row.</summary>
    private bool CompleteRow()
    {
        RowNumber++;
        _onRow = true;
        if (_fieldCount != _header.Length)
        {
            throw new UsageReportFormatException(
                $"{Where()} has {_fieldCount} field{(_fieldCount == 1 ? "" : "s")}, the header has {_header.Length}: the file is malformed.");
        }

        return true;
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            // Keep the unconsumed tail (a partial record) at the front; field offsets are recomputed on the rescan.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxRowChars)
            {
                throw new UsageReportFormatException(
                    $"Row {RowNumber + 1} (line {_line}) is longer than {MaxRowChars:N0} characters: the file is not a usage report.");
            }

            var bigger = ArrayPool<char>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = await _text.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    /// <summary>
    /// Parses one record starting at <see cref="_start"/>. Returns true with the record's fields when complete; false with
    /// <paramref name="needMore"/> when the buffer ends inside it (and the stream has more); false without it at the end
    /// of the file. Doubled quotes are unescaped in place only once the record is complete, so a rescan after a refill
    /// sees the original text.
    /// </summary>
    private bool TryParseRecord(out bool needMore)
    {
        _onRow = false;
        needMore = false;
        var buffer = _buffer;
        var end = _end;
        var i = _start;

        // Empty lines carry no record.
        while (i < end && buffer[i] is '\r' or '\n')
        {
            if (buffer[i] == '\r' && i + 1 == end && !_eof)
            {
                _start = i;
                needMore = true; // CR or CRLF? The next character says.
                return false;
            }

            i += buffer[i] == '\r' && i + 1 < end && buffer[i + 1] == '\n' ? 2 : 1;
            _line++;
        }

        _start = i;
        if (i == end)
        {
            needMore = !_eof;
            return false;
        }

        var fields = 0;
        var linesInside = 0;
        var anyEscaped = false;
        while (true)
        {
            int fieldStart, fieldLength;
            var fieldEscaped = false;
            if (i < end && buffer[i] == '"')
            {
                var contentStart = i + 1;
                var j = contentStart;
                while (true)
                {
                    var quote = buffer.AsSpan(j, end - j).IndexOf('"');
                    if (quote < 0)
                    {
                        if (_eof)
                        {
                            throw new UsageReportFormatException(
                                $"The file ends inside a quoted field of row {RowNumber + 1} (line {_line}): it was cut short.");
                        }

                        needMore = true;
                        return false;
                    }

                    j += quote;
                    if (j + 1 == end && !_eof)
                    {
                        needMore = true; // is it a doubled quote or the closing one? The next character says.
                        return false;
                    }

                    if (j + 1 < end && buffer[j + 1] == '"')
                    {
                        fieldEscaped = true;
                        j += 2;
                        continue;
                    }

                    break;
                }

                linesInside += buffer.AsSpan(contentStart, j - contentStart).Count('\n');
                fieldStart = contentStart;
                fieldLength = j - contentStart;
                i = j + 1;
                if (i < end && buffer[i] is not (',' or '\r' or '\n'))
                {
                    throw new UsageReportFormatException(
                        $"Row {RowNumber + 1} (line {_line + linesInside}): a quoted field is followed by '{buffer[i]}' instead of a comma or line end.");
                }

                anyEscaped |= fieldEscaped;
            }
            else
            {
                var stop = buffer.AsSpan(i, end - i).IndexOfAny(',', '\r', '\n');
                if (stop < 0)
                {
                    if (!_eof)
                    {
                        needMore = true;
                        return false;
                    }

                    stop = end - i;
                }

                fieldStart = i;
                fieldLength = stop;
                i += stop;
            }

            AddField(fields++, fieldStart, fieldLength, fieldEscaped);

            if (i == end)
            {
                if (!_eof)
                {
                    needMore = true;
                    return false;
                }

                throw new UsageReportFormatException(_header.Length == 0
                    ? "The header line has no line terminator: the file was cut short (Graph ends every line with CRLF)."
                    : $"The last line (row {RowNumber + 1}, line {_line + linesInside}) has no line terminator: the file was cut short (Graph ends every line with CRLF).");
            }

            var c = buffer[i];
            if (c == ',')
            {
                i++;
                continue;
            }

            // Line end: CRLF, LF, or a lone CR.
            if (c == '\r')
            {
                if (i + 1 == end && !_eof)
                {
                    needMore = true;
                    return false;
                }

                i += i + 1 < end && buffer[i + 1] == '\n' ? 2 : 1;
            }
            else
            {
                i++;
            }

            break;
        }

        _fieldCount = fields;
        _rowLine = _line;
        _line += 1 + linesInside;
        _start = i;
        if (anyEscaped)
        {
            Unescape();
        }

        return true;
    }

    private void AddField(int index, int start, int length, bool escaped)
    {
        if (index == _fieldStarts.Length)
        {
            Array.Resize(ref _fieldStarts, index * 2);
            Array.Resize(ref _fieldLengths, index * 2);
            Array.Resize(ref _fieldEscaped, index * 2);
        }

        _fieldStarts[index] = start;
        _fieldLengths[index] = length;
        _fieldEscaped[index] = escaped;
    }

    /// <summary>Turns doubled quotes of quoted fields into single ones, in place (the text only shrinks).</summary>
    private void Unescape()
    {
        for (var f = 0; f < _fieldCount; f++)
        {
            if (!_fieldEscaped[f])
            {
                continue;
            }

            var field = _buffer.AsSpan(_fieldStarts[f], _fieldLengths[f]);
            var write = 0;
            for (var read = 0; read < field.Length; read++)
            {
                field[write++] = field[read];
                if (field[read] == '"' && read + 1 < field.Length && field[read + 1] == '"')
                {
                    read++;
                }
            }

            _fieldLengths[f] = write;
        }
    }
}
