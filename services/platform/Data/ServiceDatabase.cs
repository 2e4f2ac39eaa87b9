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

    protected ServiceDatabase(IConfiguration configuration, string service, string defaultSqliteFile)
    {
        var section = configuration.GetSection($"{service}:Database");
        Dialect = Dialect.For(section["Provider"] ?? "sqlite");
        _connectionString = section["ConnectionString"] ?? $"Data Source={defaultSqliteFile}";
        Service = service;
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
}
