using System.Net;
using Dit.Notifications.Contacts;
using Dit.Notifications.Mail;
using Dit.Notifications.Texts;

namespace Dit.Notifications.Invites;

/// <summary>
/// Starts a course's calendar series and emails the patient the invite (METHOD:REQUEST), if they consented to email.
/// A booking that arrives before the patient's contact details waits for them (<see cref="ParkedMessages"/>); changes
/// to the course that arrived before the booking are applied to the series first, so the invite shows the course as it
/// stands.
/// </summary>
public sealed class CourseInvitations(NotificationsDatabase database, ClinicDetails clinic, Reminders.ReminderOptions reminders, PatientLinks links,
    IClock clock, ILogger<CourseInvitations> logger)
{
    public async Task InviteAsync(DbConnection connection, DbTransaction transaction, CourseBooked booked)
    {
        var now = clock.GetCurrentInstant();
        // The referral's lock, then the course's: the contact details and the course's changes may be arriving at this
        // moment, and each either sees this booking or is seen by it (RecordPatientContact, SeriesUpdates).
        await database.Dialect.LockAsync(connection, transaction, booked.ReferralId);
        await database.Dialect.LockAsync(connection, transaction, booked.CourseId);
        var patient = await Patients.FindAsync(connection, transaction, booked.ReferralId.ToString());
        if (patient is null)
        {
            // ReferralAccepted travels on another queue: the booking waits for it (RecordPatientContact).
            await ParkedMessages.ParkAsync(connection, transaction, ParkedMessages.ForReferral(booked.ReferralId), booked, now);
            return;
        }

        var series = new CalendarSeries(booked.CourseId.ToString(), booked.ReferralId.ToString(), CalendarSeries.UidFor(booked.CourseId),
            booked.Sequence, booked.TimeZone, "booked",
            booked.Sessions.Select(s => new SeriesSession(s.SessionNumber, LocalDateTime.FromDateTime(s.LocalStart),
                Instant.FromDateTimeOffset(s.StartUtc), booked.Sequence, Cancelled: false)).ToList())
        {
            Shape = booked.Shape, JoinUrl = booked.JoinUrl,
        };
        if (!await series.InsertAsync(connection, transaction, now)) return;   // this course's invite went out already
        await Reminders.ReminderRows.CreateAsync(connection, transaction, series, patient, reminders, now);
        var feedUrl = links.CalendarFeed(await series.IssueFeedTokenAsync(connection, transaction));

        var early = await ParkedMessages.TakeAsync(connection, transaction, ParkedMessages.ForCourse(booked.CourseId));
        if (early.Count > 0)
        {
            series = early.Aggregate(series, (s, message) => SeriesChanges.Apply(s, message.Type, message.Body));
            await series.UpdateAsync(connection, transaction, now);
            await Reminders.ReminderRows.RescheduleAsync(connection, transaction, series, now);
        }
        if (series.Status == "cancelled")
        {
            logger.LogInformation("Course {CourseId} was cancelled before its booking arrived: no invite", booked.CourseId);
            return;
        }
        if (patient.MayText)
            await TextQueue.AddAsync(connection, transaction, patient.ReferralId, patient.Mobile!, CourseTexts.Booked(patient, booked, series, feedUrl, clinic,
                await StopLinks.IssueAsync(connection, transaction, links, patient.ReferralId, "sms", now)), now);
        if (!patient.MayEmail)
        {
            logger.LogInformation("Referral {ReferralId}: no email consent, invite not sent", booked.ReferralId);
            return;
        }
        var calendar = CourseInvite.Write(series.ToCalendar(patient, clinic),
            "REQUEST", now);
        var stopLink = await StopLinks.IssueAsync(connection, transaction, links, patient.ReferralId, "email", now);
        await MailQueue.AddAsync(connection, transaction, new CalendarMail(
            patient.ReferralId, "invite", patient.Email!, $"Your Dynamic Interpersonal Therapy sessions: {booked.Weekday}s at {booked.LocalTime:HH:mm}",
            InviteText(patient, booked, series, feedUrl) + StopLinks.TextLine(stopLink), InviteHtml(patient, booked, series, feedUrl) + StopLinks.HtmlLine(stopLink),
            calendar, "REQUEST"), now);
    }

    private string InviteText(PatientContact patient, CourseBooked booked, CalendarSeries series, string feedUrl) =>
        $"""
        Dear {patient.GivenName},

        Your course of Dynamic Interpersonal Therapy is booked: {series.SessionsInCourse} weekly sessions of {booked.Shape.SessionMinutes} minutes,
        on {booked.Weekday}s at {booked.LocalTime:HH:mm} ({booked.TimeZone} time), with {booked.TherapistName}.

        {string.Join("\n", series.ActiveSessions.Select(s => $"Session {s.Number}: {s.LocalStart.ToString("dddd d MMMM yyyy, HH:mm", Formats.English)}"))}

        The attached invitation adds every session to your calendar. To follow any changes automatically,
        subscribe your calendar to this private link (keep it to yourself): {feedUrl}
        {(series.JoinUrl is { } join ? $"Join each session by video at {join} (the same link every week).\n" : "")}To change or cancel a session, contact {clinic.Name} on {clinic.Phone} or {clinic.Email}.
        """;

    private string InviteHtml(PatientContact patient, CourseBooked booked, CalendarSeries series, string feedUrl) =>
        $"""
        <p>Dear {WebUtility.HtmlEncode(patient.GivenName)},</p>
        <p>Your course of Dynamic Interpersonal Therapy is booked: {series.SessionsInCourse} weekly sessions of {booked.Shape.SessionMinutes} minutes,
        on <strong>{booked.Weekday}s at {booked.LocalTime:HH:mm}</strong> ({WebUtility.HtmlEncode(booked.TimeZone)} time), with {WebUtility.HtmlEncode(booked.TherapistName)}.</p>
        <ol>{string.Concat(series.ActiveSessions.Select(s => $"<li value=\"{s.Number}\">{s.LocalStart.ToString("dddd d MMMM yyyy, HH:mm", Formats.English)}</li>"))}</ol>
        <p>The attached invitation adds every session to your calendar. To follow any changes automatically,
        subscribe your calendar to <a href="{WebUtility.HtmlEncode(feedUrl)}">your private calendar link</a> (keep it to yourself).</p>
        {(series.JoinUrl is { } join ? $"<p>Join each session by video: <a href=\"{WebUtility.HtmlEncode(join)}\">your video room</a> (the same link every week).</p>" : "")}
        <p>To change or cancel a session, contact {WebUtility.HtmlEncode(clinic.Name)} on {WebUtility.HtmlEncode(clinic.Phone)} or {WebUtility.HtmlEncode(clinic.Email)}.</p>
        """;
}
