using Dapper;
using Dit.Notifications.Messages;
using NodaTime;

namespace Dit.Notifications.Mail;

/// <summary>
/// Sends queued mail and marks it sent. A failed send is tried again later with a growing delay,
/// so mail queued while SMTP is down goes out when it comes back.
/// </summary>
public sealed class MailDispatcher(NotificationsDatabase database, MailSender sender, MailOptions options, IClock clock, ILogger<MailDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private const int BatchSize = 20;

    /// <summary>
    /// Several senders at once on PostgreSQL, each claiming its mail with <c>skip locked</c>: most of a send is
    /// waiting for the SMTP server. SQLite has one writer, so one sender.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, database.Dialect is Platform.Data.SqliteDialect ? 1 : options.Senders)
            .Select(_ => SendLoopAsync(stoppingToken)));

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SendDueAsync(stoppingToken) == BatchSize) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Mail dispatch failed; retrying");
            }
            try { await Task.Delay(PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <returns>How many due mails this call attempted.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await database.OpenAsync(cancellationToken);
        var due = await connection.ExecuteScalarAsync<long>(
            "select count(*) from outgoing_mail where sent_at is null and next_attempt_at <= @now",
            new { now = now.ToUnixTimeMilliseconds() });
        if (due == 0) return 0;

        // One mail per transaction: a crash can resend at most the one mail it was sending.
        var attempted = 0;
        for (; attempted < BatchSize; attempted++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<QueuedMail>(
                $"""
                select id as Id, referral_id as ReferralId, kind as Kind, to_address as ToAddress, subject as Subject,
                       text_body as TextBody, html_body as HtmlBody, calendar as Calendar, calendar_method as CalendarMethod,
                       attempts as Attempts
                from outgoing_mail where sent_at is null and next_attempt_at <= @now
                order by next_attempt_at, id limit 1{database.Dialect.ClaimRowsSuffix}
                """, new { now = now.ToUnixTimeMilliseconds() }, transaction);
            if (row is null) break;
            await SendAsync(connection, transaction, row, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return attempted;
    }

    private async Task SendAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, QueuedMail row,
        CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(new CalendarMail(row.ReferralId, row.Kind, row.ToAddress, row.Subject, row.TextBody,
                row.HtmlBody, row.Calendar, row.CalendarMethod), row.Id, cancellationToken);
            await connection.ExecuteAsync("update outgoing_mail set sent_at = @now, attempts = attempts + 1 where id = @id",
                new { id = row.Id, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() }, transaction);
            logger.LogInformation("Sent {Kind} mail {MailId} for referral {ReferralId}", row.Kind, row.Id, row.ReferralId);
            await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "email", row.ToAddress, "sent", clock.GetCurrentInstant());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var delay = Duration.FromSeconds(Math.Min(300, Math.Pow(2, row.Attempts)));
            await connection.ExecuteAsync(
                "update outgoing_mail set attempts = attempts + 1, last_error = @error, next_attempt_at = @next where id = @id",
                new { id = row.Id, error = exception.Message, next = (clock.GetCurrentInstant() + delay).ToUnixTimeMilliseconds() },
                transaction);
            logger.LogWarning("Sending {Kind} mail {MailId} failed (attempt {Attempt}): {Error}; next try in {Delay}",
                row.Kind, row.Id, row.Attempts + 1, exception.Message, delay);
            await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "email", row.ToAddress,
                $"failed (attempt {row.Attempts + 1}, will retry): {exception.Message}", clock.GetCurrentInstant());
        }
    }

    private sealed record QueuedMail(string Id, string ReferralId, string Kind, string ToAddress, string Subject, string TextBody,
        string HtmlBody, string Calendar, string CalendarMethod, long Attempts);
}
