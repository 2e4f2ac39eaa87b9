using Dit.Notifications.Contacts;
using Microsoft.Extensions.Options;
using Dit.Notifications.Messages;
using Dit.Notifications.Invites;

namespace Dit.Notifications.Reminders;

/// <summary>
/// Sends due reminders, each exactly once. A reminder is claimed (status <c>sending</c> and the time, committed) before it
/// is sent and marked <c>sent</c> after; a claim older than <c>Notifications:Reminders:ClaimSeconds</c> (default 300) was
/// left by a process that stopped mid-send and is tried again, with the same Message-ID (the reminder's id), so a mail that
/// had gone arrives as the same message, not a second one. A reminder that fails to go (SMTP down, Notify busy) is tried
/// again on later polls; one that can never go as addressed (Notify: not a UK mobile) is marked <c>undeliverable</c>
/// and shows in the message log; one whose session has begun is dropped, never sent. Pending reminders live in the database, so a restart
/// loses none.
/// </summary>
public sealed class ReminderDispatcher(NotificationsDatabase database, IEnumerable<IReminderChannel> channels, IClock clock,
    IOptions<ReminderOptions> options, PatientLinks links, ILogger<ReminderDispatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, IReminderChannel> _channels = channels.ToDictionary(c => c.Name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Reminder dispatch failed; retrying");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <returns>How many reminders this call sent.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        var abandoned = (clock.GetCurrentInstant() - Duration.FromSeconds(options.Value.ClaimSeconds)).ToUnixTimeMilliseconds();
        const string claimable = "(status = 'pending' or (status = 'sending' and claimed_at <= @abandoned))";
        List<DueReminder> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
            due = (await connection.QueryAsync<DueReminder>(
                $"""
                select id as Id, course_id as CourseId, referral_id as ReferralId, session_number as SessionNumber, channel as Channel, session_start as SessionStart
                from reminders where due_at <= @now and {claimable} order by due_at, id limit 100
                """, new { now, abandoned })).ToList();

        var sent = 0;
        foreach (var reminder in due)
        {
            var (claimed, patient, link, sessions, joinUrl, stopLink) = await database.InTransactionAsync(async (connection, transaction) =>
            {
                var past = reminder.SessionStart <= now;
                var changed = await connection.ExecuteAsync(
                    $"update reminders set status = @status, claimed_at = @now, attempts = attempts + 1 where id = @id and {claimable}",
                    new { id = reminder.Id, status = past ? "dropped" : "sending", now, abandoned }, transaction);
                var patient = await Patients.FindAsync(connection, transaction, reminder.ReferralId);
                var sending = changed == 1 && !past && patient is not null;
                // The questionnaire link goes once per session: by email, or by text to a patient with no email.
                var link = sending && patient!.MayAskQuestionnaires && reminder.Channel == (patient.MayEmail ? "email" : "sms")
                    ? await QuestionnaireLinks.IssueAsync(connection, transaction, links, reminder.CourseId, reminder.ReferralId,
                        (int)reminder.SessionNumber, clock.GetCurrentInstant())
                    : null;
                var stopLink = sending
                    ? await StopLinks.IssueAsync(connection, transaction, links, reminder.ReferralId, reminder.Channel, clock.GetCurrentInstant())
                    : "";
                var series = await CalendarSeries.LoadAsync(connection, transaction, Guid.Parse(reminder.CourseId));
                return (sending, patient, link, series?.SessionsInCourse ?? CourseShape.StandardSessions, series?.JoinUrl, stopLink);
            }, cancellationToken);
            if (!claimed || patient is null) continue;

            var start = Instant.FromUnixTimeMilliseconds(reminder.SessionStart);
            var message = new ReminderMessage(patient.GivenName, (int)reminder.SessionNumber, sessions,
                start.InZone(CourseShape.ServiceZone).LocalDateTime.ToString("dddd d MMMM 'at' HH:mm", Formats.English), joinUrl, link?.ToString(), stopLink);
            var address = (reminder.Channel == "sms" ? patient.Mobile : patient.Email) ?? "";   // for the message log, which masks it
            try
            {
                await _channels[reminder.Channel].SendAsync(patient, message, reminder.Id, cancellationToken);
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync("update reminders set status = 'sent', sent_at = @now where id = @id",
                    new { id = reminder.Id, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() });
                sent++;
                await MessageLog.RecordAsync(connection, null, reminder.ReferralId, $"reminder, session {reminder.SessionNumber}", reminder.Channel,
                    address, "sent", clock.GetCurrentInstant());
            }
            catch (UndeliverableException undeliverable)
            {
                // Never deliverable as addressed: not tried again; the message log and the coordinators' list show why.
                await database.InTransactionAsync(async (connection, transaction) =>
                {
                    var at = clock.GetCurrentInstant();
                    await connection.ExecuteAsync("update reminders set status = 'undeliverable' where id = @id and status = 'sending'", new { id = reminder.Id }, transaction);
                    await MessageLog.RecordAsync(connection, transaction, reminder.ReferralId, $"reminder, session {reminder.SessionNumber}", reminder.Channel,
                        address, $"undeliverable: {undeliverable.Message}", at);
                    await Outbox.AddAsync(connection, transaction, new MailUndeliverable(Guid.Parse(reminder.ReferralId),
                        $"reminder, session {reminder.SessionNumber}", undeliverable.Message, 1, at.ToDateTimeOffset(), reminder.Channel), at);
                    return true;
                }, cancellationToken, urgent: false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Not sent: back to pending, tried again on a later poll until its session begins.
                logger.LogWarning("Reminder {ReminderId} ({Channel}) for referral {ReferralId} was not sent, will try again: {Error}",
                    reminder.Id, reminder.Channel, reminder.ReferralId, exception.Message);
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync("update reminders set status = 'pending' where id = @id and status = 'sending'", new { id = reminder.Id });
                await MessageLog.RecordAsync(connection, null, reminder.ReferralId, $"reminder, session {reminder.SessionNumber}", reminder.Channel,
                    address, $"failed, will try again: {exception.Message}", clock.GetCurrentInstant());
            }
        }
        return sent;
    }

    private sealed record DueReminder(string Id, string CourseId, string ReferralId, long SessionNumber, string Channel, long SessionStart);
}
