using NodaTime;

namespace Dit.Host;

/// <summary>
/// The development host's clock with <c>--simulated-clinic</c>: the real clock set back while the clinic's past months
/// run (<see cref="SimulatedClinic"/> moves it forward a day at a time), then the real clock again. It never goes back.
/// </summary>
public sealed class SimulationClock(Duration behind) : IClock
{
    private long _behindTicks = behind.BclCompatibleTicks;

    public Instant GetCurrentInstant() => SystemClock.Instance.GetCurrentInstant() - Duration.FromTicks(Interlocked.Read(ref _behindTicks));

    /// <summary>Moves the clock forward to <paramref name="instant"/> (never back, never past the real time).</summary>
    public void MoveTo(Instant instant)
    {
        var behind = SystemClock.Instance.GetCurrentInstant() - instant;
        if (behind < Duration.Zero) behind = Duration.Zero;
        if (behind.BclCompatibleTicks < Interlocked.Read(ref _behindTicks)) Interlocked.Exchange(ref _behindTicks, behind.BclCompatibleTicks);
    }

    /// <summary>The real clock from now on.</summary>
    public void HandOver() => Interlocked.Exchange(ref _behindTicks, 0);
}
