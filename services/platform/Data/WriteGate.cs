namespace Dit.Platform.Data;

/// <summary>
/// One writer at a time, first come first served within two lanes: urgent writers (requests) before the others
/// (background work). Waiting is asynchronous; a cancelled waiter leaves its place. See <see cref="ServiceDatabase.WriteGateAsync"/>.
/// </summary>
public sealed class WriteGate
{
    public static readonly IDisposable None = new Pass(null);

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _urgent = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _background = new();
    private bool _held;

    public Task<IDisposable> EnterAsync(bool urgent, CancellationToken cancellationToken)
    {
        TaskCompletionSource<IDisposable> waiter;
        LinkedListNode<TaskCompletionSource<IDisposable>> node;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return Task.FromResult<IDisposable>(new Pass(this));
            }
            waiter = new TaskCompletionSource<IDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = (urgent ? _urgent : _background).AddLast(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_lock)
                {
                    if (node.List is null) return;   // already let in
                    node.List.Remove(node);
                }
                waiter.TrySetCanceled(cancellationToken);
            });
            // A long-lived token (a service's stopping token) must not collect one registration per write.
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return waiter.Task;
    }

    private void Leave()
    {
        TaskCompletionSource<IDisposable>? next;
        lock (_lock)
        {
            var lane = _urgent.Count > 0 ? _urgent : _background;
            next = lane.First?.Value;
            if (next is null) _held = false;
            else lane.RemoveFirst();
        }
        next?.TrySetResult(new Pass(this));
    }

    private sealed class Pass(WriteGate? gate) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (gate is not null && Interlocked.Exchange(ref _left, 1) == 0) gate.Leave();
        }
    }
}
