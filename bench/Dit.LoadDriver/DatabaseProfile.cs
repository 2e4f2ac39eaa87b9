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

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var admin = (await PostgresServer.SharedAsync()).Admin;
        var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
