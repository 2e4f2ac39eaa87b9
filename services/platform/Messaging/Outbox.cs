using System.Data.Common;
using System.Text.Json;
using Dapper;
using NodaTime;

namespace Dit.Platform.Messaging;

/// <summary>
/// Writes a message to the service's <c>outbox</c> table inside the caller's transaction, so the
/// message exists if and only if the state change it announces was committed.
/// The <see cref="OutboxRelay{TDatabase}"/> publishes it afterwards.
/// </summary>
public static class Outbox
{
    public static Task AddAsync<T>(DbConnection connection, DbTransaction transaction, T message, Instant now) where T : class =>
        InsertAsync(connection, transaction, message, now, null);

    /// <summary>
    /// Hands a consumed message back to its queue (<paramref name="queue"/>) at <paramref name="due"/>, with its own
    /// MessageId, in its own transaction: the relay sends it then (<see cref="RedeliverLater{T}"/>).
    /// </summary>
    public static async Task AddRedeliveryAsync<T>(Data.ServiceDatabase database, string queue, T message, Guid messageId, int redelivery,
        Instant due, Instant now) where T : class
    {
        using var gate = await database.WriteGateAsync(false, CancellationToken.None);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await InsertAsync(connection, null, message, now, new Redelivery(queue, messageId.ToString(), redelivery, due.ToUnixTimeMilliseconds()));
    }

    private sealed record Redelivery(string Queue, string MessageId, int Number, long Due);

    private static Task InsertAsync<T>(DbConnection connection, DbTransaction? transaction, T message, Instant now, Redelivery? redelivery)
        where T : class =>
        connection.ExecuteAsync(
            """
            insert into outbox (id, message_type, body, created_at, trace_parent, destination, message_id, redelivery, not_before)
            values (@id, @type, @body, @now, @trace, @queue, @messageId, @number, @due)
            """,
            new
            {
                id = Guid.NewGuid().ToString(),
                type = typeof(T).FullName,
                body = JsonSerializer.Serialize(message, MessageJson.Options),
                now = now.ToUnixTimeMilliseconds(),
                trace = Telemetry.CurrentTraceParent,
                queue = redelivery?.Queue,
                messageId = redelivery?.MessageId,
                number = redelivery?.Number,
                due = redelivery?.Due,
            },
            transaction);
}
