namespace Dit.Scheduling.Waitlist;

/// <summary>Wakes the waitlist retry when capacity may have freed (a cancellation, a new therapist, changed hours or leave).</summary>
public sealed class WaitlistSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void CapacityChanged()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
