using System.Reflection;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Dit.Platform.Messaging;

/// <summary>
/// The <c>errors</c> command of a service's executable, for the messages MassTransit moved to a consumer's
/// <c>…_error</c> queue after its retries ran out. <c>errors list</c> shows each with the fault MassTransit
/// recorded; <c>errors replay QUEUE</c> moves them back to <c>QUEUE</c> to be consumed again, once the cause is fixed.
/// A message that fails again returns to the error queue with its new fault; nothing is dropped.
/// </summary>
public static class ErrorQueuesCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration, Assembly consumers, string[] arguments, TextWriter output)
    {
        var bus = Settings.Read<BusSettings>(configuration, BusSettings.Section);
        if (!bus.UsesRabbitMq)
        {
            await output.WriteLineAsync("Error queues exist only on RabbitMQ (Bus:Transport = RabbitMq).");
            return 2;
        }
        var factory = new ConnectionFactory { Uri = new Uri(bus.RabbitMq.Url) };
        await using var connection = await factory.CreateConnectionAsync("errors command");
        var queues = BusSetup.ConsumerQueues(consumers);
        switch (arguments)
        {
            case ["list"]:
                foreach (var queue in queues)
                    await ListAsync(connection, queue, output);
                return 0;
            case ["replay", var queue] when queues.Contains(queue):
                var moved = await ReplayAsync(connection, queue);
                await output.WriteLineAsync($"Replayed {moved} message(s) from {queue}_error to {queue}.");
                return 0;
            case ["replay", var unknown]:
                await output.WriteLineAsync($"{unknown} is not one of this service's queues: {string.Join(", ", queues)}");
                return 1;
            default:
                await output.WriteLineAsync("Usage: errors list | errors replay QUEUE");
                return 2;
        }
    }

    private static async Task ListAsync(IConnection connection, string queue, TextWriter output)
    {
        // Looked at without acknowledging: closing the channel puts every message back as it was.
        await using var channel = await connection.CreateChannelAsync();
        uint count;
        try { count = (await channel.QueueDeclarePassiveAsync($"{queue}_error")).MessageCount; }
        catch (OperationInterruptedException) { return; }   // no error queue: nothing ever failed there
        await output.WriteLineAsync($"{queue}_error: {count} message(s)");
        for (var i = 0; i < count; i++)
        {
            var message = await channel.BasicGetAsync($"{queue}_error", autoAck: false);
            if (message is null) break;
            var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
            await output.WriteLineAsync(
                $"  {message.BasicProperties.MessageId}  {Header(headers, "MT-Fault-ExceptionType")}: {Header(headers, "MT-Fault-Message")}" +
                $"  (failed {Header(headers, "MT-Fault-Timestamp")})");
        }
    }

    private static async Task<int> ReplayAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        uint count;
        try { count = (await channel.QueueDeclarePassiveAsync($"{queue}_error")).MessageCount; }
        catch (OperationInterruptedException) { return 0; }
        var moved = 0;
        // Only the messages there now: one that fails again comes back behind them and waits for the next replay.
        for (; moved < count; moved++)
        {
            var message = await channel.BasicGetAsync($"{queue}_error", autoAck: false);
            if (message is null) break;
            var properties = new BasicProperties(message.BasicProperties)
            {
                Headers = message.BasicProperties.Headers?
                    .Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key != "MT-Reason")
                    .ToDictionary(h => h.Key, h => h.Value),
            };
            // Confirmed by the broker before the error queue lets go of it: a crash here can only replay it twice,
            // and the consumer's inbox drops the second.
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
        }
        return moved;
    }

    private static string Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => "",
            _ => value.ToString() ?? "",
        } : "";
}
