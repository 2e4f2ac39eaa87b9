using System.Net;
using Dit.Notifications.Contacts;
using Dit.Notifications.Mail;
using Dit.Notifications.Texts;

namespace Dit.Notifications.Invites;

/// <summary>
/// A cancelled course: its sessions still to come leave the patient's calendar. When none was held, the whole series goes
/// (the same UID with a higher SEQUENCE and <c>METHOD:CANCEL</c>); otherwise an update keeps the sessions held and drops the
/// rest (EXDATEs), so the calendar still shows what happened.
/// </summary>
public sealed class SendCancellation(NotificationsDatabase database, ClinicDetails clinic, PatientLinks links, IClock clock, ILogger<SendCancellation> logger)
    : IConsumer<CourseCancelled>
{
    public async Task Consume(ConsumeContext<CourseCancelled> context)
    {
        var cancelled = context.Message;
        await database.ConsumeOnceAsync(context, nameof(SendCancellation), clock, async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            // Before the booking: the cancellation waits for it (and no invite will go).
            var before = await ParkedMessages.SeriesOrParkAsync(database, connection, transaction, cancelled.CourseId, cancelled, now);
            if (before is null) return;
            var series = SeriesChanges.Apply(before, cancelled);
            if (ReferenceEquals(series, before)) return;   // cancelled already, or an older cancellation than the changes applied

            await series.UpdateAsync(connection, transaction, now);
            await Reminders.ReminderRows.RescheduleAsync(connection, transaction, series, now);
            // The course's video room closes with it: no update, feed or reminder points at it any more.
            await connection.ExecuteAsync("update calendar_series set join_url = null where course_id = @CourseId", new { series.CourseId }, transaction);
            (series, before) = (series with { JoinUrl = null }, before with { JoinUrl = null });
            var patient = await Patients.FindAsync(connection, transaction, series.ReferralId);
            // The reason is the coordinator's own words: in the mail, never in a text (Notify's personalisation is ours only).
            if (patient is { MayText: true })
                await TextQueue.AddAsync(connection, transaction, patient.ReferralId, patient.Mobile!,
                    CourseTexts.Cancelled(patient, "Your course of Dynamic Interpersonal Therapy has been cancelled: no more sessions are booked.", clinic,
                        await StopLinks.IssueAsync(connection, transaction, links, patient.ReferralId, "sms", now)), now);
            if (patient is not { MayEmail: true })
            {
                logger.LogInformation("Course {CourseId} cancelled; no email consent, no mail sent", cancelled.CourseId);
                return;
            }
            var reason = $"Your course of Dynamic Interpersonal Therapy has been cancelled ({cancelled.Reason}).";
            var held = series.ActiveSessions.Count;
            var stopLink = await StopLinks.IssueAsync(connection, transaction, links, patient.ReferralId, "email", now);
            await MailQueue.AddAsync(connection, transaction, held == 0
                ? CancelMail(before with { Sequence = cancelled.Sequence }, patient, clinic, reason, stopLink, now)
                : Mail(series, patient, clinic, reason,
                    $"The attached update removes the sessions still to come from your calendar; the {held} you have had stay in it.", "REQUEST", stopLink, now), now);
        });
    }

    /// <summary>
    /// The mail that takes a course with no sessions left out of the patient's calendar: <c>METHOD:CANCEL</c> of the series
    /// (no RECURRENCE-ID: all of it) showing the sessions it removes — <paramref name="series"/> as it was, with the new SEQUENCE.
    /// </summary>
    public static CalendarMail CancelMail(CalendarSeries series, PatientContact patient, ClinicDetails clinic, string what, string stopLink, Instant now) =>
        Mail(series, patient, clinic, what, "The attached cancellation removes its sessions from your calendar.", "CANCEL", stopLink, now);

    private static CalendarMail Mail(CalendarSeries series, PatientContact patient, ClinicDetails clinic, string what, string attached,
        string method, string stopLink, Instant now)
    {
        var calendar = CourseInvite.Write(series.ToCalendar(patient, clinic), method, now);
        var text = $"""
            Dear {patient.GivenName},

            {what}
            {attached}
            If this is unexpected, contact {clinic.Name} on {clinic.Phone} or {clinic.Email}.
            """ + StopLinks.TextLine(stopLink);
        var html = $"""
            <p>Dear {WebUtility.HtmlEncode(patient.GivenName)},</p>
            <p>{WebUtility.HtmlEncode(what)}
            {WebUtility.HtmlEncode(attached)}</p>
            <p>If this is unexpected, contact {WebUtility.HtmlEncode(clinic.Name)} on {WebUtility.HtmlEncode(clinic.Phone)} or {WebUtility.HtmlEncode(clinic.Email)}.</p>
            """ + StopLinks.HtmlLine(stopLink);
        return new CalendarMail(series.ReferralId, "cancellation", patient.Email!, "Your Dynamic Interpersonal Therapy sessions are cancelled",
            text, html, calendar, method);
    }
}
