using Dit.Notifications.Messages;

namespace Dit.Notifications.Mail;

/// <summary>
/// Sends queued mail and marks it sent. A failed send is tried again later with a growing delay, so mail queued while
/// SMTP is down goes out when it comes back; a mail the server refuses for good (5xx) is tried a set number of times,
/// then marked undeliverable.
/// </summary>
public sealed class MailDispatcher(NotificationsDatabase database, MailSender sender, MailOptions options, IClock clock, ILogger<MailDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>A mail to send now: not sent, not given up on, its next attempt (or the lease of its claim) come.</summary>
    private const string Due = "sent_at is null and undeliverable_at is null and next_attempt_at <= @now";
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
        // A cheap read first: an idle sender opens no transaction (four of them poll four times a second).
        await using (var connection = await database.OpenAsync(cancellationToken))
            if (await connection.ExecuteScalarAsync<long>(
                    $"select count(*) from outgoing_mail where {Due}",
                    new { now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() }) == 0)
                return 0;
        var attempted = 0;
        for (; attempted < BatchSize; attempted++)
        {
            if (await ClaimAsync(cancellationToken) is not { } row) break;
            await SendAsync(row, cancellationToken);
        }
        return attempted;
    }

    /// <summary>
    /// Takes the next due mail and moves its next attempt a lease ahead, in a transaction of its own that ends before
    /// the SMTP conversation starts: nothing is held open across the network. A process that stops mid-send leaves
    /// the mail to be tried again when the lease runs out.
    /// </summary>
    private async Task<QueuedMail?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        using var gate = await database.WriteGateAsync(false, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<QueuedMail>(
            $"""
            select id as Id, referral_id as ReferralId, kind as Kind, to_address as ToAddress, subject as Subject,
                   text_body as TextBody, html_body as HtmlBody, calendar as Calendar, calendar_method as CalendarMethod,
                   attempts as Attempts, rejections as Rejections, trace_parent as TraceParent
            from outgoing_mail where {Due}
            order by next_attempt_at, id limit 1{database.Dialect.ClaimRowsSuffix}
            """, new { now = now.ToUnixTimeMilliseconds() }, transaction);
        if (row is null) return null;
        await connection.ExecuteAsync("update outgoing_mail set next_attempt_at = @lease where id = @id",
            new { id = row.Id, lease = (now + Duration.FromSeconds(options.ClaimSeconds)).ToUnixTimeMilliseconds() }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return row;
    }

    private async Task SendAsync(QueuedMail row, CancellationToken cancellationToken)
    {
        using var span = Telemetry.Continue($"send {row.Kind} mail", row.TraceParent, System.Diagnostics.ActivityKind.Client);
        Exception? failure = null;
        try
        {
            await sender.SendAsync(new CalendarMail(row.ReferralId, row.Kind, row.ToAddress, row.Subject, row.TextBody,
                row.HtmlBody, row.Calendar, row.CalendarMethod), row.Id, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping mid-send: the mail is released for the next process rather than left to its lease.
            await using var release = await database.OpenAsync(CancellationToken.None);
            await release.ExecuteAsync("update outgoing_mail set next_attempt_at = @now where id = @id and sent_at is null",
                new { id = row.Id, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() });
            throw;
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        // Recorded even while stopping: a mail that went is marked sent rather than sent again after its lease.
        var now = clock.GetCurrentInstant();
        using var gate = await database.WriteGateAsync(false, CancellationToken.None);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        if (failure is null)
        {
            await connection.ExecuteAsync("update outgoing_mail set sent_at = @now, attempts = attempts + 1 where id = @id",
                new { id = row.Id, now = now.ToUnixTimeMilliseconds() }, transaction);
            logger.LogInformation("Sent {Kind} mail {MailId} for referral {ReferralId}", row.Kind, row.Id, row.ReferralId);
            await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "email", row.ToAddress, "sent", now);
        }
        else if (MailSender.CannotBuild(failure) is var unbuildable && (unbuildable || MailSender.IsPermanentRejection(failure)))
            await RecordRejectionAsync(connection, transaction, row, MessageLog.MaskAddresses(MailSender.Describe(failure)), now, atOnce: unbuildable);
        else
        {
            Telemetry.MailFailed.Add(1, new KeyValuePair<string, object?>("outcome", "retry"));
            var error = MessageLog.MaskAddresses(MailSender.Describe(failure));
            var delay = Backoff(row);
            await connection.ExecuteAsync(
                "update outgoing_mail set attempts = attempts + 1, last_error = @error, next_attempt_at = @next where id = @id",
                new { id = row.Id, error, next = (now + delay).ToUnixTimeMilliseconds() }, transaction);
            logger.LogWarning("Sending {Kind} mail {MailId} failed (attempt {Attempt}): {Error}; next try in {Delay}",
                row.Kind, row.Id, row.Attempts + 1, error, delay);
            await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "email", row.ToAddress,
                $"failed (attempt {row.Attempts + 1}, will retry): {error}", now);
        }
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>
    /// The server refused this mail for good (5xx). Asked again later, in case the cause is put right; after the configured
    /// number of refusals the mail is undeliverable: no more tries, and scheduling is told, for the coordinators to see.
    /// A mail the libraries cannot build (<paramref name="atOnce"/>) will never go: it is undeliverable at the first try.
    /// </summary>
    private async Task RecordRejectionAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        QueuedMail row, string error, Instant now, bool atOnce)
    {
        var rejections = row.Rejections + 1;
        var outcome = rejections < options.RejectionsBeforeUndeliverable && !atOnce ? "rejected" : "undeliverable";
        Telemetry.MailFailed.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "rejected")
        {
            var delay = Backoff(row);
            await connection.ExecuteAsync(
                "update outgoing_mail set attempts = attempts + 1, rejections = @rejections, last_error = @error, next_attempt_at = @next where id = @id",
                new { id = row.Id, rejections, error, next = (now + delay).ToUnixTimeMilliseconds() }, transaction);
            logger.LogWarning("{Kind} mail {MailId} rejected ({Rejections} of {Limit}): {Error}; next try in {Delay}",
                row.Kind, row.Id, rejections, options.RejectionsBeforeUndeliverable, error, delay);
            await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "email", row.ToAddress,
                $"rejected ({rejections} of {options.RejectionsBeforeUndeliverable}, will retry): {error}", now);
            return;
        }
        await connection.ExecuteAsync(
            "update outgoing_mail set attempts = attempts + 1, rejections = @rejections, last_error = @error, undeliverable_at = @now where id = @id",
            new { id = row.Id, rejections, error, now = now.ToUnixTimeMilliseconds() }, transaction);
        logger.LogWarning("{Kind} mail {MailId} for referral {ReferralId} is undeliverable after {Rejections} rejections: {Error}",
            row.Kind, row.Id, row.ReferralId, rejections, error);
        await MessageLog.RecordAsync(connection, transaction, row.ReferralId, row.Kind, "email", row.ToAddress,
            atOnce ? $"undeliverable: {error}" : $"undeliverable after {rejections} rejections: {error}", now);
        await Outbox.AddAsync(connection, transaction,
            new Contracts.MailUndeliverable(Guid.Parse(row.ReferralId), row.Kind, error, (int)rejections, now.ToDateTimeOffset()), now);
    }

    /// <summary>The wait before the next try, doubling with each attempt up to five minutes.</summary>
    private static Duration Backoff(QueuedMail row) => Duration.FromSeconds(Math.Min(300, Math.Pow(2, row.Attempts)));

    private sealed record QueuedMail(string Id, string ReferralId, string Kind, string ToAddress, string Subject, string TextBody,
        string HtmlBody, string Calendar, string CalendarMethod, long Attempts, long Rejections, string? TraceParent);
}
