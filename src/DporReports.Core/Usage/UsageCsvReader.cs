using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using CsvHelper;

namespace DporReports.Core.Usage;

/// <summary>
/// Streaming reader for Graph usage report files: RFC 4180 (quoted fields with commas, doubled quotes and line breaks),
/// UTF-8 with or without BOM, CRLF or LF. Columns are mapped by header name (trimmed, case-insensitive), so order may
/// differ and extra columns are ignored. Parsing is CsvHelper's (SIMD over UTF-8 bytes, one buffered block at a time,
/// never the whole file); this type adds the rules of a usage report on top. The typed accessors
/// (<see cref="Date(int)"/>, <see cref="Bool(int)"/>, <see cref="Long(int)"/>) read the UTF-8 bytes directly;
/// <see cref="Field(int)"/> decodes a field to UTF-16 once per row into a reused buffer. None of them allocates.
/// Refuses, with <see cref="UsageReportFormatException"/>: an empty or HTML/JSON body, a header missing required columns,
/// a row whose field count differs from the header's, malformed quoting, malformed values, a row longer than
/// <see cref="MaxRowBytes"/>, and a file cut short (an unterminated quote, or a last line without its line terminator:
/// Graph ends every line with CRLF). Empty lines are skipped. The caller owns <c>stream</c>: disposing the reader leaves
/// it open.
/// </summary>
public sealed class UsageCsvReader : IAsyncDisposable
{
    // A Graph row is a few hundred bytes; a row this long means the file is not a usage report (or is garbage), and
    // refusing it keeps memory bounded whatever the input (CsvHelper never buffers more than twice this).
    internal const int MaxRowBytes = 1024 * 1024;

    // Enough of the body to tell an error page from a CSV header before parsing it.
    private const int SniffBytes = 512;

    private readonly WatchedStream _input;
    private readonly CsvReader _csv;

    private string[] _header = [];
    private Dictionary<string, int> _ordinals = new(StringComparer.OrdinalIgnoreCase);

    // The first data row is read by OpenAsync (to tell a header cut short from a header followed by rows) and handed
    // out by the first ReadAsync, with any error it raised.
    private bool? _pendingFirst;
    private ExceptionDispatchInfo? _pendingError;

    private bool _onRow;
    private long _rowLine;
    private CsvMalformedReason? _malformed; // set by CsvHelper while it reads the record it is about to return

    // Field(ordinal) serves text from _chars: the current record widened, then fields decoded one by one (and cached).
    private char[] _chars = [];
    private int _charsUsed;
    private long _widenedRow;
    private bool _rowIsAscii;
    private int[] _decodedStart = [];
    private int[] _decodedLength = [];
    private long[] _decodedRow = [];

    private UsageCsvReader(WatchedStream input)
    {
        _input = input;
        var options = CsvReaderOptions.Default with
        {
            Separator = ',', // never guessed from the content
            HasHeader = true,
            TrackLineNumbers = true, // for messages that name the line
            MaxRecordSize = MaxRowBytes,
            IncludeValuesInExceptions = false, // messages land in run records: never a user's name or address
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record => _malformed ??= record.Reason,
        };
        _csv = CsvReader.Create(input, options, leaveOpen: true);
    }

    /// <summary>The header's column names, trimmed, in file order.</summary>
    public IReadOnlyList<string> Columns => _header;

    /// <summary>1-based number of the current data row (the header is row 0); 0 before the first row.</summary>
    public long RowNumber { get; private set; }

    /// <summary>
    /// Reads and checks the header. Refuses an empty body, an HTML or JSON body (an error page in place of the file), and a
    /// header missing any of <paramref name="requiredColumns"/> (all missing ones are named).
    /// </summary>
    public static async Task<UsageCsvReader> OpenAsync(Stream stream, IReadOnlyCollection<string> requiredColumns, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(requiredColumns);
        var input = new WatchedStream(stream);
        await input.SniffAsync(SniffBytes, ct);
        RefuseIfNotCsv(input.Head);

        var reader = new UsageCsvReader(input);
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
        _onRow = false;
        if (_pendingFirst is { } first)
        {
            _pendingFirst = null;
            _pendingError?.Throw();
            return ValueTask.FromResult(CompleteRow(first));
        }

        ValueTask<bool> next;
        try
        {
            next = _csv.ReadAsync(ct);
        }
        catch (CsvFormatException e)
        {
            throw Refused(e);
        }

        // CsvHelper completes synchronously while the buffer holds the next record: all but one row per block.
        return next.IsCompletedSuccessfully ? ValueTask.FromResult(CompleteRow(next.Result)) : ReadSlowAsync(next);
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
        var bytes = Utf8Field(ordinal);
        if (bytes.IsEmpty)
        {
            return [];
        }

        if (_decodedRow[ordinal] == RowNumber)
        {
            return _chars.AsSpan(_decodedStart[ordinal], _decodedLength[ordinal]);
        }

        // Graph's rows are nearly always ASCII: the whole record is widened to UTF-16 once (vectorized), and a field that
        // CsvHelper serves in place (anything but a quoted field with doubled quotes) is a slice of it at the same offset.
        var raw = _csv.RawRecord;
        if (_widenedRow != RowNumber)
        {
            _widenedRow = RowNumber;
            _rowIsAscii = Ascii.ToUtf16(raw, _chars, out _) == OperationStatus.Done;
            _charsUsed = raw.Length;
        }

        if (_rowIsAscii)
        {
            var offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(raw), ref MemoryMarshal.GetReference(bytes));
            if (offset >= 0 && offset + bytes.Length <= raw.Length)
            {
                return _chars.AsSpan((int)offset, bytes.Length);
            }
        }

        // Otherwise decoded after the widened record. A UTF-8 byte never decodes to more than one UTF-16 char and each
        // field is decoded at most once per row, so twice the row's raw length (sized per row) holds it all: a span
        // handed out stays valid until the next read.
        var length = Encoding.UTF8.GetChars(bytes, _chars.AsSpan(_charsUsed));
        _decodedStart[ordinal] = _charsUsed;
        _decodedLength[ordinal] = length;
        _decodedRow[ordinal] = RowNumber;
        _charsUsed += length;
        return _chars.AsSpan(_charsUsed - length, length);
    }

    /// <summary><c>YYYY-MM-DD</c>, or null when empty; anything else is a format error naming row and column.</summary>
    public DateOnly? Date(string column) => Date(Ordinal(column));

    public DateOnly? Date(int ordinal)
    {
        var field = Trimmed(ordinal);
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
        var field = Trimmed(ordinal);
        if (Ascii.EqualsIgnoreCase(field, "True"u8))
        {
            return true;
        }

        return Ascii.EqualsIgnoreCase(field, "False"u8) ? false : throw Malformed(ordinal, "is not True or False");
    }

    /// <summary>A whole number; empty is 0 (Graph leaves retired workloads' counts empty).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the value it reads, beside Date and Bool.")]
    public long Long(string column) => Long(Ordinal(column));

    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the value it reads, beside Date and Bool.")]
    public long Long(int ordinal)
    {
        var field = Trimmed(ordinal);
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

    public async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync(); // returns CsvHelper's buffers; leaves the caller's stream open
        var chars = _chars;
        _chars = [];
        if (chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    internal static bool TryParseIsoDate(ReadOnlySpan<byte> s, out DateOnly date)
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

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static void RefuseIfNotCsv(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head).AsSpan().TrimStart().TrimStart('\uFEFF').TrimStart();
        if (text.IsEmpty)
        {
            throw new UsageReportFormatException("The report body is empty: no header, no rows.");
        }

        if (text[0] == '<')
        {
            throw new UsageReportFormatException(
                $"The report body is HTML, not CSV (it starts \"{FirstLine(text)}\"): the download answered an error page.");
        }

        if (text[0] == '{')
        {
            throw new UsageReportFormatException(
                $"The report body is JSON, not CSV (it starts \"{FirstLine(text)}\"): the download answered an error.");
        }
    }

    private static string FirstLine(ReadOnlySpan<char> text)
    {
        var line = text[..Math.Min(text.Length, 60)];
        var cut = line.IndexOfAny('\r', '\n');
        return (cut >= 0 ? line[..cut] : line).ToString();
    }

    private ReadOnlySpan<byte> Utf8Field(int ordinal)
    {
        if (!_onRow)
        {
            throw new InvalidOperationException("No current row: call ReadAsync first and only while it returns true.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, _header.Length);
        return _csv.GetSpan(ordinal);
    }

    private ReadOnlySpan<byte> Trimmed(int ordinal)
    {
        var field = Utf8Field(ordinal);
        return field[Ascii.Trim(field)];
    }

    private async Task ReadHeaderAsync(IReadOnlyCollection<string> requiredColumns, CancellationToken ct)
    {
        await _csv.ReadHeaderAsync(ct);

        // A second BOM (a file saved twice by a tool) sticks to the first name; it is never part of a column name.
        var header = _csv.Headers.Select(name => name.Trim().TrimStart('\uFEFF').Trim()).ToArray();
        if (header.Length == 0)
        {
            throw new UsageReportFormatException("The report body is empty: no header, no rows.");
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
        _decodedStart = new int[header.Length];
        _decodedLength = new int[header.Length];
        _decodedRow = new long[header.Length];

        try
        {
            _pendingFirst = await _csv.ReadAsync(ct);
        }
        catch (CsvFormatException e)
        {
            _pendingFirst = false;
            _pendingError = ExceptionDispatchInfo.Capture(Refused(e));
            return;
        }

        if (_pendingFirst == false && _input.EndedWithoutLineBreak)
        {
            throw new UsageReportFormatException(
                "The header line has no line terminator: the file was cut short (Graph ends every line with CRLF).");
        }
    }

    private async ValueTask<bool> ReadSlowAsync(ValueTask<bool> next)
    {
        bool found;
        try
        {
            found = await next;
        }
        catch (CsvFormatException e)
        {
            throw Refused(e);
        }

        return CompleteRow(found);
    }

    /// <summary>Checks the record CsvHelper just read against the rules of a usage report and makes it the current row.</summary>
    private bool CompleteRow(bool found)
    {
        if (!found)
        {
            return false;
        }

        RowNumber++;
        _rowLine = _csv.LineNumber;
        _onRow = true;
        var raw = _csv.RawRecord;
        var malformed = _malformed;
        _malformed = null;
        if (malformed == CsvMalformedReason.UnterminatedQuote)
        {
            throw new UsageReportFormatException($"The file ends inside a quoted field of row {RowNumber} (line {_rowLine}): it was cut short.");
        }

        // A record reaches the end of the input only when its line terminator is missing (or a quote swallowed it).
        if (_input.Ended && _csv.ByteOffset + raw.Length == _input.BytesRead)
        {
            throw new UsageReportFormatException(
                $"The last line (row {RowNumber}, line {_rowLine}) has no line terminator: the file was cut short (Graph ends every line with CRLF).");
        }

        // RFC 4180 keeps a quote inside an unquoted field as text (plain""text): no error, as before.
        if (malformed is { } reason && reason != CsvMalformedReason.StrayQuote)
        {
            throw new UsageReportFormatException(reason == CsvMalformedReason.TextAfterClosingQuote
                ? $"{Where()}: a quoted field is followed by text instead of a comma or line end."
                : $"{Where()} is malformed ({reason}).");
        }

        if (raw.Length > MaxRowBytes)
        {
            throw new UsageReportFormatException($"{Where()} is longer than {MaxRowBytes:N0} bytes: the file is not a usage report.");
        }

        var fields = _csv.FieldCount;
        if (fields != _header.Length)
        {
            throw new UsageReportFormatException(
                $"{Where()} has {fields} field{(fields == 1 ? "" : "s")}, the header has {_header.Length}: the file is malformed.");
        }

        if (_chars.Length < 2 * raw.Length)
        {
            if (_chars.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_chars);
            }

            _chars = ArrayPool<char>.Shared.Rent(Math.Max(2 * raw.Length, 4096));
        }

        return true;
    }

    private UsageReportFormatException Refused(CsvFormatException e) =>
        new($"Row {RowNumber + 1}: {e.Message} The file is not a usage report.");

    /// <summary>
    /// The caller's stream as CsvHelper reads it: replays the sniffed head, and counts the bytes and keeps the last one, so
    /// a file cut short is told from one that ends with its line terminator. Leaves the caller's stream open.
    /// </summary>
    private sealed class WatchedStream(Stream inner) : Stream
    {
        private byte[] _head = [];
        private int _headLength;
        private int _headPosition;
        private byte _last;

        public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

        /// <summary>Bytes read from the caller's stream so far: its whole length once <see cref="Ended"/>.</summary>
        public long BytesRead { get; private set; }

        public bool Ended { get; private set; }

        public bool EndedWithoutLineBreak => Ended && BytesRead > 0 && _last is not ((byte)'\r' or (byte)'\n');

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public async Task SniffAsync(int count, CancellationToken ct)
        {
            _head = new byte[count];
            while (_headLength < count)
            {
                var read = await inner.ReadAsync(_head.AsMemory(_headLength), ct);
                if (read == 0)
                {
                    Ended = true;
                    break;
                }

                _headLength += read;
            }

            Counted(_head.AsSpan(0, _headLength));
        }

        public override int Read(Span<byte> buffer)
        {
            if (TryReplayHead(buffer, out var replayed))
            {
                return replayed;
            }

            return Ended || buffer.IsEmpty ? 0 : Counted(buffer[..inner.Read(buffer)]);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (TryReplayHead(buffer.Span, out var replayed))
            {
                return replayed;
            }

            if (Ended || buffer.IsEmpty)
            {
                return 0;
            }

            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Counted(buffer.Span[..read]);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private bool TryReplayHead(Span<byte> buffer, out int replayed)
        {
            replayed = Math.Min(buffer.Length, _headLength - _headPosition);
            if (replayed <= 0)
            {
                return false;
            }

            _head.AsSpan(_headPosition, replayed).CopyTo(buffer);
            _headPosition += replayed;
            return true;
        }

        private int Counted(Span<byte> read)
        {
            if (read.IsEmpty)
            {
                Ended = true;
                return 0;
            }

            BytesRead += read.Length;
            _last = read[^1];
            return read.Length;
        }
    }
}
