using System.Text.Json;
using DporReports.IntegrationTests.Infrastructure;

namespace DporReports.IntegrationTests.Api;

/// <summary>
/// The API's contract is what the host serves at /openapi/v1.json; a copy is checked in (openapi.json beside this file):
/// the test script lints it with Redocly's recommended rules and checks that the C# client under Client/ is what Kiota
/// generates from it. This test keeps the served document and the copy one.
/// To change the API: run <c>bash tests/generate-api-client.sh</c>, which writes both.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ApiContractTests(SandboxFixture sandbox) : IDisposable
{
    private readonly DporWebFactory _app = new(sandbox);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ServedDocument_IsTheCheckedInContract()
    {
        using var client = _app.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        var served = Contract.Normalize(await client.GetStringAsync("/openapi/v1.json"), sandbox);

        if (Environment.GetEnvironmentVariable("DPOR_UPDATE_CONTRACT") == "1") await File.WriteAllTextAsync(Contract.Path, served);

        Assert.True(served == await File.ReadAllTextAsync(Contract.Path),
            "/openapi/v1.json differs from tests/DporReports.IntegrationTests/Api/openapi.json: run bash tests/generate-api-client.sh");
    }

    /// <summary>The contract a client generator gets: an operation id, a summary, a tag and the security requirement on each.</summary>
    [Fact]
    public async Task EveryOperation_IsNamedSummarisedTaggedSecuredAndAnswersProblems()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Contract.Path));
        var operations = Contract.Operations(document.RootElement).ToList();
        var tags = document.RootElement.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t);

        Assert.True(operations.Count >= 37, $"{operations.Count} operations");
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        foreach (var (method, path, operation) in operations)
        {
            var where = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), where);
            Assert.All(operation.GetProperty("tags").EnumerateArray(), t => Assert.False(
                string.IsNullOrWhiteSpace(tags[t.GetString()!].GetProperty("description").GetString()), $"{where}: tag {t}"));
            Assert.True(operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{where}: no security");
            var responses = operation.GetProperty("responses");
            foreach (var status in new[] { "401", "403" })
                Assert.True(responses.TryGetProperty(status, out var problem) && problem.GetProperty("content").TryGetProperty("application/problem+json", out _),
                    $"{where}: no {status} problem answer");
        }
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Single().Value;
        Assert.Equal("oauth2", scheme.GetProperty("type").GetString());
        Assert.Contains("/access_as_user", scheme.GetProperty("flows").GetProperty("authorizationCode").GetProperty("scopes").EnumerateObject().Single().Name,
            StringComparison.Ordinal);
    }
}

/// <summary>The checked-in contract and how the served document is compared with it.</summary>
internal static class Contract
{
    public static string Folder { get; } = System.IO.Path.Combine(RepositoryRoot(), "tests", "DporReports.IntegrationTests", "Api");

    public static string Path { get; } = System.IO.Path.Combine(Folder, "openapi.json");

    /// <summary>
    /// The served document with the sandbox's address (a random port) in place of Entra ID's, as a deployment on Microsoft's
    /// cloud serves it; line ends as checked in.
    /// </summary>
    public static string Normalize(string served, SandboxFixture sandbox) =>
        served.Replace(sandbox.Server.HttpsBaseUrl.ToString().TrimEnd('/'), "https://login.microsoftonline.com", StringComparison.Ordinal)
            .ReplaceLineEndings("\n").TrimEnd() + "\n";

    /// <summary>Every operation of the document: method, path and its object.</summary>
    public static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch")
            .Select(o => (o.Name.ToUpperInvariant(), path.Name, o.Value)));

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "DporReports.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No DporReports.sln above {AppContext.BaseDirectory}.");
    }
}
