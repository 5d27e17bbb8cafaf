using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DporReports.Core.Data;

/// <summary>
/// The database refusals the features answer with 409, recognised by each provider's own error codes, so that any other
/// failure (a value too long for its column, a broken foreign key) surfaces as the bug it is instead of "changed meanwhile".
/// </summary>
public static class DatabaseErrors
{
    /// <summary>A unique index or primary key refused the row: another writer stored the same key first.</summary>
    public static bool IsUniqueViolation(this DbUpdateException e) => e.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqlException sql => sql.Number is 2601 or 2627, // duplicate key in a unique index / unique constraint or primary key
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY
        _ => false,
    };

    /// <summary>
    /// Another writer got there first: a concurrency token no longer matched, a unique key was taken, or the server chose
    /// this transaction as the loser of a deadlock between the two. Nothing of this unit of work was saved.
    /// </summary>
    public static bool IsConflict(this DbUpdateException e) =>
        e is DbUpdateConcurrencyException || e.IsUniqueViolation() || e.InnerException switch
        {
            PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
            SqlException sql => sql.Number == 1205,
            _ => false,
        };
}
