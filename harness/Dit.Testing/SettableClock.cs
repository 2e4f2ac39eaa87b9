using NodaTime;

namespace Dit.Testing;

/// <summary>A clock a test moves by hand, to stand on any day (a clock change, a session's end).</summary>
public sealed class SettableClock(Instant now) : IClock
{
    private long _ticks = now.ToUnixTimeTicks();

    public Instant GetCurrentInstant() => Instant.FromUnixTimeTicks(Interlocked.Read(ref _ticks));

    public void Set(Instant instant) => Interlocked.Exchange(ref _ticks, instant.ToUnixTimeTicks());

    public void Advance(Duration duration) => Set(GetCurrentInstant() + duration);
}
