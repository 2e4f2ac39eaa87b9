using Dit.Testing;
using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>
/// One coordinator key for every service (issue 13): scheduling owns the keys and tells the others their hashes; and it
/// tells them which person each therapist is (issue 22), so that referrals shows a therapist their own patients' names.
/// </summary>
public sealed class StaffSyncTests
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

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_therapist_linked_to_a_person_or_unlinked_is_announced_with_every_therapist(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider, extra: new() { ["Scheduling:Coordinators:SyncSeconds"] = "1" });
        var id = await Therapists.TherapistRoster.AddAsync(app.Database, "Dr Linked", 20, [], SystemClock.Instance.GetCurrentInstant());
        await using (var connection = await app.Database.OpenAsync())
            await connection.ExecuteAsync("update therapists set user_id = 'person-7' where id = @id", new { id = id.ToString() });
        await WaitForPeopleAsync(app, p => p.Therapists.Any(t => t.TherapistId == id && t.PersonId == "person-7"));
        await using (var connection = await app.Database.OpenAsync())
            await connection.ExecuteAsync("update therapists set user_id = null where id = @id", new { id = id.ToString() });
        await WaitForPeopleAsync(app, p => p.Therapists.Any(t => t.TherapistId == id && t.PersonId is null));
    }

    private static async Task WaitForPeopleAsync(SchedulingApp app, Func<TherapistPeople, bool> matches)
    {
        async Task<bool> FoundAsync()
        {
            await using var connection = await app.Database.OpenAsync();
            return (await connection.QueryAsync<string>("select body from outbox where message_type = 'Dit.Contracts.TherapistPeople'"))
                .Select(b => JsonSerializer.Deserialize<TherapistPeople>(b, MessageJson.Options)!).Any(matches);
        }
        await Waiting.UntilAsync(FoundAsync, TimeSpan.FromSeconds(10), "therapists' people announced");
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
