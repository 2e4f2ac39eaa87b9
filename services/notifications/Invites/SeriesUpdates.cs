using System.Net;
using Dit.Contracts;
using Dit.Notifications.Contacts;
using Dit.Notifications.Mail;
using Dit.Platform.Messaging;
using MassTransit;
using NodaTime;

namespace Dit.Notifications.Invites;

/// <summary>
/// Applies a scheduling change to a course's series and sends the patient the whole updated series
/// (master and every override, <c>METHOD:REQUEST</c>, higher SEQUENCE), so their calendar ends up
/// with exactly the sessions scheduling holds.
/// </summary>
public sealed class SeriesUpdates(NotificationsDatabase database, ClinicDetails clinic, IClock clock)
{
    public const int SessionsInCourse = 16;
    public const int SessionMinutes = 50;

    public Task ApplyAsync<T>(ConsumeContext<T> context, string consumer, Guid courseId, Func<CalendarSeries, CalendarSeries> change,
        string subject, Func<PatientContact, string> describe) where T : class =>
        database.ConsumeOnceAsync(context, consumer, clock, async (connection, transaction) =>
        {
            // The booking travels on another queue and may not have been handled yet: retry later.
            var before = await CalendarSeries.LoadForChangeAsync(connection, transaction, courseId)
                ?? throw new InvalidOperationException($"The calendar series of course {courseId} has not started yet.");
            if (before.Status == "cancelled") return;
            var after = change(before);
            if (after.Sessions.SequenceEqual(before.Sessions)) return;   // an older change than the one already applied

            var now = clock.GetCurrentInstant();
            // The last session cancelled: the course has none left, and the patient's calendar loses the series.
            var emptied = after.ActiveSessions.Count == 0;
            if (emptied) after = after with { Status = "cancelled" };
            await after.UpdateAsync(connection, transaction, now);
            await Reminders.Reminders.RescheduleAsync(connection, transaction, after, now);
            var patient = await Patients.FindAsync(connection, transaction, after.ReferralId);
            if (patient is not { MayEmail: true }) return;
            if (emptied)
            {
                await MailQueue.AddAsync(connection, transaction,
                    SendCancellation.Mail(before with { Sequence = after.Sequence }, patient, clinic, $"{describe(patient)} No sessions of your course are left.", now), now);
                return;
            }
            var calendar = CourseInvite.Write(after.ToCalendar(patient, clinic, SessionsInCourse, SessionMinutes), "REQUEST", now);
            var text = $"""
                Dear {patient.GivenName},

                {describe(patient)}

                The attached update brings your calendar up to date with all your sessions:
                {string.Join("\n", after.ActiveSessions.Select(s => $"Session {s.Number}: {s.LocalStart.ToString("dddd d MMMM yyyy, HH:mm", Formats.English)}"))}

                To change or cancel a session, contact {clinic.Name} on {clinic.Phone} or {clinic.Email}.
                """;
            var html = $"""
                <p>Dear {WebUtility.HtmlEncode(patient.GivenName)},</p>
                <p>{WebUtility.HtmlEncode(describe(patient))}</p>
                <p>The attached update brings your calendar up to date with all your sessions:</p>
                <ol>{string.Concat(after.ActiveSessions.Select(s => $"<li value=\"{s.Number}\">{s.LocalStart.ToString("dddd d MMMM yyyy, HH:mm", Formats.English)}</li>"))}</ol>
                <p>To change or cancel a session, contact {WebUtility.HtmlEncode(clinic.Name)} on {WebUtility.HtmlEncode(clinic.Phone)} or {WebUtility.HtmlEncode(clinic.Email)}.</p>
                """;
            await MailQueue.AddAsync(connection, transaction,
                new CalendarMail(after.ReferralId, "update", patient.Email!, subject, text, html, calendar, "REQUEST"), now);
        });
}

public static class Formats
{
    public static readonly System.Globalization.CultureInfo English = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    public static string Describe(DateTime local) => local.ToString("dddd d MMMM yyyy 'at' HH:mm", English);
}

/// <summary>A coordinator moved one session.</summary>
public sealed class SendSessionMoved(SeriesUpdates updates) : IConsumer<AppointmentRescheduled>
{
    public Task Consume(ConsumeContext<AppointmentRescheduled> context)
    {
        var moved = context.Message;
        return updates.ApplyAsync(context, nameof(SendSessionMoved), moved.CourseId,
            series => series.Apply(moved.SessionNumber, moved.Sequence, s => s with
            {
                LocalStart = LocalDateTime.FromDateTime(moved.NewLocalStart), Start = Instant.FromDateTimeOffset(moved.NewStartUtc),
            }),
            $"Session {moved.SessionNumber} of your therapy has moved",
            _ => $"Session {moved.SessionNumber} has moved from {Formats.Describe(moved.OldLocalStart)} to {Formats.Describe(moved.NewLocalStart)}.");
    }
}

/// <summary>A coordinator moved a session and all later ones to a new weekly slot.</summary>
public sealed class SendCourseMoved(SeriesUpdates updates) : IConsumer<CourseRescheduled>
{
    public Task Consume(ConsumeContext<CourseRescheduled> context)
    {
        var moved = context.Message;
        return updates.ApplyAsync(context, nameof(SendCourseMoved), moved.CourseId,
            series => moved.Moves.Aggregate(series, (s, move) => s.Apply(move.SessionNumber, moved.Sequence, session => session with
            {
                LocalStart = LocalDateTime.FromDateTime(move.NewLocalStart), Start = Instant.FromDateTimeOffset(move.NewStartUtc),
            })),
            "Your therapy sessions have moved",
            _ => $"From session {moved.Moves.Min(m => m.SessionNumber)}, your sessions are now on {moved.Weekday}s at {moved.LocalTime:HH:mm}.");
    }
}

/// <summary>One session was cancelled: it leaves the series as an EXDATE.</summary>
public sealed class SendSessionCancelled(SeriesUpdates updates) : IConsumer<AppointmentCancelled>
{
    public Task Consume(ConsumeContext<AppointmentCancelled> context)
    {
        var cancelled = context.Message;
        return updates.ApplyAsync(context, nameof(SendSessionCancelled), cancelled.CourseId,
            series => series.Apply(cancelled.SessionNumber, cancelled.Sequence, s => s with { Cancelled = true }),
            $"Session {cancelled.SessionNumber} of your therapy is cancelled",
            _ => $"Session {cancelled.SessionNumber} on {Formats.Describe(cancelled.LocalStart)} is cancelled.");
    }
}

/// <summary>A session and all later ones went to another therapist: one update, with any sessions whose time changed.</summary>
public sealed class SendCourseReassigned(SeriesUpdates updates) : IConsumer<CourseReassigned>
{
    public Task Consume(ConsumeContext<CourseReassigned> context)
    {
        var reassigned = context.Message;
        var moved = reassigned.Sessions.Where(m => m.NewStartUtc != m.OldStartUtc).ToList();
        return updates.ApplyAsync(context, nameof(SendCourseReassigned), reassigned.CourseId,
            series => reassigned.Sessions.Aggregate(series, (s, move) => s.Apply(move.SessionNumber, reassigned.Sequence, session => session with
            {
                LocalStart = LocalDateTime.FromDateTime(move.NewLocalStart), Start = Instant.FromDateTimeOffset(move.NewStartUtc),
            })),
            "Your therapist has changed",
            _ => $"From session {reassigned.FromSession}, your sessions are with {reassigned.TherapistName}. " + (moved.Count == 0
                ? "Your session times stay the same."
                : string.Join(" ", moved.Select(m => $"Session {m.SessionNumber} has moved from {Formats.Describe(m.OldLocalStart)} to {Formats.Describe(m.NewLocalStart)}."))));
    }
}
