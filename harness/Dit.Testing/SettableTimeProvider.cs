namespace Dit.Testing;

/// <summary>The BCL's clock, moved by hand: for what reads <see cref="TimeProvider"/> (ASP.NET Core's cookies and sessions).</summary>
public sealed class SettableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
