using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace DporReports.IntegrationTests.Infrastructure;

public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> Recipients, byte[] Raw, MimeMessage Message);

/// <summary>
/// A real SMTP server on a loopback port, with just enough RFC 5321 for MailKit without TLS or AUTH: greeting, EHLO/HELO,
/// MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT. Keeps what it receives; can refuse the next DATA commands.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly Task _accepting;
    private int _transientFailures;
    private int _permanentFailures;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMail> Received => [.. _received];

    /// <summary>Forgets what was received so far (e.g. the mails of a test's set-up).</summary>
    public void Clear() => _received.Clear();

    /// <summary>Answers the next <paramref name="count"/> DATA commands with 451 4.3.0 (try again later).</summary>
    public void FailNextTransiently(int count) => Interlocked.Exchange(ref _transientFailures, count);

    /// <summary>Answers the next <paramref name="count"/> DATA commands with 554 (transaction failed).</summary>
    public void FailNextPermanently(int count) => Interlocked.Exchange(ref _permanentFailures, count);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _sessions.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // stopped
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = new BufferedStream(client.GetStream());
        var ct = _stop.Token;
        string? from = null;
        var to = new List<string>();
        try
        {
            await ReplyAsync(stream, "220 smtp-sink ESMTP ready", ct);
            while (await ReadLineAsync(stream, ct) is { } bytes)
            {
                var line = Encoding.ASCII.GetString(bytes);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO": await ReplyAsync(stream, "250-smtp-sink\r\n250-8BITMIME\r\n250 SIZE 10485760", ct); break;
                    case "HELO": await ReplyAsync(stream, "250 smtp-sink", ct); break;
                    case "MAIL": from = Address(line); to.Clear(); await ReplyAsync(stream, "250 2.1.0 OK", ct); break;
                    case "RCPT" when from is null: await ReplyAsync(stream, "503 5.5.1 MAIL first", ct); break;
                    case "RCPT": to.Add(Address(line)); await ReplyAsync(stream, "250 2.1.5 OK", ct); break;
                    case "DATA" when from is null || to.Count == 0: await ReplyAsync(stream, "503 5.5.1 MAIL and RCPT first", ct); break;
                    case "DATA" when TakeOne(ref _transientFailures):
                        await ReplyAsync(stream, "451 4.3.0 Temporary failure, try again later", ct); break;
                    case "DATA" when TakeOne(ref _permanentFailures):
                        await ReplyAsync(stream, "554 5.0.0 Transaction failed", ct); break;
                    case "DATA":
                        await ReplyAsync(stream, "354 End data with <CR><LF>.<CR><LF>", ct);
                        var raw = await ReadDataAsync(stream, ct);
                        _received.Enqueue(new ReceivedMail(from, [.. to], raw, MimeMessage.Load(new MemoryStream(raw))));
                        from = null;
                        to.Clear();
                        await ReplyAsync(stream, "250 2.0.0 Queued", ct);
                        break;
                    case "RSET": from = null; to.Clear(); await ReplyAsync(stream, "250 2.0.0 OK", ct); break;
                    case "NOOP": await ReplyAsync(stream, "250 2.0.0 OK", ct); break;
                    case "QUIT": await ReplyAsync(stream, "221 2.0.0 Bye", ct); return;
                    default: await ReplyAsync(stream, "502 5.5.2 Command not implemented", ct); break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // client went away or the sink is stopping
        }
    }

    private static bool TakeOne(ref int counter)
    {
        int current;
        do
        {
            current = Volatile.Read(ref counter);
            if (current <= 0) return false;
        } while (Interlocked.CompareExchange(ref counter, current - 1, current) != current);
        return true;
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    /// <summary>Lines up to "." alone; a leading dot on any other line was added by the client (dot-stuffing) and is removed.</summary>
    private static async Task<byte[]> ReadDataAsync(Stream stream, CancellationToken ct)
    {
        using var data = new MemoryStream();
        while (await ReadLineAsync(stream, ct) is { } line)
        {
            if (line is [(byte)'.']) return data.ToArray();
            var skip = line is [(byte)'.', ..] ? 1 : 0;
            data.Write(line, skip, line.Length - skip);
            data.Write("\r\n"u8);
        }
        throw new IOException("Connection closed inside DATA.");
    }

    /// <summary>One line without its CRLF, or null at end of stream.</summary>
    private static async Task<byte[]?> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        using var line = new MemoryStream();
        var one = new byte[1];
        while (await stream.ReadAsync(one, ct) == 1)
        {
            if (one[0] == '\n')
            {
                var bytes = line.ToArray();
                return bytes is [.., (byte)'\r'] ? bytes[..^1] : bytes;
            }
            line.WriteByte(one[0]);
        }
        return null;
    }

    private static async Task ReplyAsync(Stream stream, string reply, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), ct);
        await stream.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_sessions);
        _stop.Dispose();
    }
}
