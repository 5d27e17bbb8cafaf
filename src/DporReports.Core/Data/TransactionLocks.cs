using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace DporReports.Core.Data;

/// <summary>
/// A named lock held until the current transaction ends, so that two writers replacing the same rows (a retried job
/// beside the original, two workers) take turns instead of both deleting and then both inserting.
/// </summary>
internal static class TransactionLocks
{
    public static async Task TakeAsync(DporDbContext db, string name, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("A transaction lock needs an open transaction.");
        if (db.Database.IsNpgsql())
        {
            // Advisory locks are keyed by a 64-bit number: a stable hash of the name.
            var key = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
        }
        else if (db.Database.IsSqlServer())
        {
            await db.Database.ExecuteSqlAsync($"""
                DECLARE @result int;
                EXEC @result = sp_getapplock @Resource = {name}, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 120000;
                IF @result < 0 THROW 51000, 'Timed out waiting for an application lock.', 1;
                """, ct);
        }
        // SQLite: a write transaction already holds the database's only write lock (BEGIN IMMEDIATE).
    }
}
