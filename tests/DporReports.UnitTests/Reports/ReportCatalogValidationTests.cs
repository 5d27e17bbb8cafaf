using System.Text.Json.Nodes;
using DporReports.Core.Reports.Catalog;
using static DporReports.UnitTests.Reports.DefinitionJson;

namespace DporReports.UnitTests.Reports;

/// <summary>
/// Each kind of mistake in a definition file is refused with a message naming the file, the JSON path and what is
/// wrong, and a load lists every problem at once (the host prints them all when it refuses to start).
/// </summary>
public sealed class ReportCatalogValidationTests
{
    [Fact]
    public void Load_ValidDefinition_ReadsEveryProperty()
    {
        var report = Assert.Single(ReportCatalog.Load([new ReportFile("trend.json", Valid)]).All);

        Assert.Equal(("trend", "Trend", "Daily active users.", ReportDatasets.WorkloadTrend),
            (report.Id, report.Title, report.Description, report.Dataset));
        var sheet = Assert.Single(report.Sheets);
        Assert.Equal(("Daily", "Daily active users", true), (sheet.Name, sheet.Title, sheet.FreezeHeader));
        Assert.Equal(new ColumnDefinition("dailyActiveUsers", "Daily active users", ReportMetrics.DailyActiveUsers, ColumnType.Integer, "#,##0", 18.5,
            "Usuarios activos diarios"), sheet.Columns[2]);
        Assert.Equal(("Tendencia", "Usuarios activos diarios.", "Diario", "Usuarios activos diarios"),
            (report.SpanishTitle, report.SpanishDescription, sheet.SpanishName, sheet.SpanishTitle));
        Assert.Null(sheet.Columns[0].Metric);
        Assert.Equal(new SortDefinition("date", SortDirection.Desc), Assert.Single(sheet.Sort));
    }

    [Fact]
    public void Load_SortLeftOut_GivesNoSort()
    {
        var report = ReportCatalog.Load([new ReportFile("trend.json", With(r => Sheet(r).Remove("sort")))]).All[0];

        Assert.Empty(report.Sheets[0].Sort);
    }

    [Fact]
    public void Load_UnknownDataset_NamesTheDatasetsThatExist()
    {
        var problem = Problem(With(r => r["dataset"] = "usage-summary"));

        Assert.Equal(("trend.json", "$.dataset"), (problem.File, problem.Path));
        Assert.Equal("'usage-summary' is not a dataset; use one of: consumption-summary, workload-trend, assignment-ledger, where-to-help.", problem.Message);
    }

    [Fact]
    public void Load_MisspelledFieldKey_NamesTheDatasetAndTheFieldMeant()
    {
        var problem = Problem(With(r => Column(r, 2)["key"] = "dailyActiveusers"));

        Assert.Equal("$.sheets[0].columns[2].key", problem.Path);
        Assert.Equal("'dailyActiveusers' is not a field of dataset 'workload-trend' (did you mean 'dailyActiveUsers'?).", problem.Message);
    }

    [Fact]
    public void Load_FieldOfAnotherDataset_IsUnknownAndTheFieldsAreListed()
    {
        var problem = Problem(With(r => Column(r, 0)["key"] = ReportDatasets.ConsumptionSummaryFields.ExchangeMau));

        Assert.Equal("$.sheets[0].columns[0].key", problem.Path);
        Assert.Equal("'exchangeMau' is not a field of dataset 'workload-trend'; its fields are: customerName, tenantId, date, workload, dailyActiveUsers.",
            problem.Message);
    }

    [Fact]
    public void Load_PercentColumnWithoutPercentFormat_ReportsTheMismatch()
    {
        var json = """
            {
              "id": "usage", "title": "Usage", "description": "Usage %.", "es": { "title": "Uso", "description": "% de uso." },
              "dataset": "consumption-summary",
              "sheets": [ { "name": "Usage", "title": "Usage", "es": { "name": "Uso", "title": "Uso" }, "freezeHeader": false, "columns": [
                { "key": "teamsUsage", "header": "Teams usage %", "es": { "header": "% de uso de Teams" }, "metric": "usagePercent", "type": "percent",
                  "format": "0.00", "width": 12 }
              ] } ]
            }
            """;

        var problem = Assert.Single(Problems(("usage.json", json)));

        Assert.Equal(("usage.json", "$.sheets[0].columns[0].format"), (problem.File, problem.Path));
        Assert.Equal("'0.00' does not fit type 'percent': a percent column needs a format with %, such as 0.0%.", problem.Message);
    }

    [Fact]
    public void Load_DateColumnWithNumberFormat_ReportsTheMismatch()
    {
        var problem = Problem(With(r => Column(r, 1)["format"] = "#,##0"));

        Assert.Equal("$.sheets[0].columns[1].format", problem.Path);
        Assert.Equal("'#,##0' does not fit type 'date': a date column needs a date format such as yyyy-mm-dd (no time parts).", problem.Message);
    }

    [Theory]
    [InlineData(ColumnType.Text, "@")]
    [InlineData(ColumnType.Integer, "#,##0")]
    [InlineData(ColumnType.Integer, "0")]
    [InlineData(ColumnType.Decimal, "#,##0.00;[Red]-#,##0.00")]
    [InlineData(ColumnType.Percent, "0.0%")]
    [InlineData(ColumnType.Percent, "+0.0%;-0.0%;0.0%")]
    [InlineData(ColumnType.Date, "yyyy-mm-dd")]
    [InlineData(ColumnType.Date, "d mmm yyyy")]
    [InlineData(ColumnType.Date, "[$-409]mmmm d, yyyy")]
    [InlineData(ColumnType.DateTime, "yyyy-mm-dd hh:mm")]
    [InlineData(ColumnType.DateTime, "dd/mm/yyyy hh:mm:ss")]
    [InlineData(ColumnType.Integer, "#,##0 \"days\"")]
    public void FormatProblem_FormatFittingTheType_ReturnsNull(ColumnType type, string format) =>
        Assert.Null(ReportDefinitionReaderFormat(type, format));

    [Theory]
    [InlineData(ColumnType.Text, "General")]
    [InlineData(ColumnType.Integer, "0%")]
    [InlineData(ColumnType.Integer, "General")]
    [InlineData(ColumnType.Integer, "yyyy-mm-dd")]
    [InlineData(ColumnType.Decimal, "0.0%")]
    [InlineData(ColumnType.Percent, "0.0")]
    [InlineData(ColumnType.Percent, "0.0\"%\"")]
    [InlineData(ColumnType.Date, "0.0%")]
    [InlineData(ColumnType.Date, "yyyy-mm-dd hh:mm")]
    [InlineData(ColumnType.Date, "#,##0")]
    [InlineData(ColumnType.DateTime, "yyyy-mm-dd")]
    [InlineData(ColumnType.DateTime, "hh:mm")]
    public void FormatProblem_FormatNotFittingTheType_ReturnsTheReason(ColumnType type, string format) =>
        Assert.NotNull(ReportDefinitionReaderFormat(type, format));

    [Fact]
    public void Load_TypeOtherThanTheFields_ReportsTheMismatch()
    {
        var problem = Problem(With(r =>
        {
            Column(r, 2)["type"] = "decimal";
            Column(r, 2)["format"] = "#,##0.0";
        }));

        Assert.Equal("$.sheets[0].columns[2].type", problem.Path);
        Assert.Equal("'decimal' does not match field 'dailyActiveUsers', whose values are integer.", problem.Message);
    }

    [Fact]
    public void Load_UnknownType_ListsTheTypes()
    {
        var problem = Problem(With(r => Column(r, 2)["type"] = "number"));

        Assert.Equal("$.sheets[0].columns[2].type", problem.Path);
        Assert.Equal("'number' is not a column type; use one of: text, integer, decimal, percent, date, dateTime.", problem.Message);
    }

    [Fact]
    public void Load_MetricOtherThanTheFields_ReportsTheMismatch()
    {
        var problem = Problem(With(r => Column(r, 2)["metric"] = ReportMetrics.Mau));

        Assert.Equal("$.sheets[0].columns[2].metric", problem.Path);
        Assert.Equal("'mau' does not fit: field 'dailyActiveUsers' carries the metric 'dailyActiveUsers'.", problem.Message);
    }

    [Fact]
    public void Load_MetricOnAFieldWithoutOne_ReportsIt()
    {
        var problem = Problem(With(r => Column(r, 1)["metric"] = ReportMetrics.Freshness));

        Assert.Equal("'freshness' does not fit: field 'date' carries no metric; leave 'metric' out.", problem.Message);
    }

    [Fact]
    public void Load_MetricNotDefinedInTheReadme_ReportsIt()
    {
        var problem = Problem(With(r => Column(r, 2)["metric"] = "dau"));

        Assert.Equal("$.sheets[0].columns[2].metric", problem.Path);
        Assert.StartsWith("'dau' is not a metric defined in reports/README.md; use one of: pau, licensedUsers, mau,", problem.Message);
    }

    [Fact]
    public void Load_SheetNameOver31Characters_ReportsExcelsLimit()
    {
        var problem = Problem(With(r => Sheet(r)["name"] = "Daily active users per workload!"));

        Assert.Equal("$.sheets[0].name", problem.Path);
        Assert.Equal("'Daily active users per workload!' is 32 characters long; Excel allows at most 31.", problem.Message);
    }

    [Theory]
    [InlineData("Q1/Q2")]
    [InlineData("Usage [old]")]
    [InlineData("Usage: all")]
    [InlineData("Top*")]
    [InlineData("Why?")]
    [InlineData("A\\B")]
    public void Load_SheetNameWithACharacterExcelRefuses_ReportsIt(string name)
    {
        var problem = Problem(With(r => Sheet(r)["name"] = name));

        Assert.Equal("$.sheets[0].name", problem.Path);
        Assert.Contains("Excel does not allow [ ] : * ? / \\ in a sheet name", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SheetNameInApostrophes_ReportsIt() =>
        Assert.Contains("apostrophe", Problem(With(r => Sheet(r)["name"] = "'Daily'")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("About")]
    [InlineData("about")]
    public void Load_SheetNamedAbout_IsReservedForTheWriter(string name)
    {
        var problem = Problem(With(r => Sheet(r)["name"] = name));

        Assert.Equal($"'{name}' is reserved: the workbook writer adds the About sheet to every report.", problem.Message);
    }

    [Fact]
    public void Load_DuplicateSheetNameIgnoringCase_ReportsTheSecond()
    {
        var problem = Problem(With(r =>
        {
            var copy = Sheet(r).DeepClone().AsObject();
            copy["name"] = "DAILY";
            copy["es"]!["name"] = "Diario 2";
            r["sheets"]!.AsArray().Add(copy);
        }));

        Assert.Equal("$.sheets[1].name", problem.Path);
        Assert.Equal("'DAILY' is a duplicate: another sheet of this report has that name (Excel ignores case in sheet names).", problem.Message);
    }

    [Fact]
    public void Load_DuplicateReportId_NamesBothFiles()
    {
        var problem = Assert.Single(Problems(("trend.json", Valid), ("trend.json", Valid)));

        Assert.Equal(("trend.json", "$.id"), (problem.File, problem.Path));
        Assert.Equal("'trend' is a duplicate report id: trend.json has it too.", problem.Message);
    }

    [Fact]
    public void Load_IdNotTheFileName_ReportsIt()
    {
        var problem = Assert.Single(Problems(("daily-trend.json", Valid)));

        Assert.Equal(("daily-trend.json", "$.id"), (problem.File, problem.Path));
        Assert.Equal("'trend' does not match the file name: a report's id is its file name without .json ('daily-trend').", problem.Message);
    }

    [Fact]
    public void Load_IdNotKebabCase_ReportsIt()
    {
        var problems = Problems(("WorkloadTrend.json", With(r => r["id"] = "WorkloadTrend")));

        Assert.Equal("'WorkloadTrend' is not kebab-case (lower-case letters and digits joined by single hyphens).", Assert.Single(problems).Message);
    }

    [Fact]
    public void Load_ColumnWithoutWidth_ReportsTheMissingWidth()
    {
        var problem = Problem(With(r => Column(r, 1).Remove("width")));

        Assert.Equal("$.sheets[0].columns[1]", problem.Path);
        Assert.Equal("'width' is required: column widths are explicit (Excel character units).", problem.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("256")]
    [InlineData("\"12\"")]
    public void Load_WidthNotAPositiveNumberUpTo255_ReportsIt(string width)
    {
        var problem = Problem(With(r => Column(r, 1)["width"] = JsonNode.Parse(width)));

        Assert.Equal("$.sheets[0].columns[1].width", problem.Path);
    }

    [Fact]
    public void Load_SortByAFieldTheSheetDoesNotShow_ReportsTheUnknownSortKey()
    {
        var problem = Problem(With(r => Sheet(r)["sort"]![0]!["key"] = "tenantId"));

        Assert.Equal("$.sheets[0].sort[0].key", problem.Path);
        Assert.Equal("'tenantId' is not a column of this sheet; sort by a column the sheet shows.", problem.Message);
    }

    [Fact]
    public void Load_UnknownSortDirection_ReportsIt()
    {
        var problem = Problem(With(r => Sheet(r)["sort"]![0]!["direction"] = "descending"));

        Assert.Equal(("$.sheets[0].sort[0].direction", "'descending' is not a direction; use asc or desc."), (problem.Path, problem.Message));
    }

    [Fact]
    public void Load_DuplicateColumnKeyAndHeaders_ReportsEach()
    {
        var problems = Problems(("trend.json", With(r => Sheet(r)["columns"]!.AsArray().Add(Column(r, 0).DeepClone()))));

        Assert.Equal(["$.sheets[0].columns[3].key", "$.sheets[0].columns[3].header", "$.sheets[0].columns[3].es.header"], problems.Select(p => p.Path));
    }

    [Fact]
    public void Load_MisspelledProperty_ReportsItAndTheMissingOne()
    {
        var problems = Problems(("trend.json", With(r =>
        {
            Column(r, 0).Remove("width");
            Column(r, 0)["widht"] = 30;
        })));

        Assert.Equal(["$.sheets[0].columns[0].widht", "$.sheets[0].columns[0]"], problems.Select(p => p.Path));
        Assert.Equal("is not a known property here; expected: key, header, es, metric, type, format, width.", problems[0].Message);
    }

    [Fact]
    public void Load_RequiredPropertiesMissing_ReportsEach()
    {
        var problems = Problems(("trend.json", """{ "id": "trend" }"""));

        Assert.Equal(["'title' is required.", "'description' is required.",
                "'es' is required: the Spanish of title and description (workbooks are written in Spanish and English).",
                "'dataset' is required.", "'sheets' is required."],
            problems.Select(p => p.Message));
    }

    [Fact]
    public void Load_ColumnWithoutSpanishHeader_IsRefusedNamingTheColumn()
    {
        var problem = Problem(With(r => Column(r, 1).Remove("es")));

        Assert.Equal("$.sheets[0].columns[1]", problem.Path);
        Assert.Equal("'es' is required: the Spanish of header (workbooks are written in Spanish and English).", problem.Message);
    }

    [Fact]
    public void Load_SpanishBlockWithoutTheSheetTitle_IsRefused()
    {
        var problem = Problem(With(r => Sheet(r)["es"]!.AsObject().Remove("title")));

        Assert.Equal(("$.sheets[0].es", "'title' is required."), (problem.Path, problem.Message));
    }

    [Theory]
    [InlineData("Acerca de", "'Acerca de' is reserved: the workbook writer adds the About sheet to every report.")]
    [InlineData("Usuarios activos diarios por cliente", "'Usuarios activos diarios por cliente' is 36 characters long; Excel allows at most 31.")]
    public void Load_SpanishSheetNameExcelRefuses_IsRefusedLikeTheEnglishOne(string name, string message)
    {
        var problem = Problem(With(r => Sheet(r)["es"]!["name"] = name));

        Assert.Equal(("$.sheets[0].es.name", message), (problem.Path, problem.Message));
    }

    [Fact]
    public void Load_DuplicateSpanishHeader_IsRefused()
    {
        var problem = Problem(With(r => Column(r, 1)["es"]!["header"] = "cliente"));

        Assert.Equal(("$.sheets[0].columns[1].es.header", "'cliente' is a duplicate: a sheet's table needs unique headers."),
            (problem.Path, problem.Message));
    }

    [Fact]
    public void Load_InvalidJson_ReportsTheFileAndWhere()
    {
        var problem = Problem("{ \"id\": \"trend\", }");

        Assert.Equal("trend.json", problem.File);
        Assert.StartsWith("is not valid JSON: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 0", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MistakesInSeveralFiles_ListsEveryOneWithFileAndPath()
    {
        var brokenTrend = With(r =>
        {
            r["dataset"] = "trend";
            Sheet(r)["name"] = "Daily: all";
        });
        var brokenLedger = """
            {
              "id": "ledger", "title": "Ledger", "description": "Events.", "es": { "title": "Registro", "description": "Eventos." },
              "dataset": "assignment-ledger",
              "sheets": [ { "name": "Events", "title": "Events", "es": { "name": "Eventos", "title": "Eventos" }, "freezeHeader": true, "columns": [
                { "key": "at", "header": "When", "es": { "header": "Cuándo" }, "type": "dateTime", "format": "yyyy-mm-dd" }
              ], "sort": [ { "key": "event", "direction": "asc" } ] } ]
            }
            """;

        var exception = Assert.Throws<ReportCatalogException>(() => ReportCatalog.Load(
            [new ReportFile("trend.json", brokenTrend), new ReportFile("ledger.json", brokenLedger), new ReportFile("ok.json", With(r => r["id"] = "ok"))]));

        Assert.Equal(
        [
            "trend.json $.dataset",
            "trend.json $.sheets[0].name",
            "ledger.json $.sheets[0].columns[0].format",
            "ledger.json $.sheets[0].columns[0]",
            "ledger.json $.sheets[0].sort[0].key",
        ], exception.Problems.Select(p => $"{p.File} {p.Path}"));
        Assert.StartsWith("The report catalog (reports/*.json) has 5 problem(s):", exception.Message, StringComparison.Ordinal);
        foreach (var problem in exception.Problems) Assert.Contains(problem.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoDefinitions_Throws()
    {
        var exception = Assert.Throws<ReportCatalogException>(() => ReportCatalog.Load(Array.Empty<ReportFile>()));

        Assert.Contains("no report definitions", Assert.Single(exception.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderThatDoesNotExist_Throws()
    {
        var folder = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));

        var exception = Assert.Throws<ReportCatalogException>(() => ReportCatalog.Load(folder));

        Assert.Equal(folder, Assert.Single(exception.Problems).File);
    }

    private static string? ReportDefinitionReaderFormat(ColumnType type, string format) => ReportDefinitionReader.FormatProblem(type, format);
}
