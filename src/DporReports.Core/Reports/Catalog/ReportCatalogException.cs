namespace DporReports.Core.Reports.Catalog;

/// <summary>One thing wrong with a definition: the file, the JSON path inside it (<c>$.sheets[0].columns[2].key</c>) and what.</summary>
public sealed record ReportCatalogProblem(string File, string Path, string Message)
{
    public override string ToString() => $"{File} {Path}: {Message}";
}

/// <summary>The catalog did not load: every problem of every file, so one fix-and-retry round is enough.</summary>
public sealed class ReportCatalogException : Exception
{
    public ReportCatalogException() : this([]) { }

    public ReportCatalogException(string message) : base(message) => Problems = [];

    public ReportCatalogException(string message, Exception innerException) : base(message, innerException) => Problems = [];

    public ReportCatalogException(IReadOnlyList<ReportCatalogProblem> problems) : base(Describe(problems)) => Problems = problems;

    public IReadOnlyList<ReportCatalogProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ReportCatalogProblem> problems) =>
        $"The report catalog (reports/*.json) has {problems.Count} problem(s):" +
        string.Concat(problems.Select(p => Environment.NewLine + "  " + p));
}
