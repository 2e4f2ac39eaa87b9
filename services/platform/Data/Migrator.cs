using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Dit.Platform.Data;

/// <summary>
/// Applies the numbered <c>.sql</c> files embedded under a service's <c>Migrations/</c> folder, in
/// order, each once, recording them in <c>schema_migrations</c>. Runs as the first hosted service. Almost every
/// migration is one file both databases accept; where they cannot share one (triggers), a number has a
/// <c>NNNN_name.sqlite.sql</c> and a <c>NNNN_name.postgres.sql</c>, and each database runs its own.
/// </summary>
public sealed partial class Migrator<TDatabase>(TDatabase database, IClock clock, ILogger<Migrator<TDatabase>> logger)
    : IHostedService where TDatabase : ServiceDatabase
{
    [GeneratedRegex(@"\.Migrations\.(\d{4})_\w+(?:\.(sqlite|postgres))?\.sql$")]
    private static partial Regex MigrationName();

    public async Task StartAsync(CancellationToken cancellationToken) => await MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <returns>The numbers of the migrations applied by this call.</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        // The platform's own migrations (outbox, inbox) are numbered 0000 and come first in every database.
        var scripts = new[] { typeof(Migrator<>).Assembly, database.MigrationsAssembly }
            .SelectMany(assembly => assembly.GetManifestResourceNames().Select(name => (assembly, name)))
            .Select(x => (x.assembly, x.name, match: MigrationName().Match(x.name)))
            .Where(x => x.match.Success && (!x.match.Groups[2].Success || x.match.Groups[2].Value == database.Dialect.Name))
            .Select(x => (id: x.match.Groups[1].Value, x.assembly, resource: x.name))
            .OrderBy(x => x.id, StringComparer.Ordinal)
            .ToList();

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Dialect.MigrationLockSql.Length > 0)
            await connection.ExecuteAsync(database.Dialect.MigrationLockSql, transaction: transaction);
        await connection.ExecuteAsync(
            "create table if not exists schema_migrations (id text primary key, applied_at bigint not null)",
            transaction: transaction);
        var applied = (await connection.QueryAsync<string>("select id from schema_migrations", transaction: transaction)).ToHashSet();

        var appliedNow = new List<string>();
        foreach (var (id, assembly, resource) in scripts.Where(s => !applied.Contains(s.id)))
        {
            await connection.ExecuteAsync(await ReadAsync(assembly, resource), transaction: transaction);
            await connection.ExecuteAsync(
                "insert into schema_migrations (id, applied_at) values (@id, @at)",
                new { id, at = clock.GetCurrentInstant().ToUnixTimeMilliseconds() }, transaction);
            appliedNow.Add(id);
        }
        await transaction.CommitAsync(cancellationToken);
        if (appliedNow.Count > 0)
            logger.LogInformation("{Service} database ({Dialect}): applied migrations {Migrations}",
                database.Service, database.Dialect.Name, string.Join(", ", appliedNow));
        return appliedNow;
    }

    private static async Task<string> ReadAsync(System.Reflection.Assembly assembly, string resource)
    {
        await using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
