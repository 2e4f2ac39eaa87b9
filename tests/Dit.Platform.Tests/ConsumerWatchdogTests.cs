using Dit.Platform.Messaging;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Dit.Platform.Tests;

public sealed class ConsumerWatchdogTests
{
    [Fact]
    public async Task A_queue_left_without_its_consumer_stops_the_process_with_exit_code_3()
    {
        var (url, queues) = await QueuesOfThisProcessAsync();
        await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues.Where(q => !q.EndsWith("note-taker"))) await channel.BasicConsumeAsync(queue, false, new AsyncEventingBasicConsumer(channel));
        // One queue (NoteTaker's) is declared and nobody consumes it.

        var check = new ConsumerCheck();
        var stopped = await RunWatchdogAsync(url, TimeSpan.FromSeconds(10), check);

        Assert.True(stopped, "a queue had no consumer, yet the process was not stopped");
        var readiness = await check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, readiness.Status);
        Assert.Contains(queues.Single(q => q.EndsWith("note-taker")), readiness.Description);
        Assert.Equal(3, Environment.ExitCode);
        Environment.ExitCode = 0;   // this test process itself must still end well
    }

    [Fact]
    public async Task A_queue_with_its_consumer_leaves_the_process_running()
    {
        var (url, queues) = await QueuesOfThisProcessAsync();
        await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues) await channel.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumer(channel));

        var check = new ConsumerCheck();
        Assert.False(await RunWatchdogAsync(url, TimeSpan.FromSeconds(3), check));   // fifteen checks, all with a consumer
        var readiness = await check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal((Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, "Every queue of this process has a consumer"),
            (readiness.Status, readiness.Description));
    }

    /// <summary>A virtual host holding the queues the watchdog expects for this assembly's consumers.</summary>
    private static async Task<(string Url, List<string> Queues)> QueuesOfThisProcessAsync()
    {
        var url = await (await RabbitMqServer.SharedAsync()).CreateVirtualHostAsync("watchdog");
        var queues = BusSetup.ConsumerQueues(typeof(WatchedConsumer).Assembly);
        Assert.Equal(4, queues.Count);   // WatchedConsumer's, InboxOutboxTests' NoteTaker's and the notes mail consumers (RedeliveryTests)
        await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues) await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        return (url, queues);
    }

    /// <returns>Whether the watchdog asked the application to stop within <paramref name="within"/>.</returns>
    private static async Task<bool> RunWatchdogAsync(string url, TimeSpan within, ConsumerCheck check)
    {
        var consumers = new ConsumerAssemblies([typeof(WatchedConsumer).Assembly]);
        var settings = Microsoft.Extensions.Options.Options.Create(new BusSettings { RabbitMq = { Url = url }, Watchdog = { Seconds = 0.2 } });
        var lifetime = new RecordingLifetime();
        var watchdog = new ConsumerWatchdog(consumers, settings, lifetime, NullLogger<ConsumerWatchdog>.Instance, check);
        await watchdog.StartAsync(CancellationToken.None);
        var stopped = await Task.WhenAny(lifetime.Stopped.Task, Task.Delay(within)) == lifetime.Stopped.Task;
        await watchdog.StopAsync(CancellationToken.None);
        return stopped;
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => Stopped.TrySetResult();
    }
}

public sealed record Watched;

/// <summary>A consumer whose queue the watchdog looks for.</summary>
public sealed class WatchedConsumer : IConsumer<Watched>
{
    public Task Consume(ConsumeContext<Watched> context) => Task.CompletedTask;
}
