using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Dit.Platform.Data;

public sealed class SqliteDialect : Dialect
{
    public override string Name => "sqlite";

    public override DbConnection CreateConnection(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        return new SqliteConnection(connectionString);
    }

    // SQLite takes the write lock for the whole file at BEGIN IMMEDIATE, so there is nothing to skip.
    public override string ClaimRowsSuffix => "";

    public override string MigrationLockSql => "";

    public override string TransactionLockSql(long key, bool exclusive) => "";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19 };

    public override async Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "pragma journal_mode = wal; pragma busy_timeout = 10000; pragma foreign_keys = on;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
