using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dit.Platform.Messaging;

/// <summary>
/// Readiness from the watchdog's last look: unhealthy while one of this process's queues has no consumer, or while
/// the broker could not be asked; healthy once every queue has one.
/// </summary>
public sealed class ConsumerCheck : IHealthCheck
{
    private volatile IReadOnlyCollection<string>? _missing;
    private volatile bool _checked;

    public void Record(IReadOnlyCollection<string>? missing)
    {
        _missing = missing;
        _checked = true;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult((_checked, _missing) switch
        {
            (false, _) => HealthCheckResult.Healthy("Not checked yet"),
            (true, null) => HealthCheckResult.Unhealthy("The broker could not be asked which queues have consumers"),
            (true, { Count: 0 }) => HealthCheckResult.Healthy("Every queue of this process has a consumer"),
            (true, var missing) => HealthCheckResult.Unhealthy($"No consumer on {string.Join(", ", missing)}"),
        });
}
