using System.Net;
using Dit.Contracts;
using Dit.Notifications.Contacts;
using Dit.Notifications.Mail;
using Dit.Platform.Messaging;
using MassTransit;
using NodaTime;

namespace Dit.Notifications.Invites;

/// <summary>
/// Starts a course's calendar series and emails the patient the invite (METHOD:REQUEST), if they
/// consented to email.
/// </summary>
public sealed class SendInvite(NotificationsDatabase database, ClinicDetails clinic, Reminders.ReminderOptions reminders, IConfiguration configuration,
    IClock clock, ILogger<SendInvite> logger)
    : IConsumer<CourseBooked>
{
    public async Task Consume(ConsumeContext<CourseBooked> context)
    {
        var booked = context.Message;
        await database.ConsumeOnceAsync(context, nameof(SendInvite), clock, async (connection, transaction) =>
        {
            var patient = await Patients.FindAsync(connection, transaction, booked.ReferralId.ToString())
                // ReferralAccepted reaches us on another queue and may not have been handled yet: retry later.
                ?? throw new InvalidOperationException($"Contact details for referral {booked.ReferralId} have not arrived yet.");

            var now = clock.GetCurrentInstant();
            var series = new CalendarSeries(booked.CourseId.ToString(), booked.ReferralId.ToString(), CalendarSeries.UidFor(booked.CourseId),
                booked.Sequence, booked.TimeZone, "booked",
                booked.Sessions.Select(s => new SeriesSession(s.SessionNumber, LocalDateTime.FromDateTime(s.LocalStart),
                    Instant.FromDateTimeOffset(s.StartUtc), booked.Sequence, Cancelled: false)).ToList());
            if (!await series.InsertAsync(connection, transaction, now)) return;   // this course's invite went out already
            await Reminders.Reminders.CreateAsync(connection, transaction, series, patient, reminders, now);
            var feedUrl = Feed.CalendarFeed.Url(configuration, await series.IssueFeedTokenAsync(connection, transaction));

            if (!patient.MayEmail)
            {
                logger.LogInformation("Referral {ReferralId}: no email consent, invite not sent", booked.ReferralId);
                return;
            }
            var calendar = CourseInvite.Write(series.ToCalendar(patient, clinic, booked.Sessions.Count, booked.Sessions[0].DurationMinutes),
                "REQUEST", now);
            await MailQueue.AddAsync(connection, transaction, new CalendarMail(
                patient.ReferralId, "invite", patient.Email!, $"Your Dynamic Interpersonal Therapy sessions: {booked.Weekday}s at {booked.LocalTime:HH:mm}",
                InviteText(patient, booked, feedUrl), InviteHtml(patient, booked, feedUrl), calendar, "REQUEST"), now);
        });
    }

    private string InviteText(PatientContact patient, CourseBooked booked, string feedUrl) =>
        $"""
        Dear {patient.GivenName},

        Your course of Dynamic Interpersonal Therapy is booked: {booked.Sessions.Count} weekly sessions of {booked.Sessions[0].DurationMinutes} minutes,
        on {booked.Weekday}s at {booked.LocalTime:HH:mm} ({booked.TimeZone} time), with {booked.TherapistName}.

        {string.Join("\n", booked.Sessions.Select(s => $"Session {s.SessionNumber}: {s.LocalStart.ToString("dddd d MMMM yyyy, HH:mm", Formats.English)}"))}

        The attached invitation adds every session to your calendar. To follow any changes automatically,
        subscribe your calendar to this private link (keep it to yourself): {feedUrl}
        To change or cancel a session, contact {clinic.Name} on {clinic.Phone} or {clinic.Email}.
        """;

    private string InviteHtml(PatientContact patient, CourseBooked booked, string feedUrl) =>
        $"""
        <p>Dear {WebUtility.HtmlEncode(patient.GivenName)},</p>
        <p>Your course of Dynamic Interpersonal Therapy is booked: {booked.Sessions.Count} weekly sessions of {booked.Sessions[0].DurationMinutes} minutes,
        on <strong>{booked.Weekday}s at {booked.LocalTime:HH:mm}</strong> ({WebUtility.HtmlEncode(booked.TimeZone)} time), with {WebUtility.HtmlEncode(booked.TherapistName)}.</p>
        <ol>{string.Concat(booked.Sessions.Select(s => $"<li>{s.LocalStart.ToString("dddd d MMMM yyyy, HH:mm", Formats.English)}</li>"))}</ol>
        <p>The attached invitation adds every session to your calendar. To follow any changes automatically,
        subscribe your calendar to <a href="{WebUtility.HtmlEncode(feedUrl)}">your private calendar link</a> (keep it to yourself).</p>
        <p>To change or cancel a session, contact {WebUtility.HtmlEncode(clinic.Name)} on {WebUtility.HtmlEncode(clinic.Phone)} or {WebUtility.HtmlEncode(clinic.Email)}.</p>
        """;
}
