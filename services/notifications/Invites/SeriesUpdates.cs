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
/// with exactly the sessions scheduling holds. A change that arrives before the course's booking is parked
/// (<see cref="ParkedMessages"/>) and applied when the booking arrives.
/// </summary>
public sealed class SeriesUpdates(NotificationsDatabase database, ClinicDetails clinic, Reminders.ReminderOptions reminders, IClock clock)
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
            await Reminders.Reminders.RescheduleAsync(connection, transaction, after, now);
            if (after.ActiveSessions.SequenceEqual(before.ActiveSessions)) return;   // nothing the patient's calendar shows has changed
            var patient = await Patients.FindAsync(connection, transaction, after.ReferralId);
            // Sessions added (an extension) get their reminders; those of the others exist already and stay as they are.
            if (after.Sessions.Count > before.Sessions.Count && patient is not null)
                await Reminders.Reminders.CreateAsync(connection, transaction, after, patient, reminders, now);
            if (patient is not { MayEmail: true }) return;
            if (emptied)
            {
                await MailQueue.AddAsync(connection, transaction,
                    SendCancellation.CancelMail(before with { Sequence = after.Sequence }, patient, clinic, $"{describe(patient)} No sessions of your course are left.", now), now);
                return;
            }
            var calendar = CourseInvite.Write(after.ToCalendar(patient, clinic), "REQUEST", now);
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
            series => SeriesChanges.Apply(series, moved),
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
            series => SeriesChanges.Apply(series, moved),
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
            series => SeriesChanges.Apply(series, cancelled),
            $"Session {cancelled.SessionNumber} of your therapy is cancelled",
            _ => $"Session {cancelled.SessionNumber} on {Formats.Describe(cancelled.LocalStart)} is cancelled.");
    }
}

/// <summary>The course was extended: one update with the added sessions.</summary>
public sealed class SendCourseExtended(SeriesUpdates updates) : IConsumer<CourseExtended>
{
    public Task Consume(ConsumeContext<CourseExtended> context)
    {
        var extended = context.Message;
        return updates.ApplyAsync(context, nameof(SendCourseExtended), extended.CourseId,
            series => SeriesChanges.Apply(series, extended),
            $"Your therapy is extended to {extended.Sessions} sessions",
            _ => $"Your course is extended to {extended.Sessions} sessions. " +
                 string.Join(" ", extended.Added.Select(a => $"Session {a.SessionNumber} is on {Formats.Describe(a.LocalStart)}.")));
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
            series => SeriesChanges.Apply(series, reassigned),
            "Your therapist has changed",
            _ => $"From session {reassigned.FromSession}, your sessions are with {reassigned.TherapistName}. " + (moved.Count == 0
                ? "Your session times stay the same."
                : string.Join(" ", moved.Select(m => $"Session {m.SessionNumber} has moved from {Formats.Describe(m.OldLocalStart)} to {Formats.Describe(m.NewLocalStart)}."))));
    }
}

/// <summary>
/// What each scheduling change does to a series, as pure functions: used by the consumers as messages arrive, and for
/// changes parked before their course's booking arrived. Each session change applies only if newer than the last applied
/// to that session, so the order of arrival does not matter.
/// </summary>
public static class SeriesChanges
{
    public static CalendarSeries Apply(CalendarSeries series, AppointmentRescheduled moved) =>
        Move(series, moved.SessionNumber, moved.Sequence, moved.NewLocalStart, moved.NewStartUtc);

    public static CalendarSeries Apply(CalendarSeries series, CourseRescheduled moved) =>
        moved.Moves.Aggregate(series, (s, move) => Move(s, move.SessionNumber, moved.Sequence, move.NewLocalStart, move.NewStartUtc));

    public static CalendarSeries Apply(CalendarSeries series, CourseReassigned reassigned) =>
        reassigned.Sessions.Aggregate(series, (s, move) => Move(s, move.SessionNumber, reassigned.Sequence, move.NewLocalStart, move.NewStartUtc));

    /// <summary>The added sessions join the series (once: a repeat or an older message adds nothing).</summary>
    public static CalendarSeries Apply(CalendarSeries series, CourseExtended extended)
    {
        var added = extended.Added.Where(a => series.Sessions.All(s => s.Number != a.SessionNumber))
            .Select(a => new SeriesSession(a.SessionNumber, LocalDateTime.FromDateTime(a.LocalStart), Instant.FromDateTimeOffset(a.StartUtc), extended.Sequence, false))
            .ToList();
        return added.Count == 0 ? series : series with
        {
            Sessions = series.Sessions.Concat(added).OrderBy(s => s.Number).ToList(),
            Sequence = Math.Max(series.Sequence, extended.Sequence),
        };
    }

    public static CalendarSeries Apply(CalendarSeries series, AppointmentCancelled cancelled) =>
        series.Apply(cancelled.SessionNumber, cancelled.Sequence, s => s with { Cancelled = true });

    /// <summary>The course's sessions still to come cancelled (every one not cancelled, from an older publisher), the series cancelled.</summary>
    public static CalendarSeries Apply(CalendarSeries series, CourseCancelled cancelled)
    {
        if (series.Status == "cancelled" || series.Sequence >= cancelled.Sequence) return series;
        var numbers = cancelled.CancelledSessions ?? series.Sessions.Select(s => s.Number).ToList();
        return numbers.Aggregate(series, (s, number) => s.Apply(number, cancelled.Sequence, session => session with { Cancelled = true }))
            with { Sequence = cancelled.Sequence, Status = "cancelled" };
    }

    /// <summary>A parked message (<see cref="ParkedMessages"/>) applied by its type's name.</summary>
    public static CalendarSeries Apply(CalendarSeries series, string type, string body) => type switch
    {
        nameof(AppointmentRescheduled) => Apply(series, Read<AppointmentRescheduled>(body)),
        nameof(CourseRescheduled) => Apply(series, Read<CourseRescheduled>(body)),
        nameof(CourseReassigned) => Apply(series, Read<CourseReassigned>(body)),
        nameof(AppointmentCancelled) => Apply(series, Read<AppointmentCancelled>(body)),
        nameof(CourseCancelled) => Apply(series, Read<CourseCancelled>(body)),
        nameof(CourseExtended) => Apply(series, Read<CourseExtended>(body)),
        _ => throw new InvalidOperationException($"No change of a series is known for a parked {type}."),
    };

    private static CalendarSeries Move(CalendarSeries series, int number, int sequence, DateTime localStart, DateTimeOffset startUtc) =>
        series.Apply(number, sequence, session => session with
        {
            LocalStart = LocalDateTime.FromDateTime(localStart), Start = Instant.FromDateTimeOffset(startUtc),
        });

    private static T Read<T>(string body) => System.Text.Json.JsonSerializer.Deserialize<T>(body, Dit.Platform.Messaging.MessageJson.Options)!;
}
