using System.Text.Json;
using Dit.Platform.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dit.Platform.Http;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (every database and the bus
/// are reachable: MassTransit registers its bus check tagged "ready", each service database adds one).
/// </summary>
public static class Health
{
    public static WebApplication MapLiveness(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
                }));
            },
        });
        return app;
    }
}

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
