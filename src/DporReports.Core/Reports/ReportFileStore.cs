using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DporReports.Core.Reports;

/// <summary>Where generated workbooks live: a local folder for the embedded default; blob storage can implement the same.</summary>
public interface IReportFileStore
{
    Task SaveAsync(string key, Stream content, CancellationToken ct);

    /// <summary>Null when there is no such file.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);
}

public sealed class ReportFilesOptions
{
    public const string SectionName = "ReportFiles";

    /// <summary>Relative to the content root.</summary>
    [Required] public string Folder { get; set; } = "App_Data/reports";
}

internal sealed class LocalFolderReportFileStore(IOptions<ReportFilesOptions> options, IHostEnvironment environment) : IReportFileStore
{
    private string Root => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.Folder));

    public async Task SaveAsync(string key, Stream content, CancellationToken ct)
    {
        Directory.CreateDirectory(Root);
        var path = PathOf(key);
        var temporary = path + ".partial";
        await using (var file = File.Create(temporary))
            await content.CopyToAsync(file, ct);
        File.Move(temporary, path, overwrite: true); // a reader never sees half a file
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    // Keys are ids we generate; anything else is refused rather than turned into a path.
    private string PathOf(string key) =>
        Guid.TryParse(key, out var id) ? Path.Combine(Root, $"{id:N}.xlsx") : throw new ArgumentException("A report file key is a GUID.", nameof(key));
}
