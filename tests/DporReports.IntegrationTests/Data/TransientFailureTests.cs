using System.Data.Common;
using System.Net.Http.Json;
using DporReports.Core.Assignments;
using DporReports.Core.Data;
using DporReports.Core.Usage;
using DporReports.IntegrationTests.Infrastructure;
using DporReports.Sandbox;
using DporReports.Web.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DporReports.IntegrationTests.Data;

/// <summary>
/// A server database drops a transaction now and then (failover, restart, serialization failure): the execution strategy
/// retries it. The facts write opens its own transaction, so a retry must replay the whole unit — delete, insert, commit —
/// from a clean change tracker, or it would insert the failed attempt's rows a second time. Skipped on SQLite, which has
/// no retrying strategy.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TransientFailureTests : IAsyncLifetime
{
    private static readonly Guid Contoso = SandboxDirectory.ContosoTenantId;
    private readonly FailOnceAfterTheFactsAreWritten _failure = new();
    private readonly DporWebFactory _app;

    public TransientFailureTests(SandboxFixture sandbox)
    {
        _app = new DporWebFactory(sandbox, new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" })
        {
            TestServices = services =>
            {
                if (TestDatabase.RunProvider == DatabaseProviders.PostgreSql)
                    services.ConfigureDbContext<PostgreSqlDporDbContext>((_, options) => options.AddInterceptors(_failure));
                else if (TestDatabase.RunProvider == DatabaseProviders.SqlServer)
                    services.ConfigureDbContext<SqlServerDporDbContext>((_, options) => options.AddInterceptors(_failure));
            },
        };
    }

    public Task InitializeAsync() => TestDatabase.RunProvider == DatabaseProviders.Sqlite ? Task.CompletedTask : VerifiedAsync();

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [ServerDatabaseFact]
    public async Task Pull_TransientFailureInTheMiddleOfTheFactsTransaction_IsRetriedAndLeavesOneSetOfFacts()
    {
        _failure.Arm();

        await PullAsync();
        var afterRetry = await _app.UsageFactsAsync();
        await PullAsync();

        Assert.Equal(1, _failure.Fired);
        Assert.NotEmpty(afterRetry);
        // PostgreSQL takes the facts through its bulk path (binary COPY), not one INSERT per batch.
        Assert.Equal(TestDatabase.RunProvider == DatabaseProviders.PostgreSql, _failure.FactInserts == 0);
        Assert.Equal(afterRetry.Count, afterRetry.Select(f => (f.Item1, f.Item2, f.Item3)).Distinct().Count());
        Assert.Equal(await _app.UsageFactsAsync(), afterRetry);
        await using var scope = _app.Scope();
        var runs = await DporWebFactory.Db(scope).Set<IngestionRun>().Where(r => r.TenantId == Contoso).ToListAsync();
        // Each pull's daily reports, then the detail of the dates its backfill found room for (run records of their own).
        Assert.Equal(2 * UsageIngestion.DailyReports.Count, runs.Count(r => r.Report != UsageReports.ActiveUserDetailOfDate));
        Assert.All(runs, r => Assert.True(r.Outcome == IngestionOutcome.Succeeded, $"{r.Report}: {r.Outcome} {r.Error}"));
    }

    private async Task VerifiedAsync()
    {
        await _app.ConnectedTenantAsync();
        using var admin = await _app.ApiClientAsync("contoso-admin");
        (await admin.PostAsJsonAsync("/api/customer/partner-of-record/assign-unassigned", new { partnerId = DemoData.AdatumMpnId })).EnsureSuccessStatusCode();
        await _app.RunJobAsync<VerifyAssignmentJob>(j => j.RunAsync(Contoso, default));
    }

    private Task PullAsync() => _app.RunJobAsync<PullTenantUsageJob>(j => j.RunAsync(Contoso, default));

    /// <summary>
    /// Once armed, the facts transaction's last statement (the partners' usage version, raised after the DELETE of the old
    /// rows and the write of the new ones: INSERTs, or a binary COPY on PostgreSQL) fails as the server would fail it
    /// transiently, so the rows already written in the transaction must roll back. PostgreSQL: SQLSTATE 40001
    /// (serialization_failure); SQL Server: a timeout, which its strategy also retries.
    /// </summary>
    private sealed class FailOnceAfterTheFactsAreWritten : DbCommandInterceptor
    {
        private int _armed;
        private int _fired;
        private int _factInserts;

        public int Fired => Volatile.Read(ref _fired);

        public int FactInserts => Volatile.Read(ref _factInserts);

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            FailIfArmed(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            FailIfArmed(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void FailIfArmed(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"SubscriptionUsageFacts\"", StringComparison.Ordinal)
                || command.CommandText.Contains("INSERT INTO [SubscriptionUsageFacts]", StringComparison.Ordinal)) Interlocked.Increment(ref _factInserts);

            if (!command.CommandText.StartsWith("UPDATE", StringComparison.Ordinal) || !command.CommandText.Contains("UsageVersion", StringComparison.Ordinal)) return;
            Assert.NotNull(command.Transaction);
            if (Interlocked.Exchange(ref _armed, 0) == 0) return;
            Interlocked.Increment(ref _fired);
            throw command is NpgsqlCommand
                ? new PostgresException("could not serialize access due to concurrent update (injected)", "ERROR", "ERROR",
                    PostgresErrorCodes.SerializationFailure)
                : new TimeoutException("Execution Timeout Expired (injected).");
        }
    }
}
