using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Dit.Platform.Data;

/// <summary>
/// One service's own database. Each service subclasses it (ReferralsDatabase, …) so that the
/// development host can hold all three in one container without them meeting.
/// </summary>
public abstract class ServiceDatabase
{
    private static readonly ResiliencePipeline OpenRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<NpgsqlException>(e => e.IsTransient)
                .Handle<SqliteException>(e => e.SqliteErrorCode is 5 or 6),
            MaxRetryAttempts = 5,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            UseJitter = true,
        })
        .Build();

    private readonly string _connectionString;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, WriteGate> WriteGates = new();

    /// <summary>The SQLite file's write gate, shared by every <see cref="ServiceDatabase"/> of that file in the process; null on PostgreSQL.</summary>
    private readonly WriteGate? _writeGate;

    protected ServiceDatabase(IConfiguration configuration, string service, string defaultSqliteFile)
    {
        var settings = Settings.Read<DatabaseSettings>(configuration, $"{service}:Database");
        Dialect = Dialect.For(settings.Provider);
        _connectionString = settings.ConnectionString ?? $"Data Source={defaultSqliteFile}";
        Service = service;
        if (Dialect is SqliteDialect)
            _writeGate = WriteGates.GetOrAdd(Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_connectionString).DataSource),
                _ => new WriteGate());
    }

    public Dialect Dialect { get; }

    /// <summary>The service's name, used for its migrations resources and log lines.</summary>
    public string Service { get; }

    /// <summary>The assembly whose embedded <c>Migrations/NNNN_*.sql</c> resources define the schema.</summary>
    public Assembly MigrationsAssembly => GetType().Assembly;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await OpenRetry.ExecuteAsync(async token =>
        {
            var connection = Dialect.CreateConnection(_connectionString);
            try
            {
                await connection.OpenAsync(token);
                await Dialect.OnOpenedAsync(connection, token);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }, cancellationToken);

    /// <summary>
    /// Waits, without holding a thread, for this process's turn to write to the database; dispose the result after the
    /// write transaction. SQLite has one writer per file and Microsoft.Data.Sqlite waits for it by blocking the calling
    /// thread in SQLite's busy handler: with dozens of writers at once (the development host under load) that starves
    /// the thread pool and every request waits. So on SQLite the writers of one file in one process queue here, one at a
    /// time, and an <paramref name="urgent"/> writer (a request someone waits for) goes before the background work
    /// (consuming messages, relaying the outbox, sending mail). PostgreSQL locks rows, not the database: no gate.
    /// </summary>
    public Task<IDisposable> WriteGateAsync(bool urgent, CancellationToken cancellationToken = default) =>
        _writeGate?.EnterAsync(urgent, cancellationToken) ?? Task.FromResult(WriteGate.None);
}
