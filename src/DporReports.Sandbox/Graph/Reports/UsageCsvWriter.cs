using System.Text;

namespace DporReports.Sandbox.Graph.Reports;

/// <summary>
/// The columns a download actually carries: normally the report's own, in order; a download fault renames, drops,
/// reorders or adds one. <see cref="Sources"/> holds, per output column, the index of the report column whose
/// values it carries (-1 for the added column).
/// </summary>
internal sealed record UsageCsvShape(IReadOnlyList<string> Headers, IReadOnlyList<int> Sources, string ExtraValue = "")
{
    public static UsageCsvShape Of(UsageReport report) => new(report.Headers, [.. Enumerable.Range(0, report.Headers.Count)]);
}

/// <summary>
/// Writes a report as Graph's CSV: UTF-8 with a BOM, CRLF line ends (the last line too), fields quoted when they hold a
/// comma, quote or line break. Rows are written as they are produced; the writer buffers 64 KB at most.
/// </summary>
internal static class UsageCsvWriter
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <param name="destination">The response body (not disposed).</param>
    /// <param name="report">The report (its always-quoted column).</param>
    /// <param name="shape">The columns to write.</param>
    /// <param name="rows">Field values in the report's own column order.</param>
    /// <param name="truncateAfterRows">Cut the file in the middle of the data row after this many complete ones.</param>
    /// <param name="truncateAfterBytes">Cut the file after this many bytes (BOM included), wherever that falls.</param>
    /// <param name="ct">Cancels the write (the client went away).</param>
    /// <returns>The number of data rows written completely.</returns>
    public static async Task<int> WriteAsync(
        Stream destination, UsageReport report, UsageCsvShape shape, IEnumerable<string[]> rows,
        int? truncateAfterRows, long? truncateAfterBytes, CancellationToken ct)
    {
        var output = truncateAfterBytes is { } limit ? new CutStream(destination, limit) : destination;
        await output.WriteAsync(Bom, ct);
        var written = 0;
        var quoted = report.AlwaysQuotedColumn < 0 ? -1 : shape.Sources.ToList().IndexOf(report.AlwaysQuotedColumn);
        await using (var writer = new StreamWriter(output, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true))
        {
            var line = new StringBuilder(512);
            AppendRow(line, shape.Headers, -1);
            await writer.WriteAsync(line, ct);

            // One row of lookahead, so a cut by rows always falls inside a row, even in a one-row report.
            string[]? pending = null;
            foreach (var row in rows)
            {
                if (pending is not null)
                {
                    if (written == truncateAfterRows)
                    {
                        break;
                    }
                    line.Clear();
                    AppendRow(line, Project(pending, shape), quoted);
                    await writer.WriteAsync(line, ct);
                    written++;
                    if (output is CutStream { Cut: true })
                    {
                        return written;
                    }
                }
                pending = row;
            }
            if (pending is not null)
            {
                line.Clear();
                AppendRow(line, Project(pending, shape), quoted);
                if (truncateAfterRows is not null)
                {
                    // Mid-row: the first half of the row's text, no line end.
                    await writer.WriteAsync(line.ToString(0, Math.Max(1, (line.Length - 2) / 2)).AsMemory(), ct);
                }
                else
                {
                    await writer.WriteAsync(line, ct);
                    written++;
                }
            }
        }
        return written;
    }

    private static string[] Project(string[] row, UsageCsvShape shape)
    {
        var values = new string[shape.Sources.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var source = shape.Sources[i];
            values[i] = source < 0 ? shape.ExtraValue : row[source];
        }
        return values;
    }

    private static void AppendRow(StringBuilder line, IReadOnlyList<string> values, int alwaysQuoted)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }
            var value = values[i];
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (i == alwaysQuoted && value.Length > 0))
            {
                line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                line.Append(value);
            }
        }
        line.Append("\r\n");
    }

    /// <summary>Passes bytes through until the limit, then swallows the rest and says so.</summary>
    private sealed class CutStream(Stream inner, long limit) : Stream
    {
        private long _written;

        public bool Cut { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var room = (int)Math.Max(0, Math.Min(buffer.Length, limit - _written));
            if (room > 0)
            {
                await inner.WriteAsync(buffer[..room], cancellationToken);
                _written += room;
            }
            if (room < buffer.Length)
            {
                Cut = true;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
