using Dapper;
using Dit.Platform.Data;
using Dit.Notifications.Messages;
using Dit.Notifications.Invites;
using NodaTime;

namespace Dit.Notifications.Reminders;

/// <summary>
/// Sends due reminders, each at most once: a reminder is claimed (status <c>sending</c>, committed)
/// before it is sent, so a crash mid-send never sends it twice; one whose session has begun is
/// dropped, never sent. Pending reminders live in the database, so a restart loses none.
/// </summary>
public sealed class ReminderDispatcher(NotificationsDatabase database, IEnumerable<IReminderChannel> channels, IClock clock,
    IConfiguration configuration, ILogger<ReminderDispatcher> logger) : BackgroundService
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(int.TryParse(configuration["Notifications:Reminders:PollSeconds"], out var s) ? s : 15);
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
            try { await Task.Delay(_interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <returns>How many reminders this call sent.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        List<DueReminder> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
            due = (await connection.QueryAsync<DueReminder>(
                """
                select id as Id, referral_id as ReferralId, session_number as SessionNumber, channel as Channel, session_start as SessionStart
                from reminders where status = 'pending' and due_at <= @now order by due_at, id limit 100
                """, new { now })).ToList();

        var sent = 0;
        foreach (var reminder in due)
        {
            var (claimed, patient) = await database.InTransactionAsync(async (connection, transaction) =>
            {
                var past = reminder.SessionStart <= now;
                var changed = await connection.ExecuteAsync(
                    "update reminders set status = @status where id = @id and status = 'pending'",
                    new { id = reminder.Id, status = past ? "dropped" : "sending" }, transaction);
                return (changed == 1 && !past, await Patients.FindAsync(connection, transaction, reminder.ReferralId));
            }, cancellationToken);
            if (!claimed || patient is null) continue;

            var start = Instant.FromUnixTimeMilliseconds(reminder.SessionStart);
            var text = $"Your Dynamic Interpersonal Therapy session {reminder.SessionNumber} of 16 is on " +
                       $"{start.InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).LocalDateTime.ToString("dddd d MMMM 'at' HH:mm", Formats.English)} (UK time).";
            try
            {
                await _channels[reminder.Channel].SendAsync(patient, text, cancellationToken);
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync("update reminders set status = 'sent', sent_at = @now where id = @id",
                    new { id = reminder.Id, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() });
                sent++;
                await MessageLog.RecordAsync(connection, null, reminder.ReferralId, $"reminder, session {reminder.SessionNumber}", reminder.Channel,
                    reminder.Channel == "sms" ? patient.Mobile! : patient.Email!, "sent", clock.GetCurrentInstant());
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // At most once: a reminder that failed to go is not tried again.
                logger.LogWarning("Reminder {ReminderId} ({Channel}) for referral {ReferralId} was not sent: {Error}",
                    reminder.Id, reminder.Channel, reminder.ReferralId, exception.Message);
                await using var connection = await database.OpenAsync(cancellationToken);
                await MessageLog.RecordAsync(connection, null, reminder.ReferralId, $"reminder, session {reminder.SessionNumber}", reminder.Channel,
                    (reminder.Channel == "sms" ? patient.Mobile : patient.Email) ?? "", $"failed, not retried: {exception.Message}", clock.GetCurrentInstant());
            }
        }
        return sent;
    }

    private sealed record DueReminder(string Id, string ReferralId, long SessionNumber, string Channel, long SessionStart);
}
