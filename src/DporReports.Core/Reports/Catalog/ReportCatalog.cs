using System.Collections.Frozen;

namespace DporReports.Core.Reports.Catalog;

/// <summary>A definition file's name (<c>consumption-summary.json</c>) and text.</summary>
public sealed record ReportFile(string Name, string Json);

/// <summary>
/// The reports partners can run: one definition per file of reports/ (shipped as embedded resources of this assembly),
/// all validated when loaded. Dashboards and the workbook writer read the same definitions.
/// </summary>
public sealed class ReportCatalog
{
    /// <summary>Logical-name prefix of the embedded definitions (see DporReports.Core.csproj).</summary>
    internal const string ResourcePrefix = "reports/";

    private readonly FrozenDictionary<string, ReportDefinition> _byId;

    private ReportCatalog(IReadOnlyList<ReportDefinition> all)
    {
        All = all;
        _byId = all.ToFrozenDictionary(r => r.Id, StringComparer.Ordinal);
    }

    /// <summary>Every report, by id.</summary>
    public IReadOnlyList<ReportDefinition> All { get; }

    public ReportDefinition? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The definitions shipped in this assembly.</summary>
    /// <exception cref="ReportCatalogException">Any definition is invalid, or none is embedded.</exception>
    public static ReportCatalog Load() => Load(EmbeddedFiles());

    /// <summary>The <c>*.json</c> files directly in <paramref name="folder"/> (the schema lives in a sub-folder).</summary>
    /// <exception cref="ReportCatalogException">Any definition is invalid, or the folder has none.</exception>
    public static ReportCatalog Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new ReportCatalogException([new(folder, "$", "the report folder does not exist.")]);
        return Load(Directory.EnumerateFiles(folder, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(path => new ReportFile(Path.GetFileName(path), File.ReadAllText(path))));
    }

    /// <exception cref="ReportCatalogException">Listing every problem of every file, each with the file and JSON path.</exception>
    public static ReportCatalog Load(IEnumerable<ReportFile> files)
    {
        var problems = new List<ReportCatalogProblem>();
        var definitions = new List<ReportDefinition>();
        var fileById = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var file in files)
        {
            count++;
            var (definition, id) = ReportDefinitionReader.Read(file.Name, file.Json, problems);
            if (id is not null && !fileById.TryAdd(id, file.Name))
            {
                problems.Add(new(file.Name, "$.id", $"'{id}' is a duplicate report id: {fileById[id]} has it too."));
                continue;
            }
            if (definition is not null) definitions.Add(definition);
        }
        if (count == 0)
            problems.Add(new("reports/", "$", "no report definitions (*.json) were found; a build that ships none is broken."));
        if (problems.Count > 0) throw new ReportCatalogException(problems);
        return new ReportCatalog([.. definitions.OrderBy(d => d.Id, StringComparer.Ordinal)]);
    }

    internal static IEnumerable<ReportFile> EmbeddedFiles()
    {
        var assembly = typeof(ReportCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return new ReportFile(name[ResourcePrefix.Length..], reader.ReadToEnd());
        }
    }
}
