using Dapper;
using Dit.Platform.Http;
using NodaTime;

namespace Dit.Scheduling.Coordinators;

/// <summary>Clinic coordinators and their API keys (only the hash is kept).</summary>
public static class Coordinators
{
    public static async Task<(string CoordinatorId, string Key)> AddAsync(SchedulingDatabase database, string name, Instant now, string? key = null)
    {
        key ??= ApiKeys.NewKey("coord");
        var id = Guid.NewGuid().ToString();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "insert into coordinators (id, name, key_hash, created_at) values (@id, @name, @hash, @now)",
            new { id, name, hash = ApiKeys.Hash(key), now = now.ToUnixTimeMilliseconds() });
        return (id, key);
    }

    public static async Task<string?> FindByKeyHashAsync(SchedulingDatabase database, string keyHash)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>(
            "select id from coordinators where key_hash = @keyHash and revoked_at is null", new { keyHash });
    }
}
