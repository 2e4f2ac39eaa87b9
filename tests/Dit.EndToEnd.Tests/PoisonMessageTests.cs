using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dit.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Dit.EndToEnd.Tests;

[Collection(nameof(ProcessesCollection))]
public sealed class PoisonMessageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Messages_that_keep_failing_wait_in_the_error_queue_with_their_reason_and_are_replayed_once_the_cause_is_fixed()
    {
        await using var system = await ProcessSystem.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Bus:Retry:Limit"] = "2",
            ["Bus:Retry:MaxIntervalSeconds"] = "1",
        });
        await system.AddTherapistsAsync(2, 10);
        var scheduling = system.Scheduling[0];
        var queue = (await system.Rabbit.QueuesAsync(system.BusUrl)).Keys.Single(q => q.EndsWith("book-course"));

        // A message nobody can read: not JSON at all.
        await PublishRawAsync(system.BusUrl, queue, "{ this is not a message");
        // And the scheduling database down for longer than the retries last.
        var postgres = await PostgresServer.SharedAsync();
        await postgres.SetAcceptingConnectionsAsync(system.Databases["Scheduling"], accepting: false);
        var posted = await system.Referrer.PostAsJsonAsync("/api/referrals", ProcessSystem.Referral("poison", 0));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        var errors = await WaitForErrorQueueAsync(system, $"{queue}_error", 2);
        Assert.Equal(2, errors);
        var listed = await scheduling.RunCommandAsync("errors", "list");
        output.WriteLine(listed);
        Assert.Contains($"{queue}_error: 2 message(s)", listed);
        Assert.Contains("is not currently accepting connections", listed);   // the database's own words, per message
        Assert.Contains("JsonReaderException", listed);                        // and why the other could not be read
        var log = scheduling.ReadWholeLog();
        Assert.Contains("R-FAULT", log);
        Assert.Contains("is not currently accepting connections", log);
        Assert.Equal("received", await StatusAsync(system, posted.Headers.Location!));   // not booked, not lost: waiting

        // Fixed: the database is back. Replaying books the referral; the unreadable message returns to the error queue.
        await postgres.SetAcceptingConnectionsAsync(system.Databases["Scheduling"], accepting: true);
        Assert.Contains("Replayed 2 message(s)", await scheduling.RunCommandAsync("errors", "replay", queue));

        var state = await system.WaitUntilSettledAsync("poison", 1, TimeSpan.FromMinutes(1));
        Assert.Equal(1, state.Booked);
        Assert.Equal(1, state.PatientsInvited);
        Assert.Equal(1, await WaitForErrorQueueAsync(system, $"{queue}_error", 1));
        var after = await scheduling.RunCommandAsync("errors", "list");
        Assert.Contains($"{queue}_error: 1 message(s)", after);
        Assert.DoesNotContain("accepting connections", after);
    }

    private static async Task PublishRawAsync(string url, string queue, string body)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            MessageId = Guid.NewGuid().ToString(),
            Persistent = true,
        };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }

    private static async Task<long> WaitForErrorQueueAsync(ProcessSystem system, string errorQueue, long expected)
    {
        return await Waiting.ForAsync(async () => (await system.Rabbit.QueuesAsync(system.BusUrl)).GetValueOrDefault(errorQueue),
            count => count == expected, TimeSpan.FromSeconds(60));
    }

    private static async Task<string> StatusAsync(ProcessSystem system, Uri location) =>
        (await system.Referrer.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(location))!["status"]!.GetValue<string>();
}
