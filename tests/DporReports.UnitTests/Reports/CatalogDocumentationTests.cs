using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DporReports.Core.Reports.Catalog;

namespace DporReports.UnitTests.Reports;

/// <summary>
/// reports/README.md and reports/schema/report-definition.schema.json say what the code enforces: every metric a column
/// declares is defined in the README, every dataset field is listed there, and the schema names the same datasets,
/// keys, metrics and types as ReportDatasets and ReportMetrics.
/// </summary>
public sealed partial class CatalogDocumentationTests
{
    private static readonly string Readme = RepositoryFiles.Read("README.md");
    private static readonly JsonObject Schema = JsonNode.Parse(RepositoryFiles.Read("schema", "report-definition.schema.json"))!.AsObject();

    [GeneratedRegex(@"^- `(?<name>[a-zA-Z]+)` — \*", RegexOptions.Multiline)]
    private static partial Regex MetricDefinition();

    [Fact]
    public void Readme_EveryMetricAShippedColumnDeclares_IsDefined()
    {
        var defined = DefinedMetrics();
        var declared = ReportCatalog.Load().All.SelectMany(r => r.Sheets).SelectMany(s => s.Columns)
            .Select(c => c.Metric).OfType<string>().Distinct();

        Assert.All(declared, metric => Assert.Contains(metric, defined));
    }

    [Fact]
    public void Readme_MetricDefinitions_AreExactlyTheMetricsColumnsMayDeclare() =>
        Assert.Equal(ReportMetrics.All.Order(StringComparer.Ordinal), DefinedMetrics().Order(StringComparer.Ordinal));

    [Fact]
    public void Readme_EveryDatasetAndField_IsListed()
    {
        foreach (var dataset in ReportDatasets.All)
        {
            Assert.Contains($"**`{dataset}`**", Readme, StringComparison.Ordinal);
            Assert.All(ReportDatasets.Fields(dataset), f => Assert.Contains($"`{f.Key}`", Readme, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("28 days ending at the report's refresh date, both ends included (refresh date − 27 … refresh date)")]
    [InlineData("can exceed 100 %")]
    [InlineData("PAU 0 shows \"—\", not a division error")]
    [InlineData("largest-remainder method")]
    [InlineData("*unattributed* bucket")]
    [InlineData("count the users who did each action, not the")]
    [InlineData("normally 1–2 days before")]
    [InlineData("D lies inside that assignment's window `[start, end)`")]
    public void Readme_DesignDefinitions_AreStated(string words) =>
        Assert.Contains(words, Regex.Replace(Readme, @"\s*\n\s*", " "), StringComparison.Ordinal);

    [Fact]
    public void Schema_DatasetNames_AreTheCodeDatasets() =>
        Assert.Equal(ReportDatasets.All, Strings(Schema["properties"]!["dataset"]!["enum"]!));

    [Fact]
    public void Schema_KeysPerDataset_AreTheCodeFields()
    {
        var branches = Schema["allOf"]!.AsArray();

        Assert.Equal(ReportDatasets.All.Count, branches.Count);
        foreach (var branch in branches)
        {
            var dataset = (string)branch!["if"]!["properties"]!["dataset"]!["const"]!;
            var sheet = branch["then"]!["properties"]!["sheets"]!["items"]!["properties"]!;
            var expected = ReportDatasets.Fields(dataset).Select(f => f.Key);
            Assert.Equal(expected, Strings(sheet["columns"]!["items"]!["properties"]!["key"]!["enum"]!));
            Assert.Equal(expected, Strings(sheet["sort"]!["items"]!["properties"]!["key"]!["enum"]!));
        }
    }

    [Fact]
    public void Schema_MetricsAndTypes_AreTheCodeOnes()
    {
        var column = Schema["$defs"]!["column"]!["properties"]!;

        Assert.Equal(ReportMetrics.All, Strings(column["metric"]!["enum"]!));
        Assert.Equal(Enum.GetValues<ColumnType>().Select(ReportDefinitionReader.Name), Strings(column["type"]!["enum"]!));
    }

    [Fact]
    public void Schema_SheetNameLimit_IsExcels() =>
        Assert.Equal(ReportDefinitionReader.MaxSheetNameLength, (int)Schema["$defs"]!["sheet"]!["properties"]!["name"]!["maxLength"]!);

    private static List<string> DefinedMetrics()
    {
        var section = Readme[Readme.IndexOf("## Metric definitions", StringComparison.Ordinal)..];
        return [.. MetricDefinition().Matches(section).Select(m => m.Groups["name"].Value)];
    }

    private static List<string> Strings(JsonNode array) => [.. array.AsArray().Select(n => (string)n!)];
}
