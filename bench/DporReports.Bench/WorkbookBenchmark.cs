using System.Diagnostics;
using System.Globalization;
using DporReports.Core.Reports.Workbooks;
using SpreadCheetah;
using SpreadCheetah.Metadata;
using SpreadCheetah.Styling;
using SpreadCheetah.Tables;
using SpreadCheetah.Worksheets;

namespace DporReports.Bench;

/// <summary>
/// Issue 13, part 2: WorkbookWriter against SpreadCheetah alone writing the same cells (same styles, widths, frozen
/// header, tables) at the same compression (Optimal, as the writer uses). Cases: the consumption summary of 10,000
/// customers (30,000 subscriptions × 20 columns), a 1,000,000-row trend sheet, and the 90-day trend of 10,000 customers
/// (4,500,000 rows: five sheets). Each measurement runs in its own child process (after a small warm-up that JIT-compiles
/// both paths), so its peak working set is its own; the writers take turns.
/// </summary>
internal static class WorkbookBenchmark
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private static readonly string[] Workloads = ["Exchange", "SharePoint", "OneDrive", "Teams", "Yammer"];

    private static readonly (string Name, string Description, int Size, int Runs)[] Cases =
    [
        ("summary", "consumption summary, 10,000 customers (30,000 rows × 20 columns)", 30_000, 3),
        ("trend", "trend sheet, 1,000,000 rows × 4 columns", 1_000_000, 3),
        ("trend-90d", "90-day trend of 10,000 customers, 4,500,000 rows × 4 columns (split across 5 sheets)", 4_500_000, 1),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--measure", var measured, var measuredWriter])
        {
            await MeasureAsync(Cases.Single(c => c.Name == measured), measuredWriter);
            return 0;
        }

        Console.WriteLine("workbook: WorkbookWriter (SpreadCheetah streaming) vs SpreadCheetah 1.28 alone, same cells, Optimal compression; " +
            "each run in a fresh process; median time");
        foreach (var @case in Cases)
        {
            var results = new Dictionary<string, List<(double Ms, double PeakMb, double FileMb)>> { ["ours"] = [], ["spreadcheetah"] = [] };
            for (var run = 0; run < @case.Runs; run++)
            {
                foreach (var writer in results.Keys)
                {
                    var line = await ChildAsync(@case.Name, writer);
                    if (line is null) return 1;
                    var parts = line.Split(';');
                    results[writer].Add((Parse(parts[0]), Parse(parts[1]), Parse(parts[2])));
                }
            }

            Console.WriteLine($"  {@case.Description}:");
            var floor = Median(results["spreadcheetah"].Select(r => r.Ms));
            foreach (var (writer, runs) in results)
            {
                var median = Median(runs.Select(r => r.Ms));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {(writer == "ours" ? "WorkbookWriter" : "SpreadCheetah alone"),-20} {median / 1000,6:F2} s  x{median / floor,4:F2}  " +
                    $"peak working set {runs.Max(r => r.PeakMb),5:F0} MB  file {runs[0].FileMb,6:F2} MB"));
            }
        }

        return 0;
    }

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);

    private static async Task<string?> ChildAsync(string name, string writer)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(WorkbookBenchmark).Assembly.Location);
        foreach (var argument in new[] { "workbook", "--measure", name, writer }) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            Console.Error.WriteLine($"workbook {name} {writer} failed: {output}");
            return null;
        }

        return output.Trim();
    }

    private static async Task MeasureAsync((string Name, string Description, int Size, int Runs) @case, string writer)
    {
        Func<int, Stream, Task> write = writer == "ours"
            ? (size, output) => WorkbookWriter.WriteAsync(Document(@case.Name, size), output, CancellationToken.None)
            : (size, output) => SpreadCheetahAloneAsync(@case.Name, size, output);

        // Warm-up: both paths JIT-compiled on a small workbook that still streams.
        await write(25_000, Stream.Null);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var path = Path.Combine(Path.GetTempPath(), $"dpor-workbook-{Guid.NewGuid():N}.xlsx");
        try
        {
            var watch = Stopwatch.StartNew();
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(@case.Size, file);
            }

            var ms = watch.Elapsed.TotalMilliseconds;
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{ms:F0};{process.PeakWorkingSet64 / 1e6:F0};{new FileInfo(path).Length / 1e6:F2}"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly WorkbookColumn[] TrendColumns =
    [
        new("Customer", CellType.Text, "", 36), new("Workload", CellType.Text, "", 14), new("Day", CellType.Date, "yyyy-mm-dd", 12),
        new("Daily active users", CellType.Integer, "#,##0", 16),
    ];

    private static List<WorkbookColumn> SummaryColumns()
    {
        List<WorkbookColumn> columns =
        [
            new("Customer", CellType.Text, "", 36), new("Tenant id", CellType.Text, "", 38), new("Subscription id", CellType.Text, "", 38),
            new("Product", CellType.Text, "", 30), new("Seats", CellType.Integer, "#,##0", 10), new("PAU", CellType.Integer, "#,##0", 10),
        ];
        foreach (var workload in Workloads)
        {
            columns.Add(new($"{workload} MAU", CellType.Integer, "#,##0", 14));
            columns.Add(new($"{workload} usage %", CellType.Percent, "0.0%", 14));
        }

        columns.AddRange([new("Change vs previous month", CellType.Percent, "+0.0%;-0.0%;0.0%", 14),
            new("Verified since", CellType.Date, "yyyy-mm-dd", 14), new("Data as of", CellType.Date, "yyyy-mm-dd", 12),
            new("Last refresh (UTC)", CellType.DateTime, "yyyy-mm-dd hh:mm", 18)]);
        return columns;
    }

    private static AboutEntry[] About(int size) =>
    [
        new("Generated by", "bench@adatum.example"), new("Generated at", "2026-11-20 07:00 UTC"), new("Period", "2026-08-23 – 2026-11-20"),
        new("Scope", $"All customers ({size:N0} rows)"),
    ];

    private static WorkbookDocument Document(string name, int size) => name == "summary"
        ? new("Consumption summary", About(size), [new WorkbookSheet("Consumption summary", "ConsumptionSummary", SummaryColumns(), SummaryRows(size))])
        : new("Workload trend", About(size), [new WorkbookSheet("Workload trend", "WorkloadTrend", TrendColumns, TrendRows(size))]);

    // Both writers get the same values, made as they are read: ours as the object rows WorkbookSheet takes, SpreadCheetah's
    // as typed cells.
    private static IEnumerable<object?[]> SummaryRows(int rows)
    {
        foreach (var r in Summary(rows))
        {
            var row = new object?[20];
            (row[0], row[1], row[2], row[3], row[4], row[5]) = (r.Customer, r.Tenant, r.Subscription, r.Product, r.Seats, r.Pau);
            for (var w = 0; w < 5; w++) (row[6 + (2 * w)], row[7 + (2 * w)]) = (r.Mau[w], r.Usage[w]);
            (row[16], row[17], row[18], row[19]) = (r.Change, r.VerifiedSince, r.AsOf, r.Refreshed);
            yield return row;
        }
    }

    private static IEnumerable<object?[]> TrendRows(int rows)
    {
        foreach (var (customer, workload, day, users) in Trend(rows)) yield return [customer, workload, day, users];
    }

    private sealed record SummaryRow(string Customer, string Tenant, string Subscription, string Product, int Seats, int Pau,
        int[] Mau, decimal[] Usage, double Change, DateOnly VerifiedSince, DateOnly AsOf, DateTimeOffset Refreshed);

    private static IEnumerable<SummaryRow> Summary(int rows)
    {
        string[] products = ["Office 365 E3", "Microsoft 365 E3", "Microsoft 365 E5", "Microsoft 365 Business Premium"];
        var refreshed = new DateTimeOffset(2026, 11, 20, 6, 15, 0, TimeSpan.Zero);
        var random = new Random(5);
        for (var i = 0; i < rows; i++)
        {
            var seats = random.Next(10, 5_000);
            var mau = new int[5];
            var usage = new decimal[5];
            for (var w = 0; w < 5; w++)
            {
                mau[w] = random.Next(0, seats);
                usage[w] = Math.Round((decimal)mau[w] / seats, 4);
            }

            yield return new SummaryRow($"Customer {i / 3:D5} Ltd", new Guid(i / 3, 0, 0, new byte[8]).ToString(), new Guid(i, 1, 1, new byte[8]).ToString(),
                products[i % products.Length], seats, seats - random.Next(0, 10), mau, usage, random.NextDouble() - 0.5,
                Day.AddDays(-random.Next(30, 900)), Day.AddDays(-random.Next(1, 3)), refreshed);
        }
    }

    private static IEnumerable<(string Customer, string Workload, DateOnly Day, int Users)> Trend(int rows)
    {
        for (var customer = 0; ; customer++)
        {
            var name = $"Customer {customer:D5} Ltd";
            foreach (var workload in Workloads)
            {
                for (var d = 0; d < 90; d++)
                {
                    if (rows-- == 0) yield break;
                    yield return (name, workload, Day.AddDays(d - 89), ((customer * 7) + (d * 13)) % 900);
                }
            }
        }
    }

    /// <summary>The same workbook through SpreadCheetah's own API: typed cells, no conversion, no buffering.</summary>
    private static async Task SpreadCheetahAloneAsync(string name, int size, Stream output)
    {
        var options = new SpreadCheetahOptions
        {
            CompressionLevel = SpreadCheetahCompressionLevel.Optimal,
            PreserveStringWhitespace = true,
            DocumentProperties = new DocumentProperties { Title = name },
        };
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(output, options);
        var bold = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        var styles = new Dictionary<string, (Style Style, StyleId Id)>(StringComparer.Ordinal);
        (Style Style, StyleId Id) StyleOf(string format) =>
            styles.TryGetValue(format, out var known) ? known : styles[format] = (new Style { Format = NumberFormat.Custom(format) }, spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(format) }));

        async Task StartAsync(string sheet, string table, IReadOnlyList<WorkbookColumn> columns)
        {
            var worksheet = new WorksheetOptions { FrozenRows = 1 };
            for (var i = 0; i < columns.Count; i++)
            {
                worksheet.Column(i + 1).Width = columns[i].Width + 0.710625;
                if (columns[i].NumberFormat.Length > 0) worksheet.Column(i + 1).DefaultStyle = StyleOf(columns[i].NumberFormat).Style;
            }

            await spreadsheet.StartWorksheetAsync(sheet, worksheet);
            spreadsheet.StartTable(new Table(TableStyle.Medium2, table));
            await spreadsheet.AddHeaderRowAsync(columns.Select(c => c.Header).ToArray(), bold);
        }

        await StartAsync("About", "About", [new("Item", CellType.Text, "", 28), new("Value", CellType.Text, "", 100)]);
        await spreadsheet.AddRowAsync([new Cell("Report"), new Cell(name)]);
        foreach (var entry in About(size)) await spreadsheet.AddRowAsync([new Cell(entry.Label), new Cell(entry.Value)]);

        if (name == "summary")
        {
            var columns = SummaryColumns();
            var ids = columns.Select(c => c.NumberFormat.Length > 0 ? StyleOf(c.NumberFormat).Id : null).ToArray();
            await StartAsync("Consumption summary", "ConsumptionSummary", columns);
            var cells = new Cell[20];
            foreach (var r in Summary(size))
            {
                (cells[0], cells[1], cells[2], cells[3]) = (new Cell(r.Customer), new Cell(r.Tenant), new Cell(r.Subscription), new Cell(r.Product));
                (cells[4], cells[5]) = (new Cell(r.Seats, ids[4]), new Cell(r.Pau, ids[5]));
                for (var w = 0; w < 5; w++) (cells[6 + (2 * w)], cells[7 + (2 * w)]) = (new Cell(r.Mau[w], ids[6 + (2 * w)]), new Cell(r.Usage[w], ids[7 + (2 * w)]));
                cells[16] = new Cell(r.Change, ids[16]);
                cells[17] = new Cell(r.VerifiedSince.ToDateTime(TimeOnly.MinValue), ids[17]);
                cells[18] = new Cell(r.AsOf.ToDateTime(TimeOnly.MinValue), ids[18]);
                cells[19] = new Cell(r.Refreshed.DateTime, ids[19]);
                await spreadsheet.AddRowAsync(cells);
            }
        }
        else
        {
            var (dayStyle, usersStyle) = (StyleOf("yyyy-mm-dd").Id, StyleOf("#,##0").Id);
            var cells = new Cell[4];
            var sheet = 1;
            var inSheet = 0;
            await StartAsync("Workload trend", "WorkloadTrend", TrendColumns);
            foreach (var (customer, workload, day, users) in Trend(size))
            {
                if (inSheet++ == 1_048_575)
                {
                    sheet++;
                    inSheet = 1;
                    await StartAsync($"Workload trend ({sheet})", $"WorkloadTrend_{sheet}", TrendColumns);
                }

                (cells[0], cells[1], cells[2], cells[3]) = (new Cell(customer), new Cell(workload), new Cell(day.ToDateTime(TimeOnly.MinValue), dayStyle), new Cell(users, usersStyle));
                await spreadsheet.AddRowAsync(cells);
            }
        }

        await spreadsheet.FinishAsync();
    }
}
