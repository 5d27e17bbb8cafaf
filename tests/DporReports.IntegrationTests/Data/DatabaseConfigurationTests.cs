using DporReports.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace DporReports.IntegrationTests.Data;

/// <summary>A database or job storage that cannot work stops the host at start, naming the key to fix.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class DatabaseConfigurationTests(SandboxFixture sandbox)
{
    [Theory]
    [InlineData("Database:Provider", "Postgres", "Database:Provider must be one of Sqlite, PostgreSql, SqlServer")]
    [InlineData("Database:ConnectionString", "Data Source=", "Database:ConnectionString")]
    [InlineData("Hangfire:Storage", "Redis", "Hangfire:Storage must be one of InMemory, PostgreSql, SqlServer")]
    public void Start_WithAnUnusableSetting_RefusesAndNamesTheKey(string key, string value, string expected)
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ServerProviderWithAnotherEnginesConnectionString_RefusesAndNamesTheKey()
    {
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = "Data Source=app.db;Cache=Shared",
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Database:ConnectionString is not a PostgreSql connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_HangfireOnAServerWhoseDatabaseIsAnotherEngine_RefusesAndSaysWhichKeyToSet()
    {
        var database = TestDatabase.RunProvider == "PostgreSql" ? "SqlServer" : "PostgreSql";
        using var app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["Hangfire:Storage"] = database });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains($"Hangfire:Storage is {database} but Database:Provider is", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Hangfire:ConnectionString", error.Message, StringComparison.Ordinal);
    }
}
