using System.Data.Common;
using System.Globalization;
using DporReports.Core.Subscriptions;
using DporReports.Core.Usage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace DporReports.Bench;

/// <summary>One subscription's adoption curve for one workload: the bench draws it, the database makes its days' rows.</summary>
internal sealed record Curve(Guid Tenant, Guid Subscription, Workload Workload, int Seats, int Licensed, double Start, double Drift);

/// <summary>
/// The portfolio bench's facts, made inside the database from the drawn curves: the curves go to a temporary table, then
/// one INSERT … SELECT per fact table and slice of tenants crosses them with the days (a recursive CTE on SQLite,
/// generate_series on PostgreSQL), in key order. Per subscription, workload and day: MAU = licensed × (start + drift × day /
/// days ± 1 %), clamped to [0, licensed]; daily active users = MAU × 0.55 on weekdays, 0.12 at weekends; the tenant daily
/// count sums its subscriptions'. Table and column names come from the EF model, values in the provider's encodings (Guids
/// as upper-case text and dates as yyyy-MM-dd on SQLite, as EF writes and compares them).
/// </summary>
internal static class FactSeeding
{
    // Tenants per transaction: a few million rows, so SQLite's write-ahead log is checkpointed between slices, not grown to gigabytes.
    private const int TenantsPerSlice = 1_000;

    public static async Task RunAsync(DbContext db, IReadOnlyList<Curve> curves, DateOnly firstDay, int days)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            var postgres = connection is NpgsqlConnection;
            // Key order (tenant, subscription, workload, then day): each slice appends to the primary key's b-tree.
            var ordered = curves.OrderBy(c => Text(c.Tenant, postgres), StringComparer.Ordinal).ThenBy(c => Text(c.Subscription, postgres), StringComparer.Ordinal)
                .ThenBy(c => c.Workload.ToString(), StringComparer.Ordinal).ToList();
            var tenantOrder = ordered.Select(c => c.Tenant).Distinct().ToList();
            var slices = tenantOrder.Chunk(TenantsPerSlice).Select(chunk => (First: chunk[0], Last: chunk[^1])).ToList();
            await CurvesAsync(connection, ordered, postgres);

            var facts = Table<SubscriptionUsageFact>(db);
            var daily = Table<SubscriptionDailyUsageFact>(db);
            var tenantDaily = Table<TenantDailyUsageFact>(db);
            foreach (var (first, last) in slices)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                var from = postgres ? "@first" : "$first";
                var to = postgres ? "@last" : "$last";
                var subscriptionFacts = postgres
                    ? $"""
                       INSERT INTO {facts.Name} ({facts["TenantId"]}, {facts["SubscriptionId"]}, {facts["Workload"]}, {facts["Date"]}, {facts["Seats"]}, {facts["LicensedUsers"]}, {facts["ActiveUsers"]})
                       SELECT c.tenant, c.sub, c.workload, @firstDay + d, c.seats, c.licensed,
                              floor(c.licensed * greatest(0, least(1, c.start + c.drift * d / @days + (random() - 0.5) * 0.02)))::int
                       FROM bench_curves c CROSS JOIN generate_series(0, @days - 1) AS d
                       WHERE c.tenant BETWEEN {from} AND {to}
                       ORDER BY c.ord, d
                       """
                    : $"""
                       WITH RECURSIVE days(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM days WHERE d + 1 < $days)
                       INSERT INTO {facts.Name} ({facts["TenantId"]}, {facts["SubscriptionId"]}, {facts["Workload"]}, {facts["Date"]}, {facts["Seats"]}, {facts["LicensedUsers"]}, {facts["ActiveUsers"]})
                       SELECT c.tenant, c.sub, c.workload, date($firstDay, '+' || d || ' days'), c.seats, c.licensed,
                              CAST(c.licensed * max(0.0, min(1.0, c.start + c.drift * d / $days + ((random() % 1000) / 1000.0) * 0.01)) AS INTEGER)
                       FROM bench_curves c CROSS JOIN days
                       WHERE c.tenant BETWEEN {from} AND {to}
                       """;
                var weekend = postgres ? $"extract(isodow FROM {facts["Date"]}) >= 6" : $"strftime('%w', {facts["Date"]}) IN ('0', '6')";
                var share = $"{facts["ActiveUsers"]} * CASE WHEN {weekend} THEN 0.12 ELSE 0.55 END";
                // Truncated as the curves' figures are: CAST truncates on SQLite (whose floor() is optional), rounds on PostgreSQL.
                var dayActive = postgres ? $"floor({share})::int" : $"CAST({share} AS INTEGER)";
                var dailyFacts = $"""
                    INSERT INTO {daily.Name} ({daily["TenantId"]}, {daily["SubscriptionId"]}, {daily["Workload"]}, {daily["Date"]}, {daily["ActiveUsers"]})
                    SELECT {facts["TenantId"]}, {facts["SubscriptionId"]}, {facts["Workload"]}, {facts["Date"]},
                           {dayActive}
                    FROM {facts.Name} WHERE {facts["TenantId"]} BETWEEN {from} AND {to}
                    ORDER BY {facts["TenantId"]}, {facts["SubscriptionId"]}, {facts["Workload"]}, {facts["Date"]}
                    """;
                var tenantFacts = $"""
                    INSERT INTO {tenantDaily.Name} ({tenantDaily["TenantId"]}, {tenantDaily["Workload"]}, {tenantDaily["Metric"]}, {tenantDaily["Date"]}, {tenantDaily["Value"]})
                    SELECT {daily["TenantId"]}, {daily["Workload"]}, 'ActiveUsers', {daily["Date"]}, SUM({daily["ActiveUsers"]})
                    FROM {daily.Name} WHERE {daily["TenantId"]} BETWEEN {from} AND {to}
                    GROUP BY {daily["TenantId"]}, {daily["Workload"]}, {daily["Date"]}
                    """;
                foreach (var sql in new[] { subscriptionFacts, dailyFacts, tenantFacts })
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    command.CommandTimeout = 0;
                    Parameter(command, "first", first, postgres);
                    Parameter(command, "last", last, postgres);
                    Parameter(command, "firstDay", firstDay, postgres);
                    Parameter(command, "days", days, postgres);
                    await command.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
            }
            if (postgres)
            {
                // Fresh statistics, as autovacuum would give a production table some minutes later.
                await using var analyze = connection.CreateCommand();
                analyze.CommandText = $"ANALYZE {facts.Name}; ANALYZE {daily.Name}; ANALYZE {tenantDaily.Name}";
                analyze.CommandTimeout = 0;
                await analyze.ExecuteNonQueryAsync();
            }
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE bench_curves";
            await drop.ExecuteNonQueryAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The curves into a temporary table: on PostgreSQL one statement over arrays, on SQLite one prepared insert per curve.</summary>
    private static async Task CurvesAsync(DbConnection connection, List<Curve> ordered, bool postgres)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = postgres
                ? "CREATE TEMP TABLE bench_curves (ord int PRIMARY KEY, tenant uuid, sub uuid, workload text, seats int, licensed int, start float8, drift float8)"
                : "CREATE TEMP TABLE bench_curves (ord INTEGER PRIMARY KEY, tenant TEXT, sub TEXT, workload TEXT, seats INTEGER, licensed INTEGER, start REAL, drift REAL)";
            await create.ExecuteNonQueryAsync();
        }
        if (postgres)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO bench_curves SELECT * FROM unnest(@ord, @tenant, @sub, @workload, @seats, @licensed, @start, @drift)",
                (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
            insert.Parameters.AddWithValue("ord", Enumerable.Range(0, ordered.Count).ToArray());
            insert.Parameters.AddWithValue("tenant", ordered.Select(c => c.Tenant).ToArray());
            insert.Parameters.AddWithValue("sub", ordered.Select(c => c.Subscription).ToArray());
            insert.Parameters.AddWithValue("workload", NpgsqlDbType.Array | NpgsqlDbType.Text, ordered.Select(c => c.Workload.ToString()).ToArray());
            insert.Parameters.AddWithValue("seats", ordered.Select(c => c.Seats).ToArray());
            insert.Parameters.AddWithValue("licensed", ordered.Select(c => c.Licensed).ToArray());
            insert.Parameters.AddWithValue("start", ordered.Select(c => c.Start).ToArray());
            insert.Parameters.AddWithValue("drift", ordered.Select(c => c.Drift).ToArray());
            await insert.ExecuteNonQueryAsync();
        }
        else
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO bench_curves VALUES ($ord, $tenant, $sub, $workload, $seats, $licensed, $start, $drift)";
            foreach (var name in new[] { "ord", "tenant", "sub", "workload", "seats", "licensed", "start", "drift" })
                insert.Parameters.Add(new SqliteParameter("$" + name, null));
            insert.Prepare();
            for (var i = 0; i < ordered.Count; i++)
            {
                var c = ordered[i];
                object[] values = [i, Text(c.Tenant, false), Text(c.Subscription, false), c.Workload.ToString(), c.Seats, c.Licensed, c.Start, c.Drift];
                for (var p = 0; p < values.Length; p++) insert.Parameters[p].Value = values[p];
                await insert.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
    }

    private static void Parameter(DbCommand command, string name, object value, bool postgres)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = (postgres ? "@" : "$") + name;
        parameter.Value = value switch
        {
            Guid id => postgres ? id : Text(id, false),
            DateOnly day => postgres ? day : day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => value,
        };
        command.Parameters.Add(parameter);
    }

    /// <summary>A Guid as the provider stores and orders it: SQLite's EF text encoding (upper case), PostgreSQL's uuid (lower-case text order is byte order).</summary>
    private static string Text(Guid id, bool postgres) => postgres ? id.ToString() : id.ToString().ToUpperInvariant();

    private sealed class TableNames(string name, Func<string, string> column)
    {
        public string Name { get; } = name;
        public string this[string property] => column(property);
    }

    private static TableNames Table<T>(DbContext db)
    {
        var type = db.Model.FindEntityType(typeof(T))!;
        return new TableNames($"\"{type.GetTableName()}\"", p => $"\"{type.FindProperty(p)!.GetColumnName()}\"");
    }
}
