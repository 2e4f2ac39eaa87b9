using System.Data.Common;
using Dapper;
using Dit.Platform.Data;
using MassTransit;
using NodaTime;

namespace Dit.Platform.Messaging;

/// <summary>
/// Makes a consumer idempotent: the message id and consumer name are recorded in the same
/// transaction as the consumer's own changes, so a redelivered message finds its row and does nothing.
/// </summary>
public static class Inbox
{
    /// <summary>
    /// Opens a transaction, claims the message for <paramref name="consumer"/> and runs
    /// <paramref name="work"/>; commits both together. Returns false when the message was already handled.
    /// </summary>
    public static async Task<bool> ConsumeOnceAsync<T>(this ServiceDatabase database, ConsumeContext<T> context,
        string consumer, IClock clock, Func<DbConnection, DbTransaction, Task> work) where T : class
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message without a MessageId cannot be deduplicated.");
        using var gate = await database.WriteGateAsync(false, context.CancellationToken);
        await using var connection = await database.OpenAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        var claimed = await connection.ExecuteAsync(
            """
            insert into inbox (message_id, consumer, processed_at) values (@messageId, @consumer, @now)
            on conflict do nothing
            """,
            new { messageId = messageId.ToString(), consumer, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() },
            transaction);
        if (claimed == 0) return false;
        await work(connection, transaction);
        await transaction.CommitAsync(context.CancellationToken);
        return true;
    }
}
