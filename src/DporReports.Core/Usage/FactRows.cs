using DporReports.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace DporReports.Core.Usage;

/// <summary>
/// Adds new fact rows inside the facts transaction. On PostgreSQL they go through the server's bulk path, a binary
/// <c>COPY … FROM STDIN</c> on the transaction's own connection (database writes were 85 % of a pull's time as one INSERT
/// per batch of rows); elsewhere through the change tracker, saved by the caller's <c>SaveChangesAsync</c>. Columns and
/// value conversions (a workload stored as its name) come from the EF model, so both paths write the same rows.
/// </summary>
internal static class FactRows
{
    public static async Task AddAsync<T>(DporDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (!db.Database.IsNpgsql())
        {
            db.AddRange(rows);
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => (Property: p, Column: p.GetColumnName(table)!, Converter: p.GetTypeMapping().Converter)).ToList();
        var target = entity.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(table.Name)}" : Quote(table.Name);
        var command = $"COPY {target} ({string.Join(", ", columns.Select(c => Quote(c.Column)))}) FROM STDIN (FORMAT BINARY)";

        // The COPY joins the open transaction: a failure later in the unit rolls these rows back with the rest.
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var import = await connection.BeginBinaryImportAsync(command, ct);
        foreach (var row in rows)
        {
            await import.StartRowAsync(ct);
            foreach (var (property, _, converter) in columns)
            {
                var value = property.GetGetter().GetClrValue(row);
                if (converter is not null) value = converter.ConvertToProvider(value);
                if (value is null) await import.WriteNullAsync(ct);
                else await import.WriteAsync(value, ct);
            }
        }

        await import.CompleteAsync(ct);
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
