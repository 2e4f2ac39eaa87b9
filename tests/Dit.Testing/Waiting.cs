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
}
