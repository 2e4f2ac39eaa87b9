namespace Dit.Testing;

/// <summary>Waits for a positive signal that work was done, rather than sleeping and hoping.</summary>
public static class Waiting
{
    /// <summary>Checks <paramref name="done"/> every 50 ms until it holds; throws, naming what was awaited, when <paramref name="timeout"/> passes.</summary>
    public static async Task UntilAsync(Func<bool> done, TimeSpan timeout, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not done within {timeout}: {what ?? "the condition"}");
            await Task.Delay(50);
        }
    }

    /// <summary>As above, with a check that must ask something (a database, an API).</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not done within {timeout}: {what ?? "the condition"}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Reads <paramref name="read"/> every 50 ms until <paramref name="done"/> holds for what it read, or <paramref name="timeout"/>
    /// passes; returns the last reading either way, for the test to assert on (so a failure shows what there was).
    /// </summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }
        return value;
    }

    /// <summary>Whether <paramref name="check"/> came to hold within <paramref name="timeout"/>.</summary>
    public static Task<bool> EventuallyAsync(Func<Task<bool>> check, TimeSpan timeout) => ForAsync(check, ok => ok, timeout);
}
