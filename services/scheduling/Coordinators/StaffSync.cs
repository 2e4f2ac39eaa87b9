using Microsoft.Extensions.Options;

namespace Dit.Scheduling.Coordinators;

/// <summary>
/// Tells the other services who the staff are, whenever it changes and once at start (which also brings what was made
/// before this existed): the coordinator and personal keys (<see cref="CoordinatorKeys"/>, hashes only) — added or
/// revoked through the <c>keys</c> command or the personal keys API — and which person each therapist is
/// (<see cref="TherapistPeople"/>). Looks every <c>Scheduling:Coordinators:SyncSeconds</c> (default 30).
/// </summary>
public sealed class StaffSync(SchedulingDatabase database, IClock clock, IOptions<CoordinatorSettings> settings, ILogger<StaffSync> logger)
    : BackgroundService
{
    private string? _keysPublished;
    private string? _therapistsPublished;

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
                logger.LogWarning(exception, "Staff keys or therapists' people not published; trying again later");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(settings.Value.SyncSeconds), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Publishes the keys, and the therapists' people, if they changed since the last snapshot this process sent.</summary>
    private async Task PublishIfChangedAsync(CancellationToken cancellationToken)
    {
        (_keysPublished, _therapistsPublished) = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            var keys = (await connection.QueryAsync<(string Id, string Name, string KeyHash, long CreatedAt, long? RevokedAt,
                string? PersonId, string? PersonName, string? Roles, long? ExpiresAt)>(
                "select id, name, key_hash, created_at, revoked_at, person_id, person_name, roles, expires_at from coordinators order by id",
                transaction: transaction)).ToList();
            var keysFingerprint = string.Join(";", keys.Select(k => $"{k.Id}:{k.RevokedAt}"));
            if (keysFingerprint != _keysPublished)
                await Outbox.AddAsync(connection, transaction, new CoordinatorKeys(
                    keys.Select(k => new CoordinatorKeyHash(k.Id, k.Name, k.KeyHash, Instant.FromUnixTimeMilliseconds(k.CreatedAt).ToDateTimeOffset(),
                        k.RevokedAt is { } revoked ? Instant.FromUnixTimeMilliseconds(revoked).ToDateTimeOffset() : null,
                        k.PersonId, k.PersonName, k.Roles,
                        k.ExpiresAt is { } expires ? Instant.FromUnixTimeMilliseconds(expires).ToDateTimeOffset() : null)).ToList(),
                    now.ToDateTimeOffset()), now);

            var therapists = (await connection.QueryAsync<(string Id, string? UserId)>(
                "select id, user_id from therapists order by id", transaction: transaction)).ToList();
            var therapistsFingerprint = string.Join(";", therapists.Select(t => $"{t.Id}:{t.UserId}"));
            if (therapistsFingerprint != _therapistsPublished)
                await Outbox.AddAsync(connection, transaction, new TherapistPeople(
                    therapists.Select(t => new TherapistPerson(Guid.Parse(t.Id), t.UserId)).ToList(), now.ToDateTimeOffset()), now);

            return (keysFingerprint, therapistsFingerprint);
        }, cancellationToken);
    }
}
