using System.Data.Common;
using System.Text;
using DporReports.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace DporReports.IntegrationTests.Infrastructure;

/// <summary>
/// Everything a test database holds, as text, for "this value is stored nowhere" assertions: the whole SQLite file
/// (every table, index and free page); on a server, every row of every table the application can see, rendered by the server.
/// </summary>
public static class DatabaseText
{
    public static async Task<string> AllAsync(DporDbContext db)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
            var bytes = await File.ReadAllBytesAsync(db.Database.GetDbConnection().DataSource);
            return Encoding.UTF8.GetString(bytes) + Encoding.Unicode.GetString(bytes);
        }
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            var text = new StringBuilder();
            var (listTables, dumpTable) = db.Database.IsNpgsql()
                ? ("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
                    (Func<string, string>)(table => $"SELECT string_agg(t::text, E'\\n') FROM {table} t"))
                : ("SELECT QUOTENAME(s.name) + '.' + QUOTENAME(t.name) FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id",
                    table => $"SELECT (SELECT * FROM {table} FOR JSON PATH)");
            foreach (var table in await ReadAllAsync(connection, listTables))
                text.AppendJoin('\n', await ReadAllAsync(connection, dumpTable(table))).Append('\n');
            return text.ToString();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<List<string>> ReadAllAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // table names come from the server's own catalog, quoted by the server
        command.CommandText = sql;
#pragma warning restore CA2100
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            if (!reader.IsDBNull(0)) values.Add(reader.GetString(0));
        return values;
    }
}
