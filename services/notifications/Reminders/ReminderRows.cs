using Dit.Notifications.Contacts;
using Dit.Notifications.Invites;

namespace Dit.Notifications.Reminders;

/// <summary>
/// Reminders are rows with a due time, written in the same transaction as the series they belong
/// to: made when a course is booked, moved when a session moves, dropped when it is cancelled.
/// </summary>
public static class ReminderRows
{
    public static async Task CreateAsync(DbConnection connection, DbTransaction transaction, CalendarSeries series,
        PatientContact patient, ReminderOptions options, Instant now)
    {
        var channels = new List<string>();
        if (patient.MayEmail) channels.Add("email");
        if (patient.MayText) channels.Add("sms");
        foreach (var session in series.Sessions.Where(s => !s.Cancelled && s.Start > now))
        foreach (var channel in channels)
        foreach (var minutes in options.Offsets)
        {
            await connection.ExecuteAsync(
                """
                insert into reminders (id, course_id, referral_id, session_number, channel, offset_minutes, session_start, due_at, status)
                values (@id, @course, @referral, @number, @channel, @minutes, @start, @due, 'pending')
                on conflict do nothing
                """,
                new
                {
                    id = Guid.NewGuid().ToString(), course = series.CourseId, referral = series.ReferralId, number = session.Number, channel,
                    minutes, start = session.Start.ToUnixTimeMilliseconds(),
                    due = (session.Start - Duration.FromMinutes(minutes)).ToUnixTimeMilliseconds(),
                }, transaction);
        }
    }

    /// <summary>Brings pending reminders in line with the series: moved sessions move theirs, cancelled ones drop theirs.</summary>
    public static async Task RescheduleAsync(DbConnection connection, DbTransaction transaction, CalendarSeries series, Instant now)
    {
        foreach (var session in series.Sessions)
        {
            if (series.Status == "cancelled" || session.Cancelled)
                await connection.ExecuteAsync(
                    "update reminders set status = 'dropped' where course_id = @course and session_number = @number and status = 'pending'",
                    new { course = series.CourseId, number = session.Number }, transaction);
            else
                await connection.ExecuteAsync(
                    """
                    update reminders set session_start = @start, due_at = @start - offset_minutes * 60000
                    where course_id = @course and session_number = @number and status = 'pending'
                    """,
                    new { course = series.CourseId, number = session.Number, start = session.Start.ToUnixTimeMilliseconds() }, transaction);
        }
    }
}
