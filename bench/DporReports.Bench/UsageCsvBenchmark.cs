using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using DporReports.Core.Usage;
using nietras.SeparatedValues;

namespace DporReports.Bench;

/// <summary>
/// Issue 13, part 3: one 1,000,000-user getOffice365ActiveUserDetail file read, every field of every row touched, by
/// UsageCsvReader (over CsvHelper), by CsvHelper and Sep alone (their own raw read: the floor), and by the hand-written
/// reader CsvHelper replaced. The readers take turns run after run, so load on the shared machine falls on all alike.
/// </summary>
internal static class UsageCsvBenchmark
{
    private const int Runs = 7;

    public static async Task RunAsync(string path, IReadOnlyCollection<string> required)
    {
        var megabytes = new FileInfo(path).Length / 1e6;
        (string Name, Func<Stream, Task<long>> Read)[] readers =
        [
            ("UsageCsvReader (CsvHelper), Field(i) as text", s => OursAsTextAsync(s, required)),
            ("UsageCsvReader (CsvHelper), typed (aggregator's calls)", s => OursTypedAsync(s, required)),
            ("CsvHelper 34 raw: GetSpan(i), UTF-8", CsvHelperRawAsync),
            ("CsvHelper 34 raw, typed: Parse<DateOnly/bool>, 2 spans", CsvHelperTypedAsync),
            ("CsvHelper 34 raw: GetChars(i), UTF-16", CsvHelperRawCharsAsync),
            ("CsvHelper 34 raw, UsageCsvReader's options, UTF-8", CsvHelperWithOurOptionsAsync),
            ("Sep 0.17.1 raw: row[i].Span, UTF-16", s => Task.FromResult(SepRaw(s))),
            ("hand-written reader (before), Field(i)", s => HandWrittenAsync(s, required)),
        ];

        var times = readers.Select(_ => new List<double>()).ToArray();
        var allocated = new long[readers.Length];
        var checksums = new long[readers.Length];
        for (var run = 0; run <= Runs; run++) // run 0 warms the JIT and the page cache, untimed
        {
            for (var r = 0; r < readers.Length; r++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
                {
                    checksums[r] = await readers[r].Read(file);
                }

                if (run > 0)
                {
                    times[r].Add(watch.Elapsed.TotalMilliseconds);
                    allocated[r] = GC.GetTotalAllocatedBytes(precise: true) - before;
                }
            }
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var floor = Median(times[2]);
        var textFloor = Median(times[4]);
        Console.WriteLine($"usage-csv: {megabytes:F0} MB, {Runs} runs each taking turns, median (best); ratios to CsvHelper's raw read as UTF-8 and as UTF-16 text");
        for (var r = 0; r < readers.Length; r++)
        {
            var median = Median(times[r]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {readers[r].Name,-56} {median,6:F0} ms ({times[r].Min(),5:F0})  {megabytes / (median / 1000),5:F0} MB/s  " +
                $"x{median / floor,4:F2} / x{median / textFloor,4:F2}  allocated {allocated[r] / 1e6,5:F1} MB/run  [checksum {checksums[r]}]"));
        }

        Console.WriteLine($"  process peak working set {process.PeakWorkingSet64 / 1e6:F0} MB (the file is {megabytes:F0} MB: no reader holds it)");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<long> OursAsTextAsync(Stream stream, IReadOnlyCollection<string> required)
    {
        await using var reader = await UsageCsvReader.OpenAsync(stream, required, CancellationToken.None);
        var columns = reader.Columns.Count;
        long sum = 0;
        while (await reader.ReadAsync(CancellationToken.None))
        {
            for (var i = 0; i < columns; i++) sum += reader.Field(i).Length;
        }

        return sum;
    }

    // What ActiveUserDetailAggregator asks of each row: dates and flags read from the UTF-8 bytes, two fields as text.
    private static async Task<long> OursTypedAsync(Stream stream, IReadOnlyCollection<string> required)
    {
        await using var reader = await UsageCsvReader.OpenAsync(stream, required, CancellationToken.None);
        var dates = reader.Columns.Select((c, i) => (c, i)).Where(x => x.c.EndsWith("Date", StringComparison.Ordinal)).Select(x => x.i).ToArray();
        var flags = reader.Columns.Select((c, i) => (c, i)).Where(x => x.c.StartsWith("Has ", StringComparison.Ordinal) || x.c == "Is Deleted").Select(x => x.i).ToArray();
        var upn = reader.Ordinal("User Principal Name");
        var products = reader.Ordinal("Assigned Products");
        long sum = 0;
        while (await reader.ReadAsync(CancellationToken.None))
        {
            foreach (var d in dates) sum += reader.Date(d)?.DayNumber ?? 0;
            foreach (var f in flags) sum += reader.Bool(f) ? 1 : 0;
            sum += reader.Field(upn).Length + reader.Field(products).Length;
        }

        return sum;
    }

    private static async Task<long> CsvHelperRawAsync(Stream stream)
    {
        await using var csv = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: true);
        long sum = 0;
        while (await csv.ReadAsync(CancellationToken.None))
        {
            for (var i = 0; i < csv.FieldCount; i++) sum += csv.GetSpan(i).Length;
        }

        return sum;
    }

    // The same values as OursTypedAsync, read with CsvHelper's own parsers: the floor for the typed path.
    private static async Task<long> CsvHelperTypedAsync(Stream stream)
    {
        await using var csv = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: true);
        await csv.ReadHeaderAsync(CancellationToken.None);
        var columns = csv.Headers;
        var dates = columns.Select((c, i) => (c, i)).Where(x => x.c.EndsWith("Date", StringComparison.Ordinal)).Select(x => x.i).ToArray();
        var flags = columns.Select((c, i) => (c, i)).Where(x => x.c.StartsWith("Has ", StringComparison.Ordinal) || x.c == "Is Deleted").Select(x => x.i).ToArray();
        var upn = csv.GetFieldIndex("User Principal Name");
        var products = csv.GetFieldIndex("Assigned Products");
        long sum = 0;
        while (await csv.ReadAsync(CancellationToken.None))
        {
            foreach (var d in dates) sum += csv.IsEmpty(d) ? 0 : csv.Parse<DateOnly>(d).DayNumber;
            foreach (var f in flags) sum += csv.Parse<bool>(f) ? 1 : 0;
            sum += csv.GetSpan(upn).Length + csv.GetSpan(products).Length;
        }

        return sum;
    }

    // Line numbers, the record bound and malformed-quote detection on: what UsageCsvReader asks of CsvHelper.
    private static async Task<long> CsvHelperWithOurOptionsAsync(Stream stream)
    {
        var malformed = 0;
        var options = CsvReaderOptions.Default with
        {
            Separator = ',', TrackLineNumbers = true, MaxRecordSize = 1024 * 1024, OnMalformedRecord = _ => malformed++,
        };
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        long sum = 0;
        while (await csv.ReadAsync(CancellationToken.None))
        {
            for (var i = 0; i < csv.FieldCount; i++) sum += csv.GetSpan(i).Length;
        }

        return sum + malformed;
    }

    private static async Task<long> CsvHelperRawCharsAsync(Stream stream)
    {
        await using var csv = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: true);
        var chars = new char[64 * 1024];
        long sum = 0;
        while (await csv.ReadAsync(CancellationToken.None))
        {
            for (var i = 0; i < csv.FieldCount; i++) sum += csv.GetChars(i, chars);
        }

        return sum;
    }

    private static long SepRaw(Stream stream)
    {
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).From(stream);
        long sum = 0;
        foreach (var row in reader)
        {
            for (var i = 0; i < row.ColCount; i++) sum += row[i].Span.Length;
        }

        return sum;
    }

    private static async Task<long> HandWrittenAsync(Stream stream, IReadOnlyCollection<string> required)
    {
        await using var reader = await HandWrittenCsvReader.OpenAsync(stream, required, CancellationToken.None);
        var columns = reader.Columns.Count;
        long sum = 0;
        while (await reader.ReadAsync(CancellationToken.None))
        {
            for (var i = 0; i < columns; i++) sum += reader.Field(i).Length;
        }

        return sum;
    }
}
