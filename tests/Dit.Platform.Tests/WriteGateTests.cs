using Dit.Platform.Data;

namespace Dit.Platform.Tests;

public sealed class WriteGateTests
{
    [Fact]
    public async Task Writers_go_one_at_a_time_urgent_ones_before_background_ones_each_lane_in_order()
    {
        var gate = new WriteGate();
        var order = new List<string>();
        var first = await gate.EnterAsync(urgent: false, CancellationToken.None);
        var waiting = new[] { ("background 1", false), ("urgent 1", true), ("background 2", false), ("urgent 2", true) }
            .Select(w => (w.Item1, Task: gate.EnterAsync(w.Item2, CancellationToken.None))).ToList();
        Assert.All(waiting, w => Assert.False(w.Task.IsCompleted));

        first.Dispose();
        first.Dispose();   // twice: still lets in one writer only
        for (var i = 0; i < waiting.Count; i++)
        {
            var next = await Task.WhenAny(waiting.Where(w => !order.Contains(w.Item1)).Select(w => w.Task));
            var name = waiting.Single(w => w.Task == next).Item1;
            order.Add(name);
            Assert.Single(waiting, w => w.Task.IsCompleted && !order.Take(order.Count - 1).Contains(w.Item1));
            (await next).Dispose();
        }

        Assert.Equal(["urgent 1", "urgent 2", "background 1", "background 2"], order);
    }

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_its_place_and_the_next_one_gets_in()
    {
        var gate = new WriteGate();
        var holder = await gate.EnterAsync(urgent: true, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var impatient = gate.EnterAsync(urgent: true, giveUp.Token);
        var patient = gate.EnterAsync(urgent: false, CancellationToken.None);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        holder.Dispose();

        using var next = await patient.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(gate.EnterAsync(urgent: true, CancellationToken.None).IsCompleted);
    }
}
