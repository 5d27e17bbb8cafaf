using System.Text;
using DporReports.Core.Usage;

namespace DporReports.Core.Subscriptions.Licensing;

/// <summary>One service plan as Microsoft's licensing table lists it under a SKU.</summary>
public sealed record TablePlan(Guid Id, string Name, string FriendlyName);

/// <summary>One SKU of Microsoft's licensing table: skuId, part number (Graph's skuPartNumber), display name, plans.</summary>
public sealed record TableSku(Guid SkuId, string PartNumber, string DisplayName, IReadOnlyList<TablePlan> Plans);

/// <summary>
/// Microsoft's "Product names and service plan identifiers for licensing" (one row per SKU × service plan), shipped
/// whole as <c>product-names-and-service-plans.csv</c> and read here as published. The table has real quirks, handled
/// rather than cleaned by hand: ids and names with stray spaces, tabs or no-break spaces (trimmed, inner runs collapsed);
/// a plan id spelled with two names in different rows (the name most rows use wins: "RMS_S_ENTERPRISE)" is a typo of
/// "RMS_S_ENTERPRISE"); the same SKU × plan row twice (kept once); one part number under two skuIds (MCOPSTN5: both
/// kept, Graph reports skuId). Refused, naming the row: a column missing, an id that is not a GUID, an empty name, and
/// one skuId under two part numbers or two display names (the table would then contradict itself on what a SKU is).
/// </summary>
public static class LicensingTable
{
    public const string ResourceName = "licensing/product-names-and-service-plans.csv";

    private const string DisplayNameColumn = "Product_Display_Name";
    private const string PartNumberColumn = "String_Id";
    private const string SkuIdColumn = "GUID";
    private const string PlanNameColumn = "Service_Plan_Name";
    private const string PlanIdColumn = "Service_Plan_Id";
    private const string PlanFriendlyNameColumn = "Service_Plans_Included_Friendly_Names";

    private static readonly string[] Columns =
        [DisplayNameColumn, PartNumberColumn, SkuIdColumn, PlanNameColumn, PlanIdColumn, PlanFriendlyNameColumn];

    /// <summary>The table shipped in this assembly.</summary>
    public static async Task<IReadOnlyList<TableSku>> ReadShippedAsync(CancellationToken ct)
    {
        await using var stream = typeof(LicensingTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The licensing table ({ResourceName}) is not embedded in {typeof(LicensingTable).Assembly.GetName().Name}.");
        return await ReadAsync(stream, ct);
    }

    /// <summary>Reads a table in Microsoft's CSV layout. Throws <see cref="UsageReportFormatException"/> naming the row.</summary>
    public static async Task<IReadOnlyList<TableSku>> ReadAsync(Stream csv, CancellationToken ct)
    {
        var skus = new Dictionary<Guid, SkuRows>();
        var planNames = new Dictionary<Guid, Dictionary<string, int>>();
        await using var reader = await UsageCsvReader.OpenAsync(csv, Columns, ct);
        int displayName = reader.Ordinal(DisplayNameColumn), partNumber = reader.Ordinal(PartNumberColumn), skuId = reader.Ordinal(SkuIdColumn),
            planName = reader.Ordinal(PlanNameColumn), planId = reader.Ordinal(PlanIdColumn), friendly = reader.Ordinal(PlanFriendlyNameColumn);
        while (await reader.ReadAsync(ct))
        {
            var sku = Id(reader, skuId);
            var part = Text(reader, partNumber);
            var name = Text(reader, displayName);
            var plan = new TablePlan(Id(reader, planId), Text(reader, planName), Clean(reader.Field(friendly)));
            if (!skus.TryGetValue(sku, out var rows))
            {
                skus.Add(sku, rows = new SkuRows(part, name));
            }
            else if (!string.Equals(rows.PartNumber, part, StringComparison.Ordinal) || !string.Equals(rows.DisplayName, name, StringComparison.Ordinal))
            {
                throw reader.Malformed(partNumber,
                    $"gives skuId {sku} as \"{part}\" / \"{name}\" where earlier rows say \"{rows.PartNumber}\" / \"{rows.DisplayName}\"");
            }

            rows.Plans.TryAdd(plan.Id, plan);
            var names = planNames.TryGetValue(plan.Id, out var seen) ? seen : planNames[plan.Id] = new(StringComparer.Ordinal);
            names[plan.Name] = names.GetValueOrDefault(plan.Name) + 1;
        }

        if (skus.Count == 0)
        {
            throw new UsageReportFormatException("The licensing table has a header but no rows.");
        }

        // Ties go to the ordinal-first spelling, so the result never depends on row order.
        var canonical = planNames.ToDictionary(p => p.Key,
            p => p.Value.OrderByDescending(n => n.Value).ThenBy(n => n.Key, StringComparer.Ordinal).First().Key);
        return [.. skus.Select(s => new TableSku(s.Key, s.Value.PartNumber, s.Value.DisplayName,
                [.. s.Value.Plans.Values.Select(p => p with { Name = canonical[p.Id] })]))
            .OrderBy(s => s.PartNumber, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.SkuId)];
    }

    private sealed class SkuRows(string partNumber, string displayName)
    {
        public string PartNumber { get; } = partNumber;
        public string DisplayName { get; } = displayName;
        public Dictionary<Guid, TablePlan> Plans { get; } = [];
    }

    private static Guid Id(UsageCsvReader reader, int ordinal) =>
        Guid.TryParseExact(Clean(reader.Field(ordinal)), "D", out var id) && id != Guid.Empty
            ? id
            : throw reader.Malformed(ordinal, "is not a GUID");

    private static string Text(UsageCsvReader reader, int ordinal)
    {
        var text = Clean(reader.Field(ordinal));
        return text.Length > 0 ? text : throw reader.Malformed(ordinal, "is empty");
    }

    /// <summary>Trims every kind of white space (tabs and no-break spaces included) and collapses inner runs to one space.</summary>
    internal static string Clean(ReadOnlySpan<char> field)
    {
        var text = new StringBuilder(field.Length);
        var pendingSpace = false;
        foreach (var c in field)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = text.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
