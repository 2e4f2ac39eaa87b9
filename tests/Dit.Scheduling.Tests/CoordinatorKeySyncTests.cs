using Dit.Testing;
using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>One coordinator key for every service (issue 13): scheduling owns the keys and tells the others their hashes.</summary>
public sealed class CoordinatorKeySyncTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_key_added_or_revoked_with_the_keys_command_is_announced_as_its_hash_and_never_as_the_key(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider, extra: new() { ["Scheduling:Coordinators:SyncSeconds"] = "1" });
        // As the keys command does: straight into the database, no bus.
        var (id, key) = await Coordinators.CoordinatorRoster.Holders.AddAsync(app.Database, "Sam Coordinator", SystemClock.Instance.GetCurrentInstant());

        var added = await WaitForSnapshotAsync(app, s => s.Keys.Any(k => k.Id == id));
        await Coordinators.CoordinatorRoster.Holders.RevokeAsync(app.Database, id, SystemClock.Instance.GetCurrentInstant());
        var revoked = await WaitForSnapshotAsync(app, s => s.Keys.Any(k => k.Id == id && k.RevokedAt is not null));

        var announced = added.Keys.Single(k => k.Id == id);
        Assert.Equal((ApiKeys.Hash(key), "Sam Coordinator", (DateTimeOffset?)null), (announced.KeyHash, announced.Name, announced.RevokedAt));
        Assert.NotNull(revoked.Keys.Single(k => k.Id == id).RevokedAt);
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from outbox where body like @key", new { key = $"%{key}%" }));
    }

    private static async Task<CoordinatorKeys> WaitForSnapshotAsync(SchedulingApp app, Func<CoordinatorKeys, bool> matches)
    {
        async Task<CoordinatorKeys?> FindAsync()
        {
            await using var connection = await app.Database.OpenAsync();
            return (await connection.QueryAsync<string>("select body from outbox where message_type = 'Dit.Contracts.CoordinatorKeys'"))
                .Select(b => JsonSerializer.Deserialize<CoordinatorKeys>(b, MessageJson.Options)!).FirstOrDefault(matches);
        }
        return await Waiting.ForAsync(FindAsync, found => found is not null, TimeSpan.FromSeconds(10))
            ?? throw new TimeoutException("No coordinator keys announced.");
    }
}
