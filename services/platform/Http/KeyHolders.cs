using Dapper;
using Dit.Platform.Data;
using NodaTime;

namespace Dit.Platform.Http;

/// <summary>
/// Holders of API keys in one of a service's own tables (<c>referrers</c>, <c>coordinators</c>:
/// id, name, key_hash, created_at, revoked_at). A key is shown once when made; only its hash is kept.
/// </summary>
public sealed class KeyHolders(string table, string keyPrefix)
{
    public async Task<(string Id, string Key)> AddAsync(ServiceDatabase database, string name, Instant now, string? key = null)
    {
        key ??= ApiKeys.NewKey(keyPrefix);
        var id = Guid.NewGuid().ToString();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            $"insert into {table} (id, name, key_hash, created_at) values (@id, @name, @hash, @now)",
            new { id, name, hash = ApiKeys.Hash(key), now = now.ToUnixTimeMilliseconds() });
        return (id, key);
    }

    public async Task<bool> IsActiveAsync(ServiceDatabase database, string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            $"select count(*) from {table} where id = @id and revoked_at is null", new { id }) > 0;
    }

    public async Task<IReadOnlyList<KeyHolder>> ListAsync(ServiceDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<KeyHolder>(
            $"select id as Id, name as Name, created_at as CreatedAt, revoked_at as RevokedAt from {table} order by created_at, id")).ToList();
    }

    /// <returns>False when there is no such holder. A revoked key is refused from the next request on.</returns>
    public async Task<bool> RevokeAsync(ServiceDatabase database, string id, Instant now)
    {
        await using var connection = await database.OpenAsync();
        var found = await connection.ExecuteScalarAsync<long>($"select count(*) from {table} where id = @id", new { id });
        await connection.ExecuteAsync($"update {table} set revoked_at = @now where id = @id and revoked_at is null",
            new { id, now = now.ToUnixTimeMilliseconds() });
        return found > 0;
    }

    /// <summary>The holder's id, or null when the key is unknown or revoked.</summary>
    public async Task<string?> FindByKeyHashAsync(ServiceDatabase database, string keyHash)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>(
            $"select id from {table} where key_hash = @keyHash and revoked_at is null", new { keyHash });
    }
}
