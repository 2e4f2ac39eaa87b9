namespace Dit.Notifications.Invites;

/// <summary>
/// Writes a course as one iCalendar series (design §5): a master VEVENT with
/// <c>RRULE:FREQ=WEEKLY;COUNT=16</c> (the course's length) from session 1, an EXDATE for every session the course no
/// longer has, and an override (RECURRENCE-ID) for every session it has — at its weekly time or
/// moved — so that each session's summary carries its number and DIT phase.
/// Ical.Net builds and serialises the events; three things stay ours: the VTIMEZONE (Ical.Net derives a zone's rules
/// from the current year, so an invite would change with the date it is written), the folding of long lines (Ical.Net
/// can split a character outside the Basic Multilingual Plane across two lines) and the absence of a byte-order mark.
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

        var calendar = new Ical.Net.Calendar { ProductId = "-//DIT Scheduling//Course invites//EN", Version = "2.0", Scale = "GREGORIAN", Method = method };
        var cancelled = Enumerable.Range(1, course.SessionsInCourse).Where(n => !byNumber.ContainsKey(n)).Select(Regular).ToList();
        calendar.Events.Add(Event(course, method, now, master, recurrenceId: null, session: null, cancelled));
        foreach (var session in course.Sessions.OrderBy(s => s.Number))
            calendar.Events.Add(Event(course, method, now, session.LocalStart, Regular(session.Number), session, []));

        // Ical.Net's lines, unfolded and folded again by CalendarText, with our VTIMEZONE before the first event.
        var lines = Unfold(new Ical.Net.Serialization.CalendarSerializer().SerializeToString(calendar)!.TrimStart('\uFEFF'));
        var firstEvent = lines.IndexOf("BEGIN:VEVENT");
        var text = new CalendarText();
        foreach (var line in lines[..firstEvent]) text.Line(line);
        TimeZoneComponent.Write(text, course.Zone,
            master.InZoneLeniently(course.Zone).ToInstant() - Duration.FromDays(366), last + Duration.FromDays(366));
        foreach (var line in lines[firstEvent..]) text.Line(line);
        return text.ToString();
    }

    private static Ical.Net.CalendarComponents.CalendarEvent Event(CourseCalendar course, string method, Instant now,
        LocalDateTime start, LocalDateTime? recurrenceId, CalendarSession? session, IReadOnlyList<LocalDateTime> cancelled)
    {
        var zone = course.Zone.Id;
        var calendarEvent = new Ical.Net.CalendarComponents.CalendarEvent
        {
            Uid = course.Uid,
            Sequence = course.Sequence,
            DtStamp = new Ical.Net.DataTypes.CalDateTime(now.ToDateTimeUtc(), "UTC"),
            DtStart = Local(start, zone),
            Duration = Ical.Net.DataTypes.Duration.FromMinutes(course.SessionMinutes),
            Summary = session is null
                ? $"Dynamic Interpersonal Therapy with {course.Clinic.Name}"
                : $"Dynamic Interpersonal Therapy, session {session.Number} of {course.SessionsInCourse} ({course.Phases.For(session.Number)} phase)",
            Description =
                $"Your course of {course.SessionsInCourse} weekly {course.SessionMinutes}-minute sessions of Dynamic Interpersonal Therapy. " +
                $"{course.Phases.Sentence(course.SessionsInCourse)}\n" +
                (course.JoinUrl is { } join ? $"Join each session by video at {join}\n" : "") +
                $"To change or cancel a session, contact {course.Clinic.Name} on {course.Clinic.Phone} or {course.Clinic.Email}.",
            Location = course.JoinUrl ?? course.Clinic.Location,
            Organizer = new Ical.Net.DataTypes.Organizer($"mailto:{course.Clinic.Email}") { CommonName = course.Clinic.Name },
            Status = method == "CANCEL" ? "CANCELLED" : "CONFIRMED",
            Transparency = "OPAQUE",
        };
        // A RECURRENCE-ID carries the zone of the DTSTART it replaces.
        if (recurrenceId is { } original) calendarEvent.RecurrenceIdentifier = new Ical.Net.DataTypes.RecurrenceIdentifier(Local(original, zone), null);
        else calendarEvent.RecurrenceRule = new Ical.Net.DataTypes.RecurrenceRule(Ical.Net.FrequencyType.Weekly) { Count = course.SessionsInCourse };
        if (cancelled.Count > 0) calendarEvent.ExceptionDates.AddRange(cancelled.Select(c => Local(c, zone)));
        if (course.PatientEmail is not null)
            calendarEvent.Attendees.Add(new Ical.Net.DataTypes.Attendee($"mailto:{course.PatientEmail}")
            {
                CommonName = course.PatientName, Role = "REQ-PARTICIPANT", ParticipationStatus = "NEEDS-ACTION", Rsvp = true,
            });
        if (course.JoinUrl is { } room)
        {
            calendarEvent.Url = new Uri(room);
            // RFC 7986 CONFERENCE: how to join, for calendars that show a "join" button.
            var conference = new Ical.Net.CalendarProperty("CONFERENCE", room);
            conference.Parameters.Add("VALUE", "URI");
            conference.Parameters.Add("FEATURE", "VIDEO");
            conference.Parameters.Add("LABEL", "Join the video session");
            calendarEvent.AddProperty(conference);
        }
        calendarEvent.Alarms.Add(new Ical.Net.CalendarComponents.Alarm
        {
            Action = "DISPLAY",
            Description = "Your therapy session starts in 1 hour",
            Trigger = new Ical.Net.DataTypes.Trigger(Ical.Net.DataTypes.Duration.FromHours(-1)),
        });
        return calendarEvent;
    }

    private static Ical.Net.DataTypes.CalDateTime Local(LocalDateTime local, string zone) =>
        new(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, zone);

    /// <summary>The content lines of a serialised calendar, each whole again (RFC 5545 §3.1 unfolding).</summary>
    private static List<string> Unfold(string serialised) =>
        [.. serialised.Replace("\r\n ", "").Replace("\r\n\t", "").Split("\r\n", StringSplitOptions.RemoveEmptyEntries)];
}
