using System.Text.Json.Nodes;
using DporReports.Core.Reports.Catalog;

namespace DporReports.UnitTests.Reports;

/// <summary>A small valid definition over the workload-trend dataset, for tests to break one thing at a time.</summary>
internal static class DefinitionJson
{
    public const string Valid = """
        {
          "$schema": "./schema/report-definition.schema.json",
          "id": "trend",
          "title": "Trend",
          "description": "Daily active users.",
          "es": { "title": "Tendencia", "description": "Usuarios activos diarios." },
          "dataset": "workload-trend",
          "sheets": [
            {
              "name": "Daily",
              "title": "Daily active users",
              "es": { "name": "Diario", "title": "Usuarios activos diarios" },
              "freezeHeader": true,
              "columns": [
                { "key": "customerName", "header": "Customer", "es": { "header": "Cliente" }, "type": "text", "format": "@", "width": 30 },
                { "key": "date", "header": "Date", "es": { "header": "Fecha" }, "type": "date", "format": "yyyy-mm-dd", "width": 12 },
                { "key": "dailyActiveUsers", "header": "Daily active users", "es": { "header": "Usuarios activos diarios" }, "metric": "dailyActiveUsers", "type": "integer", "format": "#,##0", "width": 18.5 }
              ],
              "sort": [ { "key": "date", "direction": "desc" } ]
            }
          ]
        }
        """;

    /// <summary>The valid definition with one change applied.</summary>
    public static string With(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    public static JsonObject Sheet(JsonObject root, int index = 0) => root["sheets"]![index]!.AsObject();

    public static JsonObject Column(JsonObject root, int index, int sheet = 0) => Sheet(root, sheet)["columns"]![index]!.AsObject();

    /// <summary>Loads the files and returns the problems, failing the test if the catalog loaded.</summary>
    public static IReadOnlyList<ReportCatalogProblem> Problems(params (string File, string Json)[] files) =>
        Assert.Throws<ReportCatalogException>(() => ReportCatalog.Load(files.Select(f => new ReportFile(f.File, f.Json)))).Problems;

    /// <summary>The one problem of a single file named trend.json.</summary>
    public static ReportCatalogProblem Problem(string json) => Assert.Single(Problems(("trend.json", json)));
}
