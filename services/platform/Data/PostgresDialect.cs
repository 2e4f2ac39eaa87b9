using System.Data.Common;
using Npgsql;

namespace Dit.Platform.Data;

public sealed class PostgresDialect : Dialect
{
    public override string Name => "postgres";

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override string ClaimRowsSuffix => " for update skip locked";

    public override string MigrationLockSql => $"select pg_advisory_xact_lock({AdvisoryLocks.Migrations})";

    public override string TransactionLockSql(long key, bool exclusive) =>
        exclusive ? $"select pg_advisory_xact_lock({key})" : $"select pg_advisory_xact_lock_shared({key})";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
