using Dapper;
using Dit.Platform.Http;
using NodaTime;

namespace Dit.Referrals.Keys;

/// <summary>Referring organisations and their API keys (only the hash is kept).</summary>
public static class Referrers
{
    /// <summary>Adds an organisation with a new key; the key is returned once and never stored.</summary>
    public static async Task<(string ReferrerId, string Key)> AddAsync(ReferralsDatabase database, string name, Instant now, string? key = null)
    {
        key ??= ApiKeys.NewKey("ref");
        var id = Guid.NewGuid().ToString();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "insert into referrers (id, name, key_hash, created_at) values (@id, @name, @hash, @now)",
            new { id, name, hash = ApiKeys.Hash(key), now = now.ToUnixTimeMilliseconds() });
        return (id, key);
    }

    public static async Task<string?> FindByKeyHashAsync(ReferralsDatabase database, string keyHash)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>(
            "select id from referrers where key_hash = @keyHash and revoked_at is null", new { keyHash });
    }
}
