using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dit.Platform.Messaging;

/// <summary>
/// Tells a failure that will go away (the database or broker busy, down or restarting; a race lost) from one that will not
/// (bad data, a bug). Only the first kind is tried again; the second goes to the consumer's error queue at once, so one
/// bad message never holds a lane that other people's messages wait in (issue 20).
/// </summary>
public static class Faults
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        TransientFaultException or TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        // A wait given up on (a timeout), or a stop: never the message's fault. RedeliverLater hands nothing back once the
        // consumer itself is being cancelled; the broker then delivers the message again.
        OperationCanceledException => true,
        Polly.ExecutionRejectedException => true,
        // Npgsql marks connection loss, shutdown, serialization failures and deadlocks transient; a unique violation is a
        // race another writer won, which a second look settles.
        PostgresException postgres => postgres.IsTransient || postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        NpgsqlException npgsql => npgsql.IsTransient,
        // SQLITE_BUSY, SQLITE_LOCKED, and a constraint (a unique key another writer took first).
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 19,
        DbException db => db.IsTransient,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>What a person is shown of a failure: its kind and message, one line, bounded.</summary>
    public static string Describe(Exception exception)
    {
        var text = $"{exception.GetType().Name}: {exception.Message}".ReplaceLineEndings(" ");
        return text.Length <= 300 ? text : text[..297] + "...";
    }
}
