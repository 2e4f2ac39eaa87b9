namespace Dit.Notifications.Messages;

/// <summary>
/// Learns the coordinator keys scheduling owns (hashes only), so that a coordinator's one key opens this service's
/// endpoints too. Merges: adds unknown keys, revokes revoked ones, never un-revokes — any order of snapshots ends the same.
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
                    "insert into coordinators (id, name, key_hash, created_at, revoked_at) values (@Id, @Name, @KeyHash, @createdAt, @revokedAt) on conflict do nothing",
                    new { key.Id, key.Name, key.KeyHash, createdAt = Instant.FromDateTimeOffset(key.CreatedAt).ToUnixTimeMilliseconds(), revokedAt },
                    transaction);
                if (revokedAt is not null)
                    await connection.ExecuteAsync("update coordinators set revoked_at = @revokedAt where key_hash = @KeyHash and revoked_at is null",
                        new { key.KeyHash, revokedAt }, transaction);
            }
        });
}
