using System.Text;

namespace DporReports.UnitTests.Usage;

/// <summary>Test streams of CSV text: UTF-8, optionally with a BOM, optionally handed out a few bytes per read.</summary>
internal static class CsvText
{
    public static Stream Stream(string text, bool bom = false, int? bytesPerRead = null)
    {
        var bytes = (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        return bytesPerRead is { } chunk ? new TricklingStream(bytes, chunk) : new MemoryStream(bytes);
    }

    /// <summary>Joins lines with CRLF and ends the last one with CRLF too, as Graph does.</summary>
    public static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

    /// <summary>Answers at most a few bytes per read, so every buffer boundary case of the reader is crossed.</summary>
    private sealed class TricklingStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
