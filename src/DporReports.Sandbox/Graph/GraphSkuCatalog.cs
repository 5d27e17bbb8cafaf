using System.Collections.Frozen;
using System.Text;
using Microsoft.VisualBasic.FileIO;

namespace DporReports.Sandbox.Graph;

/// <summary>A service plan of a SKU (Graph's servicePlanInfo without the per-subscription provisioning status).</summary>
internal sealed record GraphPlan(Guid Id, string Name);

/// <summary>A licensable product as Graph names it: skuPartNumber, skuId, display name and the service plans it carries.</summary>
internal sealed record GraphSku(string PartNumber, Guid SkuId, string DisplayName, IReadOnlyList<GraphPlan> Plans);

/// <summary>
/// Every SKU of Microsoft's "Product names and service plan identifiers for licensing" (embedded: the same file the
/// product ships), read here with the runtime's own CSV parser so the sandbox does not share the product's reading of it.
/// Ids and names are trimmed of the table's stray white space; a SKU's repeated plan rows are kept once.
/// </summary>
internal static class GraphSkuCatalog
{
    private static readonly Lazy<(GraphSku[] All, FrozenDictionary<string, GraphSku> ByPartNumber)> Table = new(Load);

    public static IReadOnlyList<GraphSku> All => Table.Value.All;

    /// <summary>
    /// The SKUs synthetic inventories (<c>Scale</c>) cycle over: the suites and add-ons partners resell most. The sandbox's
    /// choice of test mix, not a catalog: every part number here is looked up in Microsoft's table.
    /// </summary>
    public static IReadOnlyList<GraphSku> Common { get; } =
    [
        .. new[]
        {
            "ENTERPRISEPACK", "STANDARDWOFFPACK", "Office_365_E3_(no_Teams)", "SPE_E3", "SPE_E5", "SPB", "EMS", "EMSPREMIUM", "INTUNE_A",
            "POWER_BI_PRO", "DYN365_ENTERPRISE_PLAN1",
        }.Select(Find),
    ];

    /// <summary>A SKU of the table by part number, or one with a deterministic skuId and no service plans.</summary>
    public static GraphSku Find(string partNumber) =>
        Table.Value.ByPartNumber.TryGetValue(partNumber, out var sku)
            ? sku
            : new GraphSku(partNumber, SandboxDirectory.DeterministicGuid("graph-sku:" + partNumber), partNumber.Replace('_', ' '), []);

    private static (GraphSku[], FrozenDictionary<string, GraphSku>) Load()
    {
        using var stream = typeof(GraphSkuCatalog).Assembly.GetManifestResourceStream("licensing.csv")
            ?? throw new InvalidOperationException("The licensing table is not embedded in the sandbox.");
        using var parser = new TextFieldParser(stream, Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        parser.ReadFields();
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add([.. parser.ReadFields()!.Select(Clean)]);
        }

        var skus = rows.GroupBy(r => Guid.Parse(r[2]))
            .Select(g => new GraphSku(g.First()[1], g.Key, g.First()[0],
                [.. g.Select(r => new GraphPlan(Guid.Parse(r[4]), r[3])).DistinctBy(p => p.Id)]))
            .ToArray();
        return (skus, skus.GroupBy(s => s.PartNumber, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase));
    }

    private static string Clean(string field) => string.Join(' ', field.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
