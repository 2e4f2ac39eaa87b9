using System.Diagnostics;
using System.Text.RegularExpressions;
using Dit.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Dit.LoadDriver;

/// <summary>What the broker and the database alone can do on this machine: the ceilings our throughput is compared with.</summary>
public static partial class Bounds
{
    /// <summary>
    /// Messages per second from first publish to last consume, through RabbitMQ.Client (the library MassTransit uses):
    /// persistent messages of <paramref name="bodyBytes"/> to a durable queue, publisher confirms awaited in batches of
    /// 100 in flight (as our outbox relay publishes), one consumer acknowledging each with a prefetch of 100.
    /// </summary>
    public static async Task<double> RabbitMqAsync(string url, int messages = 20_000, int bodyBytes = 1_500)
    {
        var factory = new ConnectionFactory { Uri = new Uri(url) };
        await using var publisherConnection = await factory.CreateConnectionAsync("bound publisher");
        await using var consumerConnection = await factory.CreateConnectionAsync("bound consumer");
        await using var publisher = await publisherConnection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await using var consumer = await consumerConnection.CreateChannelAsync();
        var queue = $"bound-{Guid.NewGuid():N}";
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await consumer.BasicQosAsync(0, 100, false);

        var consumed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = new AsyncEventingBasicConsumer(consumer);
        receiver.ReceivedAsync += async (_, delivery) =>
        {
            await consumer.BasicAckAsync(delivery.DeliveryTag, false);
            if (Interlocked.Increment(ref consumed) == messages) done.SetResult();
        };
        await consumer.BasicConsumeAsync(queue, autoAck: false, receiver);

        var body = new byte[bodyBytes];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
        var watch = Stopwatch.StartNew();
        for (var sent = 0; sent < messages; sent += 100)
            await Task.WhenAll(Enumerable.Range(0, Math.Min(100, messages - sent))
                .Select(_ => publisher.BasicPublishAsync("", queue, false, properties, body).AsTask()));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var rate = messages / watch.Elapsed.TotalSeconds;
        await publisher.QueueDeleteAsync(queue);
        return rate;
    }

    /// <summary>pgbench's TPC-B-like transactions per second (5 statements, one commit each) with 16 clients, on its own database.</summary>
    public static async Task<double> PostgresAsync(int seconds = 15)
    {
        var postgres = await PostgresServer.SharedAsync();
        var database = await postgres.CreateDatabaseAsync("pgbench");
        var target = new Npgsql.NpgsqlConnectionStringBuilder(database);
        var pgbench = Directory.GetFiles("/usr/lib/postgresql", "pgbench", SearchOption.AllDirectories).OrderDescending().First();
        string[] connection = ["-h", target.Host!, "-p", target.Port.ToString(), "-U", target.Username!];
        var password = new Dictionary<string, string> { ["PGPASSWORD"] = target.Password ?? "" };
        await Shell.RunAsync(pgbench, [.. connection, "-i", "-q", "-s", "16", target.Database!], password);
        var output = await Shell.RunAsync(pgbench, [.. connection, "-c", "16", "-j", "2", "-T", seconds.ToString(), target.Database!], password);
        var tps = Tps().Match(output);
        return tps.Success ? double.Parse(tps.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No tps in pgbench's output:\n{output}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex Tps();
}
