using Dit.Platform.Data;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Text;

namespace Dit.Platform.Http;

/// <summary>
/// The <c>keys</c> command of a service's executable: <c>keys add "Name"</c> prints a new key once (on scheduling,
/// <c>--roles coordinator,administrator</c> gives a script's key those staff roles instead of the coordinator's),
/// <c>keys list</c> shows holders, <c>keys revoke ID</c> refuses that key from the next request on.
/// </summary>
public static class KeysCommand
{
    public static async Task<int> RunAsync<TDatabase>(TDatabase database, KeyHolders holders, string[] arguments, TextWriter output)
        where TDatabase : ServiceDatabase
    {
        var clock = SystemClock.Instance;
        await new Migrator<TDatabase>(database, clock, NullLogger<Migrator<TDatabase>>.Instance).MigrateAsync();
        switch (arguments)
        {
            case ["add", var name] when !string.IsNullOrWhiteSpace(name):
                return await AddAsync(database, holders, name, null, output, clock);
            case ["add", var name, "--roles", var roles] when !string.IsNullOrWhiteSpace(name):
                var asked = roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (asked.Length == 0 || asked.Except(StaffTokens.StaffRoles).Any())
                {
                    await output.WriteLineAsync($"--roles takes staff roles, comma-separated: {string.Join(", ", StaffTokens.StaffRoles)}.");
                    return 2;
                }
                return await AddAsync(database, holders, name, asked, output, clock);
            case ["list"]:
                foreach (var holder in await holders.ListAsync(database))
                    await output.WriteLineAsync($"{holder.Id}  {Format(holder.CreatedAt)}  {(holder.RevokedAt is { } r ? $"revoked {Format(r)}" : "active"),-28}  {holder.Name}");
                return 0;
            case ["revoke", var revokeId]:
                if (await holders.RevokeAsync(database, revokeId, clock.GetCurrentInstant()))
                {
                    await output.WriteLineAsync($"Revoked {revokeId}: its key is refused from now on.");
                    return 0;
                }
                await output.WriteLineAsync($"No key holder {revokeId}.");
                return 1;
            default:
                await output.WriteLineAsync("Usage: keys add \"Name\" [--roles role,role] | keys list | keys revoke ID");
                return 2;
        }
    }

    private static async Task<int> AddAsync(ServiceDatabase database, KeyHolders holders, string name, string[]? roles, TextWriter output, IClock clock)
    {
        if (roles is not null && !holders.HoldsPersonalKeys)
        {
            await output.WriteLineAsync("This service's keys have one role: --roles is for scheduling's staff keys.");
            return 2;
        }
        var (id, key) = await holders.AddAsync(database, name.Trim(), clock.GetCurrentInstant(), roles: roles);
        await output.WriteLineAsync($"Added {name.Trim()} ({id}). Its key, shown only this once:\n{key}");
        return 0;
    }

    private static string Format(long unixMilliseconds) =>
        InstantPattern.General.Format(Instant.FromUnixTimeMilliseconds(unixMilliseconds));
}
