using Dit.Testing;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace Dit.Platform.Tests;

public sealed class InboxOutboxTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_message_delivered_twice_changes_the_database_once(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider);
        await using var services = Harness(database, bus => bus.AddConsumer<NoteTaker>());
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var messageId = NewId.NextGuid();
        var message = new CourseWaitlisted(Guid.NewGuid(), "no capacity", DateTimeOffset.UtcNow);

        await harness.Bus.Publish(message, context => context.MessageId = messageId);
        await harness.Bus.Publish(message, context => context.MessageId = messageId);
        await harness.Bus.Publish(message with { Reason = "another message" }, context => context.MessageId = NewId.NextGuid());

        var deliveries = services.GetRequiredService<Deliveries>();
        await Waiting.ForAsync(() => Task.FromResult(deliveries.Count), n => n >= 3, TimeSpan.FromSeconds(10));
        Assert.Equal(3, deliveries.Count);
        await using var connection = await database.OpenAsync();
        var notes = (await connection.QueryAsync<string>("select body from notes order by body")).ToArray();
        Assert.Equal(["another message", "no capacity"], notes);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_relay_publishes_committed_outbox_rows_once_and_never_rolled_back_ones(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider);
        await using var services = Harness(database, _ => { });
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var committed = new CourseWaitlisted(Guid.NewGuid(), "committed", DateTimeOffset.UtcNow);
        var rolledBack = new CourseWaitlisted(Guid.NewGuid(), "rolled back", DateTimeOffset.UtcNow);
        await using (var connection = await database.OpenAsync())
        {
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await Outbox.AddAsync(connection, transaction, committed, SystemClock.Instance.GetCurrentInstant());
                await transaction.CommitAsync();
            }
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await Outbox.AddAsync(connection, transaction, rolledBack, SystemClock.Instance.GetCurrentInstant());
                await transaction.RollbackAsync();
            }
        }
        var relay = new OutboxRelay<NotesDatabase>(database, harness.Bus, SystemClock.Instance, NullLogger<OutboxRelay<NotesDatabase>>.Instance);

        var firstPass = await relay.RelayBatchAsync(CancellationToken.None);
        var secondPass = await relay.RelayBatchAsync(CancellationToken.None);

        Assert.Equal(1, firstPass);
        Assert.Equal(0, secondPass);
        Assert.True(await harness.Published.Any<CourseWaitlisted>());
        var published = harness.Published.Select<CourseWaitlisted>().ToList();
        Assert.Equal(committed, published.Single().Context.Message);
        Assert.False(await harness.Published.Any<CourseWaitlisted>(m => m.Context.Message.Reason == "rolled back"));
        await using var check = await database.OpenAsync();
        var row = await check.QuerySingleAsync<(string Id, long? SentAt)>("select id, sent_at from outbox");
        Assert.NotNull(row.SentAt);
        // The outbox row id is the MessageId, so consumers' inboxes drop a re-publish of the same row.
        Assert.Equal(Guid.Parse(row.Id), published.Single().Context.MessageId);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_row_left_in_the_outbox_from_before_a_restart_reaches_its_consumer_on_the_in_memory_bus(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider);
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Outbox.AddAsync(connection, transaction, new CourseWaitlisted(Guid.NewGuid(), "left from before", DateTimeOffset.UtcNow),
                SystemClock.Instance.GetCurrentInstant());
            await transaction.CommitAsync();
        }
        // A service as the development host runs it: the relay and the consumers in one process, on the in-memory bus.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(database).AddSingleton<IClock>(SystemClock.Instance).AddSingleton<Deliveries>();
        builder.Services.AddServiceMessaging<NotesDatabase>();
        builder.Services.AddHostedService<SlowToStart>();   // another service's migrations, say, before the bus starts
        builder.Services.AddDitBus(builder.Configuration, [typeof(NoteTaker).Assembly]);
        using var host = builder.Build();

        await host.StartAsync();
        try
        {
            var deliveries = host.Services.GetRequiredService<Deliveries>();
            await Waiting.ForAsync(() => Task.FromResult(deliveries.Count), n => n >= 1, TimeSpan.FromSeconds(10));
            await using var connection = await database.OpenAsync();
            Assert.Equal(["left from before"], await connection.QueryAsync<string>("select body from notes"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Sent_outbox_rows_and_inbox_rows_older_than_the_retention_are_deleted_and_unsent_ones_never(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider);
        var now = Instant.FromUtc(2031, 5, 20, 12, 0);
        long DaysAgo(int days) => (now - Duration.FromDays(days)).ToUnixTimeMilliseconds();
        await using (var connection = await database.OpenAsync())
        {
            foreach (var (id, created, sent) in new (string, long, long?)[]
                     { ("sent-8-days-ago", DaysAgo(9), DaysAgo(8)), ("sent-6-days-ago", DaysAgo(9), DaysAgo(6)), ("never-sent", DaysAgo(30), null) })
                await connection.ExecuteAsync("insert into outbox (id, message_type, body, created_at, sent_at) values (@id, 'T', '{}', @created, @sent)",
                    new { id, created, sent });
            foreach (var (id, at) in new[] { ("seen-8-days-ago", DaysAgo(8)), ("seen-1-day-ago", DaysAgo(1)) })
                await connection.ExecuteAsync("insert into inbox (message_id, consumer, processed_at) values (@id, 'NoteTaker', @at)", new { id, at });
        }
        var sweeper = new RetentionSweeper<NotesDatabase>(database, new Dit.Testing.SettableClock(now),
            Microsoft.Extensions.Options.Options.Create(new RetentionSettings()),
            Microsoft.Extensions.Options.Options.Create(new Dit.Platform.Audit.AuditSettings()), NullLogger<RetentionSweeper<NotesDatabase>>.Instance);

        Assert.Equal((1, 1), await sweeper.SweepAsync(CancellationToken.None));

        await using var check = await database.OpenAsync();
        Assert.Equal(["never-sent", "sent-6-days-ago"], await check.QueryAsync<string>("select id from outbox order by id"));
        Assert.Equal(["seen-1-day-ago"], await check.QueryAsync<string>("select message_id from inbox"));
    }

    [Fact]
    public async Task The_relay_holds_no_transaction_while_the_broker_takes_a_batch_and_a_claim_left_by_a_stopped_relay_runs_out()
    {
        var database = await NotesDatabase.CreateAsync("postgres");
        await using var services = Harness(database, _ => { });
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var clock = new Dit.Testing.SettableClock(Instant.FromUtc(2031, 5, 20, 12, 0));
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Outbox.AddAsync(connection, transaction, new CourseWaitlisted(Guid.NewGuid(), "claimed", DateTimeOffset.UtcNow), clock.GetCurrentInstant());
            await transaction.CommitAsync();
        }
        // The broker taking its time: every publish waits until the test lets it go.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stall = harness.Bus.ConnectPublishObserver(new StallingObserver(held, release.Task));
        var first = new OutboxRelay<NotesDatabase>(database, harness.Bus, clock, NullLogger<OutboxRelay<NotesDatabase>>.Instance);
        var second = new OutboxRelay<NotesDatabase>(database, harness.Bus, clock, NullLogger<OutboxRelay<NotesDatabase>>.Instance);

        var stalled = first.RelayBatchAsync(CancellationToken.None);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var openTransactions = await OpenTransactionsAsync(database);
        var whileClaimed = await second.RelayBatchAsync(CancellationToken.None);   // the claim holds the row: nothing to do
        clock.Advance(Duration.FromTimeSpan(OutboxRelay<NotesDatabase>.ClaimLease) + Duration.FromSeconds(1));
        stall.Dispose();
        var afterTheLease = await second.RelayBatchAsync(CancellationToken.None);   // the first relay counts as stopped
        release.SetResult();
        await stalled;

        Assert.Equal(0, openTransactions);
        Assert.Equal(0, whileClaimed);
        Assert.Equal(1, afterTheLease);
        await using var check = await database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("select count(*) from outbox where sent_at is null"));
    }

    /// <summary>Connections to the test's database sitting in an open transaction (PostgreSQL's own view).</summary>
    private static async Task<long> OpenTransactionsAsync(NotesDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select count(*) from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and pid <> pg_backend_pid()");
    }

    private sealed class StallingObserver(TaskCompletionSource held, Task release) : IPublishObserver
    {
        public async Task PrePublish<T>(PublishContext<T> context) where T : class
        {
            held.TrySetResult();
            await release;
        }

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    private sealed class SlowToStart : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static ServiceProvider Harness(NotesDatabase database, Action<IBusRegistrationConfigurator> consumers) =>
        new ServiceCollection()
            .AddSingleton(database)
            .AddSingleton<IClock>(SystemClock.Instance)
            .AddSingleton<Deliveries>()
            .AddMassTransitTestHarness(consumers)
            .BuildServiceProvider(true);

    public sealed class Deliveries
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public void Add() => Interlocked.Increment(ref _count);
    }

    public sealed class NoteTaker(NotesDatabase database, Deliveries deliveries) : IConsumer<CourseWaitlisted>
    {
        public async Task Consume(ConsumeContext<CourseWaitlisted> context)
        {
            await database.ConsumeOnceAsync(context, nameof(NoteTaker), SystemClock.Instance, (connection, transaction) =>
                connection.ExecuteAsync("insert into notes (id, body) values (@id, @body)",
                    new { id = Guid.NewGuid().ToString(), body = context.Message.Reason }, transaction));
            deliveries.Add();
        }
    }
}
