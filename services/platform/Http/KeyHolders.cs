using Dapper;
using Dit.Platform.Data;
using NodaTime;

namespace Dit.Platform.Http;

/// <summary>
/// Holders of API keys in one of a service's own tables (<c>referrers</c>, <c>coordinators</c>:
/// id, name, key_hash, created_at, revoked_at). A key is shown once when made; only its hash is kept.
/// With <paramref name="personal"/>, the table also holds personal keys (person_id, person_name, roles, expires_at):
/// a key that acts as the person who made it, with the roles they held then, until it expires or is revoked.
/// </summary>
public sealed class KeyHolders(string table, string keyPrefix, bool personal = false)
{
    /// <summary>Whether the table holds personal keys and keys with roles of their own.</summary>
    public bool HoldsPersonalKeys => personal;

    /// <summary>A known key: its holder's id, whether it still works (not revoked, not expired) and, for a key with roles of its
    /// own, who it acts as and with which roles.</summary>
    public sealed record Match(string Id, bool Live, KeyPerson? Person);

    public sealed record KeyPerson(string Id, string Name, IReadOnlyList<string> Roles);

    /// <summary>A personal key for <paramref name="person"/>, named <paramref name="label"/>, working until <paramref name="expires"/> (never, if null).</summary>
    public async Task<(string Id, string Key)> AddPersonalAsync(ServiceDatabase database, KeyPerson person, string label, Instant now, Instant? expires,
        string? key = null)
    {
        if (!personal) throw new InvalidOperationException($"{table} holds no personal keys.");
        key ??= ApiKeys.NewKey("pers");
        var id = Guid.NewGuid().ToString();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            $"insert into {table} (id, name, key_hash, created_at, person_id, person_name, roles, expires_at) " +
            "values (@id, @label, @hash, @now, @personId, @personName, @roles, @expires)",
            new
            {
                id, label, hash = ApiKeys.Hash(key), now = now.ToUnixTimeMilliseconds(), personId = person.Id, personName = person.Name,
                roles = string.Join(",", person.Roles), expires = expires?.ToUnixTimeMilliseconds(),
            });
        return (id, key);
    }

    /// <summary>The personal keys <paramref name="personId"/> made, newest first.</summary>
    public async Task<IReadOnlyList<PersonalKey>> ListPersonalAsync(ServiceDatabase database, string personId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<PersonalKey>(
            $"select id as Id, name as Label, roles as Roles, created_at as CreatedAt, expires_at as ExpiresAt, revoked_at as RevokedAt from {table} " +
            "where person_id = @personId order by created_at desc, id", new { personId })).ToList();
    }

    /// <summary>The person a personal key acts as, or null for another kind of key or none.</summary>
    public async Task<string?> PersonOfAsync(ServiceDatabase database, string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>($"select person_id from {table} where id = @id", new { id });
    }

    /// <summary>
    /// A key for a machine or script named <paramref name="name"/>: in the table's own role or, in a table that holds
    /// personal keys, with <paramref name="roles"/> (staff roles), acting as itself (the holder's id and name).
    /// </summary>
    public async Task<(string Id, string Key)> AddAsync(ServiceDatabase database, string name, Instant now, string? key = null,
        IReadOnlyList<string>? roles = null)
    {
        if (roles is not null && !personal) throw new InvalidOperationException($"{table} holds keys of one role only.");
        key ??= ApiKeys.NewKey(keyPrefix);
        var id = Guid.NewGuid().ToString();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            roles is null
                ? $"insert into {table} (id, name, key_hash, created_at) values (@id, @name, @hash, @now)"
                : $"insert into {table} (id, name, key_hash, created_at, roles) values (@id, @name, @hash, @now, @roles)",
            new { id, name, hash = ApiKeys.Hash(key), now = now.ToUnixTimeMilliseconds(), roles = roles is null ? null : string.Join(",", roles) });
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

    /// <summary>The key's holder, whether or not it still works (<see cref="Match.Live"/>); null when the key is unknown.</summary>
    public async Task<Match?> FindByKeyHashAsync(ServiceDatabase database, string keyHash, Instant now)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, string Name, long? RevokedAt, string? PersonId, string? PersonName, string? Roles, long? ExpiresAt)>(
            personal
                ? $"select id, name, revoked_at, person_id, person_name, roles, expires_at from {table} where key_hash = @keyHash"
                : $"select id, name, revoked_at, null, null, null, null from {table} where key_hash = @keyHash",
            new { keyHash });
        if (row.Id is null) return null;
        var live = row.RevokedAt is null && (row.ExpiresAt is not { } expires || expires > now.ToUnixTimeMilliseconds());
        // Roles of its own: a personal key acts as its person, a script's key as itself; without, the table's role.
        return new Match(row.Id, live, row.Roles is null ? null
            : new KeyPerson(row.PersonId ?? row.Id, row.PersonName ?? row.Name, row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries)));
    }
}
