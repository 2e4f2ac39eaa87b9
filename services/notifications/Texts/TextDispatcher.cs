using System.Text.Json;
using Dit.Notifications.Messages;
using Dit.Notifications.Reminders;

namespace Dit.Notifications.Texts;

/// <summary>
/// Sends queued texts (<see cref="TextQueue"/>) through Notify and marks each sent. A text is claimed by moving its next
/// attempt a lease ahead, in a transaction that ends before Notify is called; a process that stops mid-send leaves it to be
/// tried again when the lease runs out, with the same reference. Notify busy or down (429, 5xx, no answer) is tried again
/// with a growing delay, up to five minutes, while other patients' texts go on; a text Notify refuses for good (400: not a
/// UK mobile) is undeliverable at once — in the message log, and scheduling is told, for the coordinators' list.
/// </summary>
public sealed class TextDispatcher(NotificationsDatabase database, TextSender sender, IClock clock, ILogger<TextDispatcher> logger) : BackgroundService
{
    private const string Due = "sent_at is null and undeliverable_at is null and next_attempt_at <= @now";
    private static readonly Duration Lease = Duration.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SendDueAsync(stoppingToken) > 0) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Text dispatch failed; retrying");
            }
            try { await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <returns>How many due texts this call attempted (at most 20).</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var attempted = 0;
        for (; attempted < 20; attempted++)
        {
            if (await ClaimAsync(cancellationToken) is not { } row) break;
            await SendAsync(row, cancellationToken);
        }
        return attempted;
    }

    private async Task<QueuedText?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await using (var peek = await database.OpenAsync(cancellationToken))
            if (await peek.ExecuteScalarAsync<long>($"select count(*) from outgoing_texts where {Due}", new { now = now.ToUnixTimeMilliseconds() }) == 0)
                return null;
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<QueuedText>(
                $"""
                select id as Id, referral_id as ReferralId, kind as Kind, to_number as ToNumber, personalisation as Personalisation,
                       body as Body, attempts as Attempts
                from outgoing_texts where {Due} order by next_attempt_at, id limit 1{database.Dialect.ClaimRowsSuffix}
                """, new { now = now.ToUnixTimeMilliseconds() }, transaction);
            if (row is not null)
                await connection.ExecuteAsync("update outgoing_texts set next_attempt_at = @lease where id = @Id",
                    new { row.Id, lease = (now + Lease).ToUnixTimeMilliseconds() }, transaction);
            return row;
        }, cancellationToken, urgent: false);
    }

    private async Task SendAsync(QueuedText row, CancellationToken cancellationToken)
    {
        var message = new TextMessage(row.Kind, JsonSerializer.Deserialize<Dictionary<string, string>>(row.Personalisation)!, row.Body);
        Exception? failure = null;
        try
        {
            await sender.SendAsync(row.ReferralId, row.ToNumber, message, row.Id, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failure = exception;
        }
        // Recorded even while stopping: a text that went is marked sent rather than sent again after its lease.
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            var at = now.ToUnixTimeMilliseconds();
            if (failure is null)
            {
                await connection.ExecuteAsync("update outgoing_texts set sent_at = @at, attempts = attempts + 1 where id = @Id", new { row.Id, at }, transaction);
                await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "sms", row.ToNumber, "sent", now);
            }
            else if (failure is UndeliverableException)
            {
                await connection.ExecuteAsync(
                    "update outgoing_texts set undeliverable_at = @at, attempts = attempts + 1, last_error = @error where id = @Id",
                    new { row.Id, at, error = failure.Message }, transaction);
                await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "sms", row.ToNumber, $"undeliverable: {failure.Message}", now);
                await Outbox.AddAsync(connection, transaction,
                    new MailUndeliverable(Guid.Parse(row.ReferralId), row.Kind, failure.Message, 1, now.ToDateTimeOffset(), "sms"), now);
            }
            else
            {
                var delay = Duration.FromSeconds(Math.Min(300, Math.Pow(2, row.Attempts)));
                logger.LogWarning("{Kind} text {TextId} for referral {ReferralId} was not sent (attempt {Attempt}), next try in {Delay}: {Error}",
                    row.Kind, row.Id, row.ReferralId, row.Attempts + 1, delay, failure.Message);
                await connection.ExecuteAsync(
                    "update outgoing_texts set attempts = attempts + 1, last_error = @error, next_attempt_at = @next where id = @Id",
                    new { row.Id, error = failure.Message, next = (now + delay).ToUnixTimeMilliseconds() }, transaction);
                await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "sms", row.ToNumber,
                    $"failed (attempt {row.Attempts + 1}, will retry): {failure.Message}", now);
            }
            return true;
        }, CancellationToken.None, urgent: false);
    }

    private sealed record QueuedText(string Id, string ReferralId, string Kind, string ToNumber, string Personalisation, string Body, long Attempts);
}
