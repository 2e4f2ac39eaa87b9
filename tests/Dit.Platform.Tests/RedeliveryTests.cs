using Dapper;
using Dit.Contracts;
using Dit.Notes;
using Dit.Platform.Messaging;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dit.Platform.Tests;

/// <summary>
/// Issue 20: a message that fails for a reason that may pass is handed back later through the outbox, freeing its lane;
/// one that fails for a reason that will not goes to its error queue at once, tried once.
/// </summary>
public sealed class RedeliveryTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_transient_failure_is_handed_back_later_without_holding_the_lane_and_a_bug_is_not_retried(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddConfiguration(await TestDatabases.ConfigurationAsync("Notes", provider));
        builder.Configuration["Bus:Redelivery:FirstDelaySeconds"] = "1";
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<Data.ServiceDatabase>(database);
        builder.Services.AddSingleton<NodaTime.IClock>(NodaTime.SystemClock.Instance);
        builder.Services.AddSingleton<AttemptLog>();
        builder.Services.AddServiceMessaging<NotesDatabase>();
        builder.Services.AddDitBus(builder.Configuration, [typeof(NotesMailConsumer).Assembly]);
        using var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();
        var log = host.Services.GetRequiredService<AttemptLog>();
        var flakyId = NewId.NextGuid();

        await bus.Publish(Mail("flaky"), context => context.MessageId = flakyId);
        await bus.Publish(Mail("broken"));
        var steadyPosted = DateTime.UtcNow;
        await bus.Publish(Mail("steady"));

        await Waiting.UntilAsync(() => log.Done.ContainsKey("flaky") && log.Faulted.ContainsKey("broken"), TimeSpan.FromSeconds(30));
        var steady = log.Done["steady"];
        var flaky = log.Done["flaky"];
        // The flaky one did not hold the lane until it succeeded (no wall-clock bound: under a moved clock or a loaded machine
        // the in-lane retries alone may pass two seconds; the order is what shows the lane was freed).
        Assert.True(steady.At < flaky.At, $"the steady message was done {steady.At - steadyPosted} after posting, after the flaky one");
        Assert.Equal(6, log.Attempts["flaky"]);                  // four in the first delivery, two in the second
        Assert.Equal((Guid?)flakyId, flaky.MessageId);           // the same message, so inboxes still know it
        Assert.Equal(1, flaky.Redelivery);
        Assert.Equal(1, log.Attempts["broken"]);                 // a bug is tried once, then the error queue
        await using var connection = await database.OpenAsync();
        Assert.Equal(["dit-notes-notes-mail"],
            (await connection.QueryAsync<string>("select destination from outbox where destination is not null")).ToList());
        await host.StopAsync();
    }

    private static MailUndeliverable Mail(string kind) => new(Guid.NewGuid(), kind, "test", 0, DateTimeOffset.UtcNow);
}
