using DporReports.Core.Jobs;
using DporReports.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Scale;

/// <summary>The worker host as a process: what it refuses at start, and its Hangfire schema deployment step.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class WorkerHostTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Worker_UnknownQueueInItsSettings_RefusesToStartNamingTheKey()
    {
        var (exitCode, output) = await WorkerProcess.RunAsync(new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = sandbox.Server.HttpsBaseUrl.ToString(),
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"dpor-worker-{Guid.NewGuid():N}.db")}",
            ["Hangfire:Server:Workers:imports"] = "2",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Hangfire:Server:Workers:imports is not a queue", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareJobsSchema_InMemoryStorage_SaysThereIsNothingToDo()
    {
        var (exitCode, output) = await WorkerProcess.RunAsync(new Dictionary<string, string?> { ["Hangfire:Storage"] = "InMemory" },
            JobsModule.PrepareSchemaSwitch);

        Assert.Equal(0, exitCode);
        Assert.Contains("there is no schema to prepare", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareJobsSchema_StorageOfAnotherEngineThanTheDatabase_ExitsWithTheReason()
    {
        var (exitCode, output) = await WorkerProcess.RunAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Hangfire:Storage"] = "PostgreSql",
        }, JobsModule.PrepareSchemaSwitch);

        Assert.Equal(2, exitCode);
        Assert.Contains("set Hangfire:ConnectionString to a PostgreSql database", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The deployment step on a fresh server database: it installs Hangfire's schema (twice is harmless), after which a
    /// host with schema preparation off — Production's default — starts on it.
    /// </summary>
    [ServerDatabaseFact]
    public async Task PrepareJobsSchema_FreshServerDatabase_InstallsTheSchemaOnceAndAHostWithPreparationOffStarts()
    {
        using var database = TestDatabase.Create(Path.GetTempPath());
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider,
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Hangfire:Storage"] = database.Provider,
        };

        var first = await WorkerProcess.RunAsync(settings, JobsModule.PrepareSchemaSwitch);
        var again = await WorkerProcess.RunAsync(settings, JobsModule.PrepareSchemaSwitch);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("Hangfire's schema 'hangfire' is ready", first.Output, StringComparison.Ordinal);
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?>(settings) { ["Hangfire:PrepareSchema"] = "false" });
        using var client = app.CreateClient();
        Assert.Contains("\"hangfire-storage\":{\"status\":\"Healthy\"", await client.GetStringAsync("/health/ready"), StringComparison.Ordinal);
        await using var scope = app.Scope();
        Assert.Equal(1, await DporWebFactory.Db(scope).Database.SqlQueryRaw<int>(
            $"SELECT COUNT(*) AS \"Value\" FROM information_schema.schemata WHERE schema_name = '{JobStorages.Schema}'").SingleAsync());
    }
}
