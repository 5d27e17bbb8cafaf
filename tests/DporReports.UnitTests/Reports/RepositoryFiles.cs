namespace DporReports.UnitTests.Reports;

/// <summary>The checked-out repository's reports/ folder, found by walking up from the test binaries to DporReports.sln.</summary>
internal static class RepositoryFiles
{
    public static string ReportsFolder { get; } = Path.Combine(Root(), "reports");

    public static string Read(params string[] pathUnderReports) => File.ReadAllText(Path.Combine([ReportsFolder, .. pathUnderReports]));

    private static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DporReports.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No DporReports.sln above {AppContext.BaseDirectory}.");
    }
}
