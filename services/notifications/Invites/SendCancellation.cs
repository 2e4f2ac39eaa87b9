using System.Net;
using Dit.Contracts;
using Dit.Notifications.Contacts;
using Dit.Notifications.Mail;
using Dit.Platform.Messaging;
using MassTransit;
using NodaTime;

namespace Dit.Notifications.Invites;

/// <summary>
/// A cancelled course: its sessions still to come leave the patient's calendar. When none was held, the whole series goes
/// (the same UID with a higher SEQUENCE and <c>METHOD:CANCEL</c>); otherwise an update keeps the sessions held and drops the
/// rest (EXDATEs), so the calendar still shows what happened.
/// </summary>
public sealed class SendCancellation(NotificationsDatabase database, ClinicDetails clinic, IClock clock, ILogger<SendCancellation> logger)
    : IConsumer<CourseCancelled>
{
    public async Task Consume(ConsumeContext<CourseCancelled> context)
    {
        var cancelled = context.Message;
        await database.ConsumeOnceAsync(context, nameof(SendCancellation), clock, async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            await database.Dialect.LockAsync(connection, transaction, cancelled.CourseId);   // as CourseInvitations does
            var series = await CalendarSeries.LoadForChangeAsync(connection, transaction, cancelled.CourseId);
            if (series is null)
            {
                // CourseBooked travels on another queue: the cancellation waits for it (and no invite will go).
                await ParkedMessages.ParkAsync(connection, transaction, ParkedMessages.ForCourse(cancelled.CourseId), cancelled, now);
                return;
            }
            if (series.Status == "cancelled" || series.Sequence >= cancelled.Sequence) return;

            var before = series with { Sequence = cancelled.Sequence };
            series = SeriesChanges.Apply(series, cancelled);
            await series.UpdateAsync(connection, transaction, now);
            await Reminders.Reminders.RescheduleAsync(connection, transaction, series, now);
            var patient = await Patients.FindAsync(connection, transaction, series.ReferralId);
            if (patient is not { MayEmail: true })
            {
                logger.LogInformation("Course {CourseId} cancelled; no email consent, nothing sent", cancelled.CourseId);
                return;
            }
            var reason = $"Your course of Dynamic Interpersonal Therapy has been cancelled ({cancelled.Reason}).";
            if (series.ActiveSessions.Count == 0)
            {
                await MailQueue.AddAsync(connection, transaction, Mail(before, patient, clinic, reason, now), now);
                return;
            }
            var calendar = CourseInvite.Write(series.ToCalendar(patient, clinic, SeriesUpdates.SessionsInCourse, SeriesUpdates.SessionMinutes), "REQUEST", now);
            var text = $"""
                Dear {patient.GivenName},

                {reason}
                The attached update removes the sessions still to come from your calendar; the {series.ActiveSessions.Count} you have had stay in it.
                If this is unexpected, contact {clinic.Name} on {clinic.Phone} or {clinic.Email}.
                """;
            var html = $"""
                <p>Dear {WebUtility.HtmlEncode(patient.GivenName)},</p>
                <p>{WebUtility.HtmlEncode(reason)}
                The attached update removes the sessions still to come from your calendar; the {series.ActiveSessions.Count} you have had stay in it.</p>
                <p>If this is unexpected, contact {WebUtility.HtmlEncode(clinic.Name)} on {WebUtility.HtmlEncode(clinic.Phone)} or {WebUtility.HtmlEncode(clinic.Email)}.</p>
                """;
            await MailQueue.AddAsync(connection, transaction, new CalendarMail(series.ReferralId, "cancellation", patient.Email!,
                "Your Dynamic Interpersonal Therapy sessions are cancelled", text, html, calendar, "REQUEST"), now);
        });
    }

    /// <summary>
    /// The mail that takes a course with no sessions left out of the patient's calendar: <c>METHOD:CANCEL</c> of the series
    /// (no RECURRENCE-ID: all of it) showing the sessions it removes — <paramref name="series"/> as it was, with the new SEQUENCE.
    /// </summary>
    public static CalendarMail Mail(CalendarSeries series, PatientContact patient, ClinicDetails clinic, string what, Instant now)
    {
        var calendar = CourseInvite.Write(series.ToCalendar(patient, clinic, SeriesUpdates.SessionsInCourse, SeriesUpdates.SessionMinutes), "CANCEL", now);
        var text = $"""
            Dear {patient.GivenName},

            {what}
            The attached cancellation removes its sessions from your calendar.
            If this is unexpected, contact {clinic.Name} on {clinic.Phone} or {clinic.Email}.
            """;
        var html = $"""
            <p>Dear {WebUtility.HtmlEncode(patient.GivenName)},</p>
            <p>{WebUtility.HtmlEncode(what)}
            The attached cancellation removes its sessions from your calendar.</p>
            <p>If this is unexpected, contact {WebUtility.HtmlEncode(clinic.Name)} on {WebUtility.HtmlEncode(clinic.Phone)} or {WebUtility.HtmlEncode(clinic.Email)}.</p>
            """;
        return new CalendarMail(series.ReferralId, "cancellation", patient.Email!, "Your Dynamic Interpersonal Therapy sessions are cancelled",
            text, html, calendar, "CANCEL");
    }
}
