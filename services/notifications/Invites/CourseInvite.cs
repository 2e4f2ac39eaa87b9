using NodaTime;

namespace Dit.Notifications.Invites;

/// <summary>A session as the calendar shows it: its number, wall-clock start in the course's zone, and its instant.</summary>
public sealed record CalendarSession(int Number, LocalDateTime LocalStart, Instant Start);

/// <summary>
/// Everything a course's calendar object says. <see cref="Anchor"/>: the series' first session, cancelled or not, which
/// places the weekly series when no session is left (every one then an EXDATE: a valid calendar with no instances).
/// </summary>
public sealed record CourseCalendar(
    string Uid,
    int Sequence,
    DateTimeZone Zone,
    int SessionsInCourse,
    int SessionMinutes,
    IReadOnlyList<CalendarSession> Sessions,
    string PatientName,
    string? PatientEmail,
    ClinicDetails Clinic,
    CalendarSession? Anchor = null);

/// <summary>
/// Writes a course as one iCalendar series (design §5): a master VEVENT with
/// <c>RRULE:FREQ=WEEKLY;COUNT=16</c> from session 1, an EXDATE for every session the course no
/// longer has, and an override (RECURRENCE-ID) for every session it has — at its weekly time or
/// moved — so that each session's summary carries its number and DIT phase.
/// </summary>
public static class CourseInvite
{
    public static string Write(CourseCalendar course, string method, Instant now)
    {
        var first = course.Sessions.MinBy(s => s.Number) ?? course.Anchor
            ?? throw new ArgumentException("A course with no sessions left needs its anchor.", nameof(course));
        // The weekly time of session n is session 1's local time n-1 weeks later.
        LocalDateTime Regular(int number) => first.LocalStart.PlusWeeks(number - 1 - (first.Number - 1));
        var master = Regular(1);
        var byNumber = course.Sessions.ToDictionary(s => s.Number);
        var last = course.Sessions.Count > 0 ? course.Sessions.Max(s => s.Start) : first.Start;

        var calendar = new CalendarText()
            .Line("BEGIN", "VCALENDAR")
            .Line("PRODID", "-//DIT Scheduling//Course invites//EN")
            .Line("VERSION", "2.0")
            .Line("CALSCALE", "GREGORIAN")
            .Line("METHOD", method);
        TimeZoneComponent.Write(calendar, course.Zone,
            master.InZoneLeniently(course.Zone).ToInstant() - Duration.FromDays(366), last + Duration.FromDays(366));

        var cancelled = Enumerable.Range(1, course.SessionsInCourse).Where(n => !byNumber.ContainsKey(n)).Select(Regular).ToList();
        WriteEvent(calendar, course, method, now, master, recurrenceId: null, session: null, cancelled);
        foreach (var session in course.Sessions.OrderBy(s => s.Number))
            WriteEvent(calendar, course, method, now, session.LocalStart, Regular(session.Number), session, []);
        return calendar.Line("END", "VCALENDAR").ToString();
    }

    private static void WriteEvent(CalendarText calendar, CourseCalendar course, string method, Instant now,
        LocalDateTime start, LocalDateTime? recurrenceId, CalendarSession? session, IReadOnlyList<LocalDateTime> cancelled)
    {
        var tz = $";TZID={course.Zone.Id}";
        calendar.Line("BEGIN", "VEVENT")
            .Line("UID", course.Uid)
            .Line("SEQUENCE", course.Sequence.ToString())
            .Line("DTSTAMP", now.InUtc().LocalDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", null));
        if (recurrenceId is { } original) calendar.Line("RECURRENCE-ID" + tz, TimeZoneComponent.Format(original));
        calendar.Line("DTSTART" + tz, TimeZoneComponent.Format(start))
            .Line("DURATION", $"PT{course.SessionMinutes}M");
        if (recurrenceId is null) calendar.Line("RRULE", $"FREQ=WEEKLY;COUNT={course.SessionsInCourse}");
        if (cancelled.Count > 0) calendar.Line("EXDATE" + tz, string.Join(",", cancelled.Select(TimeZoneComponent.Format)));
        calendar.TextLine("SUMMARY", session is null
                ? $"Dynamic Interpersonal Therapy with {course.Clinic.Name}"
                : $"Dynamic Interpersonal Therapy, session {session.Number} of {course.SessionsInCourse} ({Phase(session.Number)} phase)")
            .TextLine("DESCRIPTION",
                $"Your course of {course.SessionsInCourse} weekly {course.SessionMinutes}-minute sessions of Dynamic Interpersonal Therapy. " +
                "Sessions 1–4 are the initial phase, 5–12 the middle phase and 13–16 the ending phase.\n" +
                $"To change or cancel a session, contact {course.Clinic.Name} on {course.Clinic.Phone} or {course.Clinic.Email}.")
            .TextLine("LOCATION", course.Clinic.Location)
            .Line($"ORGANIZER;CN={CalendarText.ParameterValue(course.Clinic.Name)}", $"mailto:{course.Clinic.Email}");
        if (course.PatientEmail is not null)
            calendar.Line($"ATTENDEE;CN={CalendarText.ParameterValue(course.PatientName)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE",
                $"mailto:{course.PatientEmail}");
        calendar
            .Line("STATUS", method == "CANCEL" ? "CANCELLED" : "CONFIRMED")
            .Line("TRANSP", "OPAQUE")
            .Line("BEGIN", "VALARM")
            .Line("ACTION", "DISPLAY")
            .TextLine("DESCRIPTION", "Your therapy session starts in 1 hour")
            .Line("TRIGGER", "-PT1H")
            .Line("END", "VALARM")
            .Line("END", "VEVENT");
    }

    public static string Phase(int sessionNumber) => sessionNumber switch
    {
        <= 4 => "initial",
        <= 12 => "middle",
        _ => "ending",
    };
}
