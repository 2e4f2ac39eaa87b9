using Dit.Platform.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dit.Platform.Http;

/// <summary>Ready when a connection opens and answers <c>select 1</c>.</summary>
public sealed class DatabaseHealthCheck<TDatabase>(TDatabase database) : IHealthCheck where TDatabase : ServiceDatabase
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "select 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{database.Service} database ({database.Dialect.Name}) answers");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy($"{database.Service} database unreachable: {exception.Message}");
        }
    }
}
