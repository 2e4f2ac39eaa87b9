namespace Dit.Notifications.Messages;

/// <summary>
/// Learns the coordinator and personal keys scheduling owns (hashes only), so that one key opens this service's
/// endpoints too, as the same holder or person. Merges: adds unknown keys, revokes revoked ones, never un-revokes — any order of snapshots ends the same.
/// </summary>
public sealed class LearnCoordinatorKeys(NotificationsDatabase database, IClock clock) : IConsumer<CoordinatorKeys>
{
    public Task Consume(ConsumeContext<CoordinatorKeys> context) =>
        database.ConsumeOnceAsync(context, nameof(LearnCoordinatorKeys), clock, async (connection, transaction) =>
        {
            foreach (var key in context.Message.Keys)
            {
                var revokedAt = key.RevokedAt is { } revoked ? Instant.FromDateTimeOffset(revoked).ToUnixTimeMilliseconds() : (long?)null;
                await connection.ExecuteAsync(
                    "insert into coordinators (id, name, key_hash, created_at, revoked_at, person_id, person_name, roles, expires_at) " +
                    "values (@Id, @Name, @KeyHash, @createdAt, @revokedAt, @PersonId, @PersonName, @Roles, @expiresAt) on conflict do nothing",
                    new
                    {
                        key.Id, key.Name, key.KeyHash, createdAt = Instant.FromDateTimeOffset(key.CreatedAt).ToUnixTimeMilliseconds(), revokedAt,
                        key.PersonId, key.PersonName, key.Roles,
                        expiresAt = key.ExpiresAt is { } expires ? Instant.FromDateTimeOffset(expires).ToUnixTimeMilliseconds() : (long?)null,
                    },
                    transaction);
                if (revokedAt is not null)
                    await connection.ExecuteAsync("update coordinators set revoked_at = @revokedAt where key_hash = @KeyHash and revoked_at is null",
                        new { key.KeyHash, revokedAt }, transaction);
            }
        });
}
