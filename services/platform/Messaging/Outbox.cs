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
    public static async Task AddAsync<T>(DbConnection connection, DbTransaction transaction, T message, Instant now)
        where T : class
    {
        await connection.ExecuteAsync(
            "insert into outbox (id, message_type, body, created_at, trace_parent) values (@id, @type, @body, @now, @trace)",
            new
            {
                id = Guid.NewGuid().ToString(),
                type = typeof(T).FullName,
                body = JsonSerializer.Serialize(message, MessageJson.Options),
                now = now.ToUnixTimeMilliseconds(),
                trace = Telemetry.CurrentTraceParent,
            },
            transaction);
    }
}

public static class MessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Every message type lives in Dit.Contracts; the outbox stores its full name.</summary>
    public static Type ResolveContract(string fullName) =>
        typeof(Dit.Contracts.SubmitReferral).Assembly.GetType(fullName, throwOnError: true)!;
}
