using Dit.Platform.Data;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace Dit.Platform.Audit;

/// <summary>
/// The <c>audit verify</c> command of a service's executable: reads the service's whole audit trail and says whether any
/// row was edited, removed or reordered since it was written (exit code 0 when intact, 1 with each problem printed).
/// </summary>
public static class AuditCommand
{
    public static async Task<int> RunAsync<TDatabase>(TDatabase database, string[] arguments, TextWriter output) where TDatabase : ServiceDatabase
    {
        if (arguments is not ["verify"])
        {
            await output.WriteLineAsync("Usage: audit verify");
            return 2;
        }
        await new Migrator<TDatabase>(database, SystemClock.Instance, NullLogger<Migrator<TDatabase>>.Instance).MigrateAsync();
        await using var connection = await database.OpenAsync();
        var rows = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "select count(*) from audit_trail");
        var problems = await AuditTrail.VerifyAsync(connection);
        if (problems.Count == 0)
        {
            await output.WriteLineAsync($"{database.Service} audit trail intact: {rows} rows, each chained to the one before.");
            return 0;
        }
        await output.WriteLineAsync($"{database.Service} audit trail NOT intact ({rows} rows):");
        foreach (var problem in problems) await output.WriteLineAsync($"  {problem}");
        return 1;
    }
}
