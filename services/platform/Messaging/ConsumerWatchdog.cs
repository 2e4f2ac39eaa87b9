using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Dit.Platform.Messaging;

/// <summary>
/// Watches that each of this process's queues still has a consumer. After a broker restart, MassTransit 8.4
/// sometimes reconnects but leaves some receive endpoints without a consumer while reporting itself healthy
/// (MassTransit issues 5692 and 6095; seen here in the broker fault test: 20 messages waiting, nobody consuming).
/// Each check's finding is the <see cref="ConsumerCheck"/> readiness signal. A queue found without any consumer on
/// two checks in a row stops the process with exit code 3, for its process manager (Compose's restart policy,
/// systemd) to start it afresh, which binds every consumer again. The messages wait in RabbitMQ meanwhile; nothing
/// is lost.
/// </summary>
public sealed class ConsumerWatchdog(ConsumerAssemblies consumers, IOptions<BusSettings> settings, IHostApplicationLifetime lifetime,
    ILogger<ConsumerWatchdog> logger, ConsumerCheck? check = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(settings.Value.Watchdog.Seconds);
        var queues = consumers.Assemblies.SelectMany(BusSetup.ConsumerQueues).ToList();
        var factory = new ConnectionFactory { Uri = new Uri(settings.Value.RabbitMq.Url) };
        var missingBefore = new HashSet<string>();
        IConnection? connection = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, stoppingToken);
                try
                {
                    connection ??= await factory.CreateConnectionAsync("consumer watchdog", stoppingToken);
                    var missing = new HashSet<string>();
                    foreach (var queue in queues)
                    {
                        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                        if ((await channel.QueueDeclarePassiveAsync(queue, stoppingToken)).ConsumerCount == 0) missing.Add(queue);
                    }
                    check?.Record(missing);
                    if (missing.Overlaps(missingBefore))
                    {
                        logger.LogCritical("No consumer on {Queues} although this process consumes them: stopping (exit code 3) to be started afresh",
                            string.Join(", ", missing.Intersect(missingBefore)));
                        Environment.ExitCode = 3;
                        lifetime.StopApplication();
                        return;
                    }
                    missingBefore = missing;
                }
                catch (Exception exception) when (exception is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException
                                                      or IOException or TimeoutException)
                {
                    // The broker is away (MassTransit is reconnecting): nothing to judge until it is back.
                    missingBefore.Clear();
                    check?.Record(null);
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }
}
