using System.Text.Json;
using DporReports.Core.Reports.Catalog;
using DporReports.Core.Subscriptions;
using static DporReports.Core.Reports.Catalog.ReportDatasets;

namespace DporReports.UnitTests.Reports;

/// <summary>The definitions in reports/ as shipped (embedded in DporReports.Core) load, validate and cover issue 5's reports.</summary>
public sealed class ShippedReportsTests
{
    private static readonly ReportCatalog Shipped = ReportCatalog.Load();

    [Fact]
    public void Load_EmbeddedDefinitions_GivesTheFourReports() =>
        Assert.Equal(["assignment-ledger", "consumption-summary", "where-to-help", "workload-trend"], Shipped.All.Select(r => r.Id));

    [Fact]
    public void Load_ReportsFolder_GivesTheSameDefinitionsAsTheEmbeddedOnes()
    {
        // Guards the csproj glob: a file in reports/ that the build did not embed would be missing in every host.
        var fromFolder = ReportCatalog.Load(RepositoryFiles.ReportsFolder);

        Assert.Equal(JsonSerializer.Serialize(fromFolder.All), JsonSerializer.Serialize(Shipped.All));
    }

    [Theory]
    [InlineData("consumption-summary", ConsumptionSummary)]
    [InlineData("workload-trend", WorkloadTrend)]
    [InlineData("assignment-ledger", AssignmentLedger)]
    [InlineData("where-to-help", WhereToHelp)]
    public void Find_ShippedId_ReturnsTheReportOverItsDataset(string id, string dataset) =>
        Assert.Equal(dataset, Shipped.Find(id)?.Dataset);

    [Theory]
    [InlineData("usage")]
    [InlineData("Consumption-Summary")]
    [InlineData("")]
    public void Find_UnknownId_ReturnsNull(string id) => Assert.Null(Shipped.Find(id));

    [Fact]
    public void ShippedColumns_EveryKey_IsAFieldOfTheDatasetWithItsTypeAndMetric()
    {
        foreach (var report in Shipped.All)
        {
            foreach (var column in report.Sheets.SelectMany(s => s.Columns))
            {
                var field = Field(report.Dataset, column.Key);
                Assert.True(field is not null, $"{report.Id}: '{column.Key}' is not a field of {report.Dataset}.");
                Assert.Equal(field.Type, column.Type);
                Assert.Equal(field.Metric, column.Metric);
            }
        }
    }

    /// <summary>
    /// A Spanish text equal to the English one is a text nobody translated (the reader requires the block, not a
    /// translation); only Microsoft's own terms, which Latin-American Microsoft pages keep in English, may stay.
    /// </summary>
    [Fact]
    public void ShippedReports_EveryShownText_IsTranslatedToSpanish()
    {
        string[] keptInEnglish = ["Partner ID"];
        var untranslated = Shipped.All.SelectMany(r => new[] { (r.Id, r.Title, r.SpanishTitle), (r.Id, r.Description, r.SpanishDescription) }
                .Concat(r.Sheets.SelectMany(s => new[] { (r.Id, s.Name, s.SpanishName), (r.Id, s.Title, s.SpanishTitle) }
                    .Concat(s.Columns.Select(c => (r.Id, c.Header, c.SpanishHeader))))))
            .Where(t => t.Item2 == t.Item3 && !keptInEnglish.Contains(t.Item2))
            .Select(t => $"{t.Item1}: {t.Item2}").ToList();

        Assert.True(untranslated.Count == 0, "Not translated:\n" + string.Join("\n", untranslated));
    }

    [Fact]
    public void ShippedSheets_EachSheet_FreezesItsHeaderAndIsSorted()
    {
        foreach (var sheet in Shipped.All.SelectMany(r => r.Sheets))
        {
            Assert.True(sheet.FreezeHeader, sheet.Name);
            Assert.NotEmpty(sheet.Sort);
        }
    }

    [Fact]
    public void ConsumptionSummary_EveryWorkload_HasLicensedUsersMauUsageAndAssignedPercent()
    {
        var keys = Shipped.Find(ConsumptionSummary)!.Sheets.SelectMany(s => s.Columns).Select(c => c.Key).ToHashSet();

        foreach (var workload in Enum.GetValues<Workload>())
        {
            var (licensed, mau, usage, assigned) = ConsumptionSummaryFields.Of(workload);
            Assert.Superset(new HashSet<string> { licensed, mau, usage, assigned }, keys);
        }
        Assert.Superset(new HashSet<string>
        {
            ConsumptionSummaryFields.CustomerName, ConsumptionSummaryFields.ProductName, ConsumptionSummaryFields.Family,
            ConsumptionSummaryFields.Seats, ConsumptionSummaryFields.OverallUsageChange, ConsumptionSummaryFields.UsageAsOf,
        }, keys);
    }

    [Fact]
    public void WorkloadTrendAndAssignmentLedger_ShowTheFieldsIssueFiveAsksFor()
    {
        Assert.Superset(
            new HashSet<string> { WorkloadTrendFields.CustomerName, WorkloadTrendFields.Date, WorkloadTrendFields.Workload, WorkloadTrendFields.DailyActiveUsers },
            Shipped.Find(WorkloadTrend)!.Sheets.SelectMany(s => s.Columns).Select(c => c.Key).ToHashSet());
        Assert.Superset(
            new HashSet<string>
            {
                AssignmentLedgerFields.CustomerName, AssignmentLedgerFields.ProductName, AssignmentLedgerFields.SubscriptionId, AssignmentLedgerFields.Event,
                AssignmentLedgerFields.At, AssignmentLedgerFields.PartnerBefore, AssignmentLedgerFields.PartnerAfter,
                AssignmentLedgerFields.PartnerIdNumber, AssignmentLedgerFields.State,
            },
            Shipped.Find(AssignmentLedger)!.Sheets.SelectMany(s => s.Columns).Select(c => c.Key).ToHashSet());
    }

    [Fact]
    public void Fields_EveryDataset_HasUniqueCamelCaseKeys()
    {
        foreach (var dataset in All)
        {
            var keys = Fields(dataset).Select(f => f.Key).ToList();
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(keys, k => Assert.Matches("^[a-z][a-zA-Z0-9]*$", k));
        }
    }

    [Fact]
    public void Fields_UnknownDataset_Throws() => Assert.Throws<ArgumentException>(() => Fields("usage"));
}
