using System.Diagnostics;
using Dapper;
using Dit.Platform.Data;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using System.Text.Json;

namespace Dit.Platform.Messaging;

/// <summary>
/// Publishes committed outbox rows through MassTransit and marks them sent. The outbox row id is the
/// MessageId, so a row published twice (a crash between publish and mark) is dropped by the
/// consumers' inbox. Several processes may relay one database: a batch is claimed (PostgreSQL rows taken with
/// <c>for update skip locked</c>) by moving its <c>claimed_until</c> a lease ahead, in a transaction that ends before
/// the broker is asked; the rows are marked sent in another. Starts relaying only once the host has started, and with it the bus
/// (<c>WaitUntilStarted</c>): on the in-memory bus a message published before the consumers' endpoints are bound is
/// accepted and lost — rows left from before a restart, or the coordinator keys sent at start, were.
/// </summary>
public sealed class OutboxRelay<TDatabase>(TDatabase database, IBus bus, IClock clock, ILogger<OutboxRelay<TDatabase>> logger,
    IHostApplicationLifetime? lifetime = null)
    : BackgroundService where TDatabase : ServiceDatabase
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private const int BatchSize = 100;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How far back the development host publishes again at start what the in-memory bus may have lost.</summary>
    public static readonly TimeSpan InMemoryReplay = TimeSpan.FromHours(1);

    /// <summary>How long a claimed batch is left to its relay: twice the publish timeout, so only a relay that stopped loses it.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (lifetime is not null)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                try { await started.Task.WaitAsync(stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
        if (bus.Address.Scheme == "loopback")
        {
            try { await ReplayRecentAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RelayBatchAsync(stoppingToken) == BatchSize) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "{Service} outbox relay failed; retrying", database.Service);
            }
            try { await Task.Delay(PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// On the in-memory bus (the development host) a message published but not yet consumed lives only in the process:
    /// a process that was killed took it along. At start, everything sent in the last <see cref="InMemoryReplay"/> is
    /// published again; the receivers' inboxes drop what they had already taken (same MessageId).
    /// </summary>
    private async Task ReplayRecentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var since = (clock.GetCurrentInstant() - Duration.FromTimeSpan(InMemoryReplay)).ToUnixTimeMilliseconds();
        var replayed = await connection.ExecuteAsync(
            "update outbox set sent_at = null, claimed_until = null where sent_at >= @since", new { since });
        if (replayed > 0)
            logger.LogInformation("{Service} outbox: {Count} messages sent in the last {Minutes} minutes published again (in-memory bus)",
                database.Service, replayed, InMemoryReplay.TotalMinutes);
    }

    /// <returns>How many messages this call published.</returns>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A cheap read first, so an idle relay never takes SQLite's write lock; it also tells the metrics how long the
        // oldest message has waited.
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        var oldest = await connection.ExecuteScalarAsync<long?>(
            "select min(created_at) from outbox where sent_at is null and (not_before is null or not_before <= @now)", new { now });
        Telemetry.RecordOutboxAge(database.Service, oldest is null ? TimeSpan.Zero
            : (clock.GetCurrentInstant() - Instant.FromUnixTimeMilliseconds(oldest.Value)).ToTimeSpan());
        if (oldest is null) return 0;

        var rows = await ClaimAsync(connection, cancellationToken);
        if (rows.Count == 0) return 0;
        // The whole batch in flight at once: each publish waits for the broker's confirm, and one at a
        // time that wait is the relay's throughput. Consumers never rely on the order of messages.
        // A publish caught by a broker restart can wait for a confirm that never comes: give up on the batch
        // after PublishTimeout, release the claim, and publish it again (receivers drop what they already had).
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PublishTimeout);
            await Task.WhenAll(rows.Select(async row =>
            {
                var type = MessageJson.ResolveContract(row.MessageType);
                var message = JsonSerializer.Deserialize(row.Body, type, MessageJson.Options)!;
                using var span = Telemetry.Continue($"outbox publish {type.Name}", row.TraceParent, ActivityKind.Producer);
                if (row.Destination is null)
                {
                    await bus.Publish(message, type, context => context.MessageId = Guid.Parse(row.Id), timeout.Token);
                    return;
                }
                // A redelivery goes back to the one queue whose consumer failed, as the same message (same MessageId).
                var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{row.Destination}"));
                await endpoint.Send(message, type, context =>
                {
                    context.MessageId = Guid.Parse(row.MessageId!);
                    context.Headers.Set(RedeliverLater.Header, row.Redelivery);
                }, timeout.Token);
            })).WaitAsync(PublishTimeout, cancellationToken);
        }
        catch (Exception)
        {
            // Given up, or stopping: released for the next round (or another relay) rather than left to its lease.
            await connection.ExecuteAsync("update outbox set claimed_until = null where id = @Id and sent_at is null", rows.Select(r => new { r.Id }));
            throw;
        }
        now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        using (await database.WriteGateAsync(false, CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
        {
            // The claim goes with the mark: a row set unsent again by hand (a replay) is published at once.
            await connection.ExecuteAsync("update outbox set sent_at = @now, claimed_until = null where id = @Id", rows.Select(r => new { r.Id, now }), transaction);
            await transaction.CommitAsync(CancellationToken.None);
        }
        foreach (var row in rows) Telemetry.CountPublished(row.MessageType);
        return rows.Count;
    }

    /// <summary>
    /// Takes up to a batch of unsent rows that no live claim holds, and claims them for <see cref="ClaimLease"/>, in a
    /// transaction that ends before anything is published: nothing is held open while the broker is asked.
    /// </summary>
    private async Task<List<OutboxRow>> ClaimAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        using var gate = await database.WriteGateAsync(false, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(
            $"""
            select id as Id, message_type as MessageType, body as Body, trace_parent as TraceParent,
                   destination as Destination, message_id as MessageId, redelivery as Redelivery from outbox
            where sent_at is null and (claimed_until is null or claimed_until <= @now) and (not_before is null or not_before <= @now)
            order by created_at, id limit {BatchSize}{database.Dialect.ClaimRowsSuffix}
            """, new { now = now.ToUnixTimeMilliseconds() }, transaction)).ToList();
        var lease = (now + Duration.FromTimeSpan(ClaimLease)).ToUnixTimeMilliseconds();
        await connection.ExecuteAsync("update outbox set claimed_until = @lease where id = @Id", rows.Select(r => new { r.Id, lease }), transaction);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    private sealed record OutboxRow(string Id, string MessageType, string Body, string? TraceParent, string? Destination, string? MessageId, long? Redelivery);
}
