using System.Collections.Concurrent;
using Dit.Contracts;
using Dit.Platform.Messaging;
using MassTransit;

// The notes service's own consumers: their queues are dit-notes-…, so RedeliverLater finds the notes database by them.
namespace Dit.Notes;

/// <summary>What <see cref="NotesMailConsumer"/> saw: every attempt at each kind of message, and when each was done.</summary>
public sealed class AttemptLog
{
    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    public ConcurrentDictionary<string, (DateTime At, Guid? MessageId, int Redelivery)> Done { get; } = new();

    public ConcurrentDictionary<string, DateTime> Faulted { get; } = new();
}

/// <summary>
/// Fails "flaky" mail for a transient reason its first five attempts (one delivery's four, and one more), fails
/// "broken" mail with a bug every time, and takes anything else at once.
/// </summary>
public sealed class NotesMailConsumer(AttemptLog log) : IConsumer<MailUndeliverable>
{
    public Task Consume(ConsumeContext<MailUndeliverable> context)
    {
        var kind = context.Message.Kind;
        var attempt = log.Attempts.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (kind == "broken") throw new InvalidOperationException("A bug: no retry can help.");
        if (kind == "flaky" && attempt <= 5) throw new TimeoutException("The database is busy.");
        log.Done[kind] = (DateTime.UtcNow, context.MessageId, context.Headers.Get<int>(RedeliverLater.Header) ?? 0);
        return Task.CompletedTask;
    }
}

/// <summary>The bus's word that a message went to its error queue.</summary>
public sealed class NotesMailFaults(AttemptLog log) : IConsumer<Fault<MailUndeliverable>>
{
    public Task Consume(ConsumeContext<Fault<MailUndeliverable>> context)
    {
        log.Faulted[context.Message.Message.Kind] = DateTime.UtcNow;
        return Task.CompletedTask;
    }
}
