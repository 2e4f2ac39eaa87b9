using Dit.Testing;
using Npgsql;

namespace Dit.LoadDriver;

/// <summary>Where PostgreSQL's time goes: pg_stat_statements (preloaded by the test cluster), reset before a run and read after it.</summary>
public static class DatabaseProfile
{
    public static async Task ResetAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset()", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The statements that took the most execution time since the reset: calls, total ms, mean ms, rows, text.</summary>
    public static async Task<List<string>> TopStatementsAsync(int count = 8)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            select calls, total_exec_time, mean_exec_time, rows, regexp_replace(query, '\s+', ' ', 'g')
            from pg_stat_statements order by total_exec_time desc limit {count}
            """, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var query = reader.GetString(4);
            lines.Add($"| {reader.GetInt64(0)} | {reader.GetDouble(1) / 1000:0.0} | {reader.GetDouble(2):0.00} | {reader.GetInt64(3)} | `{(query.Length > 110 ? query[..110] + "…" : query)}` |");
        }
        return lines;
    }

    /// <summary>
    /// Each service database's tables after a run, largest first: rows and size on disk (indexes included) — what the
    /// outbox and inbox retention and the mail queue leave behind.
    /// </summary>
    public static async Task<List<string>> TableSizesAsync(IReadOnlyDictionary<string, string> databases)
    {
        var lines = new List<string>();
        foreach (var (service, connectionString) in databases)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                select relname, pg_total_relation_size(relid)
                from pg_stat_user_tables order by pg_total_relation_size(relid) desc limit 6
                """, connection);
            var tables = new List<(string Name, long Bytes)>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) tables.Add((reader.GetString(0), reader.GetInt64(1)));
            foreach (var (name, bytes) in tables)
            {
                await using var count = new NpgsqlCommand($"select count(*) from \"{name}\"", connection);
                lines.Add($"| {service} | {name} | {(long)(await count.ExecuteScalarAsync())!} | {bytes / 1024.0:0} |");
            }
        }
        return lines;
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var admin = (await PostgresServer.SharedAsync()).Admin;
        var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
