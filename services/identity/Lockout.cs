using System.Collections.Concurrent;

namespace Dit.Identity;

/// <summary>Failed sign-ins per user name: after <c>LockoutAttempts</c> in a row the name is refused for <c>LockoutMinutes</c>.</summary>
public sealed class Lockout(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset? Until)> _names = new(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset? LockedUntil(string userName) =>
        _names.TryGetValue(userName, out var state) && state.Until > time.GetUtcNow() ? state.Until : null;

    public void Failed(string userName, ProviderSettings settings) =>
        _names.AddOrUpdate(userName, _ => (1, null), (_, state) =>
        {
            var failures = state.Until is { } until && until <= time.GetUtcNow() ? 1 : state.Failures + 1;
            return failures >= settings.LockoutAttempts ? (0, time.GetUtcNow().AddMinutes(settings.LockoutMinutes)) : (failures, null);
        });

    public void Succeeded(string userName) => _names.TryRemove(userName, out _);
}
