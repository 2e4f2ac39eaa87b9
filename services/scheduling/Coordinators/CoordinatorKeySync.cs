using Microsoft.Extensions.Options;

namespace Dit.Scheduling.Coordinators;

/// <summary>
/// Tells the other services the coordinator and personal keys (<see cref="CoordinatorKeys"/>, hashes only) whenever the
/// set changes — a key added or revoked through the <c>keys</c> command or the personal keys API — and once at
/// start, which also brings keys made before this existed. Looks every <c>Scheduling:Coordinators:SyncSeconds</c>
/// (default 30).
/// </summary>
public sealed class CoordinatorKeySync(SchedulingDatabase database, IClock clock, IOptions<CoordinatorSettings> settings, ILogger<CoordinatorKeySync> logger)
    : BackgroundService
{
    private string? _published;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PublishIfChangedAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Coordinator keys not published; trying again later");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(settings.Value.SyncSeconds), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Publishes the keys if they changed since the last snapshot this process sent.</summary>
    private Task PublishIfChangedAsync(CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var keys = (await connection.QueryAsync<(string Id, string Name, string KeyHash, long CreatedAt, long? RevokedAt,
                string? PersonId, string? PersonName, string? Roles, long? ExpiresAt)>(
                "select id, name, key_hash, created_at, revoked_at, person_id, person_name, roles, expires_at from coordinators order by id",
                transaction: transaction)).ToList();
            var fingerprint = string.Join(";", keys.Select(k => $"{k.Id}:{k.RevokedAt}"));
            if (fingerprint == _published) return false;
            var now = clock.GetCurrentInstant();
            await Outbox.AddAsync(connection, transaction, new CoordinatorKeys(
                keys.Select(k => new CoordinatorKeyHash(k.Id, k.Name, k.KeyHash, Instant.FromUnixTimeMilliseconds(k.CreatedAt).ToDateTimeOffset(),
                    k.RevokedAt is { } revoked ? Instant.FromUnixTimeMilliseconds(revoked).ToDateTimeOffset() : null,
                    k.PersonId, k.PersonName, k.Roles,
                    k.ExpiresAt is { } expires ? Instant.FromUnixTimeMilliseconds(expires).ToDateTimeOffset() : null)).ToList(),
                now.ToDateTimeOffset()), now);
            _published = fingerprint;
            return true;
        }, cancellationToken);
}
