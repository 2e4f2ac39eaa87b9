using System.Net;
using Dit.Notifications.Contacts;
using Dit.Notifications.Mail;
using Dit.Notifications.Texts;

namespace Dit.Notifications.Invites;

/// <summary>
/// Applies a scheduling change to a course's series and sends the patient the whole updated series
/// (master and every override, <c>METHOD:REQUEST</c>, higher SEQUENCE), so their calendar ends up
/// with exactly the sessions scheduling holds. A change that arrives before the course's booking is parked
/// (<see cref="ParkedMessages"/>) and applied when the booking arrives.
/// </summary>
public sealed class SeriesUpdates(NotificationsDatabase database, ClinicDetails clinic, Reminders.ReminderOptions reminders, PatientLinks links, IClock clock)
{
    public Task ApplyAsync<T>(ConsumeContext<T> context, string consumer, Guid courseId, Func<CalendarSeries, CalendarSeries> change,
        string subject, Func<PatientContact, string> describe) where T : class =>
        database.ConsumeOnceAsync(context, consumer, clock, async (connection, transaction) =>
        {
            // Before the booking: the change waits for it, and the invite will show it.
            var before = await ParkedMessages.SeriesOrParkAsync(database, connection, transaction, courseId, context.Message, clock.GetCurrentInstant());
            if (before is null) return;
            // Applied even to a cancelled course: a change made before the cancellation may arrive after it, and the
            // sessions held (or one cancelled before) must still end as scheduling has them.
            var after = change(before);
            if (after.Sessions.SequenceEqual(before.Sessions)) return;   // an older change than the one already applied

            var now = clock.GetCurrentInstant();
            // The last session cancelled: the course has none left (the series is cancelled), and the patient's calendar loses it.
            var emptied = after.ActiveSessions.Count == 0;
            await after.UpdateAsync(connection, transaction, now);
            await Reminders.ReminderRows.RescheduleAsync(connection, transaction, after, now);
            if (after.ActiveSessions.SequenceEqual(before.ActiveSessions)) return;   // nothing the patient's calendar shows has changed
            var patient = await Patients.FindAsync(connection, transaction, after.ReferralId);
            // Sessions added (an extension) get their reminders; those of the others exist already and stay as they are.
            if (after.Sessions.Count > before.Sessions.Count && patient is not null)
                await Reminders.ReminderRows.CreateAsync(connection, transaction, after, patient, reminders, now);
            if (patient is { MayText: true })
            {
                var textStop = await StopLinks.IssueAsync(connection, transaction, links, patient.ReferralId, "sms", now);
                await TextQueue.AddAsync(connection, transaction, patient.ReferralId, patient.Mobile!, emptied
                    ? CourseTexts.Cancelled(patient, $"{describe(patient)} No sessions of your course are left.", clinic, textStop)
                    : CourseTexts.Changed(patient, after, describe(patient), clinic, textStop, now), now);
            }
            if (patient is not { MayEmail: true }) return;
            var stopLink = await StopLinks.IssueAsync(connection, transaction, links, patient.ReferralId, "email", now);
            if (emptied)
            {
                await MailQueue.AddAsync(connection, transaction,
                    SendCancellation.CancelMail(before with { Sequence = after.Sequence }, patient, clinic, $"{describe(patient)} No sessions of your course are left.", stopLink, now), now);
                return;
            }
            var calendar = CourseInvite.Write(after.ToCalendar(patient, clinic), "REQUEST", now);
            var text = $"""
                Dear {patient.GivenName},

                {describe(patient)}

                The attached update brings your calendar up to date with all your sessions:
                {string.Join("\n", after.ActiveSessions.Select(s => $"Session {s.Number}: {s.LocalStart.ToString("dddd d MMMM yyyy, HH:mm", Formats.English)}"))}

                To change or cancel a session, contact {clinic.Name} on {clinic.Phone} or {clinic.Email}.
                """ + StopLinks.TextLine(stopLink);
            var html = $"""
                <p>Dear {WebUtility.HtmlEncode(patient.GivenName)},</p>
                <p>{WebUtility.HtmlEncode(describe(patient))}</p>
                <p>The attached update brings your calendar up to date with all your sessions:</p>
                <ol>{string.Concat(after.ActiveSessions.Select(s => $"<li value=\"{s.Number}\">{s.LocalStart.ToString("dddd d MMMM yyyy, HH:mm", Formats.English)}</li>"))}</ol>
                <p>To change or cancel a session, contact {WebUtility.HtmlEncode(clinic.Name)} on {WebUtility.HtmlEncode(clinic.Phone)} or {WebUtility.HtmlEncode(clinic.Email)}.</p>
                """ + StopLinks.HtmlLine(stopLink);
            await MailQueue.AddAsync(connection, transaction,
                new CalendarMail(after.ReferralId, "update", patient.Email!, subject, text, html, calendar, "REQUEST"), now);
        });
}
