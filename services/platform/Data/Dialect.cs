using System.Data.Common;

namespace Dit.Platform.Data;

/// <summary>
/// The few places where SQLite and PostgreSQL differ. Everything else — tables, queries,
/// migrations — is written once in SQL both accept.
/// </summary>
public abstract class Dialect
{
    public static Dialect For(string provider) => provider.ToLowerInvariant() switch
    {
        "sqlite" => new SqliteDialect(),
        "postgres" or "postgresql" => new PostgresDialect(),
        _ => throw new InvalidOperationException($"Unknown database provider '{provider}': use 'sqlite' or 'postgres'."),
    };

    public abstract string Name { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Appended to a select that claims rows for this process only (outbox relay, dispatchers).</summary>
    public abstract string ClaimRowsSuffix { get; }

    /// <summary>Serialises concurrent start-ups of the same service so migrations run once.</summary>
    public abstract string MigrationLockSql { get; }

    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// A lock held to the end of the transaction on <paramref name="key"/>: shared with other shared holders, or
    /// exclusive. Empty on SQLite, whose writers are one at a time anyway.
    /// </summary>
    public abstract string TransactionLockSql(long key, bool exclusive);

    public virtual Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Serialises everything done about one thing (a referral, a course) until the transaction ends: an exclusive
    /// <see cref="TransactionLockSql"/> on a key made from its id, clear of the services' fixed keys (small numbers).
    /// Needed where one transaction looks for a row another may be inserting (PostgreSQL's row locks cannot lock
    /// what is not there yet); nothing on SQLite, whose writers are one at a time.
    /// </summary>
    public async Task LockAsync(DbConnection connection, DbTransaction transaction, Guid id)
    {
        if (TransactionLockSql(BitConverter.ToInt64(id.ToByteArray(), 0) | long.MinValue, exclusive: true) is { Length: > 0 } sql)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
