using Dit.Notifications.Invites;
using Dit.Testing;
using NodaTime;

namespace Dit.Notifications.Tests;

public sealed class CourseInviteTests
{
    private static readonly ClinicDetails Clinic = new() { Name = "DIT Clinic, North", Email = "clinic@example.nhs.uk", Phone = "0300 000 0000", Location = "Online" };
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 22, 9, 0);

    /// <summary>16 Tuesdays at <paramref name="time"/> in <paramref name="zone"/> from <paramref name="first"/>.</summary>
    private static List<CalendarSession> WeeklySessions(LocalDate first, LocalTime time, DateTimeZone zone) =>
        Enumerable.Range(0, 16).Select(w =>
        {
            var local = first.PlusWeeks(w).At(time);
            return new CalendarSession(w + 1, local, local.InZoneStrictly(zone).ToInstant());
        }).ToList();

    private static CourseCalendar Course(IReadOnlyList<CalendarSession> sessions, DateTimeZone zone, int sequence = 0) =>
        new("dit-course-1@dit-scheduling", sequence, zone, 16, 50, Dit.Contracts.CoursePhases.Standard, sessions, "Siân O'Brien, Jr", "sian@example.org", Clinic);

    [Fact]
    public async Task The_courses_video_room_is_the_location_URL_and_conference_of_every_event_in_all_three_parsers()
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var sessions = WeeklySessions(new LocalDate(2027, 3, 2), new LocalTime(18, 0), london);
        const string room = "https://video.example.nhs.uk/dit/rooms/Xq3vR0b8YpKf2mWnT7hLcA9sDe4GjU1oZiNyBwHkMtQ";   // long enough to fold
        var ics = CourseInvite.Write(Course(sessions, london) with { JoinUrl = room }, "REQUEST", Now);

        var python = await IcsParsers.ExpectOccurrencesAsync(ics, sessions.Select(s => Utc(s.Start)));
        var icalJs = await IcalJs.ReadAsync(ics);
        foreach (var (parser, events) in new[] { ("Python icalendar", python.Events), ("ical.js", icalJs.Events) })
        {
            Assert.Equal(17, events.Count);   // the master and its 16 sessions
            Assert.All(events, e => Assert.Equal((room, room, room), (e.Location, e.Url, e.Conference)));
        }
        var icalNet = Ical.Net.Calendar.Load(ics)!.Events;
        Assert.All(icalNet, e => Assert.Equal((room, room, room),
            (e.Location, e.Url?.ToString(), e.Properties["CONFERENCE"]?.Value?.ToString())));
        var unfolded = ics.Replace("\r\n ", "");
        var conference = unfolded.Split("\r\n").First(l => l.StartsWith("CONFERENCE;"));
        Assert.True(conference.Contains("VALUE=URI") && conference.Contains("FEATURE=VIDEO") && conference.EndsWith(":" + room), conference);
        Assert.Contains($"Join each session by video at {room}", unfolded.Replace("\\n", "\n"));

        // No video platform set: the clinic's words, and no URL or CONFERENCE.
        var without = await PythonIcalendar.ReadAsync(CourseInvite.Write(Course(sessions, london), "REQUEST", Now));
        Assert.All(without.Events, e => Assert.Equal(("Online", null, null), (e.Location, e.Url, e.Conference)));
    }

    private static string Utc(Instant instant) => instant.InUtc().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", null);

    [Fact]
    public async Task A_course_across_the_March_clock_change_expands_to_exactly_the_booked_instants_in_Python_icalendar()
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var sessions = WeeklySessions(new LocalDate(2027, 3, 2), new LocalTime(18, 0), london);

        var booked = sessions.Select(s => Utc(s.Start)).ToList();
        var reading = await IcsParsers.ExpectOccurrencesAsync(CourseInvite.Write(Course(sessions, london), "REQUEST", Now), booked);

        Assert.Equal("REQUEST", reading.Method);
        Assert.Contains("2027-03-23T18:00:00Z", reading.ViaVtimezone);   // GMT
        Assert.Contains("2027-03-30T17:00:00Z", reading.ViaVtimezone);   // BST
        Assert.Equal(17, reading.Events.Count);   // the master and one override per session, each naming its session
        Assert.Equal(1, reading.Events.Count(e => !e.RecurrenceId));
    }

    [Fact]
    public async Task A_course_across_the_October_clock_change_in_another_zone_expands_to_the_booked_instants()
    {
        var newYork = DateTimeZoneProviders.Tzdb["America/New_York"];
        var sessions = WeeklySessions(new LocalDate(2027, 10, 5), new LocalTime(12, 0), newYork);

        var reading = await IcsParsers.ExpectOccurrencesAsync(CourseInvite.Write(Course(sessions, newYork), "REQUEST", Now),
            sessions.Select(s => Utc(s.Start)));

        Assert.Equal(17, reading.Events.Count);
    }

    [Fact]
    public async Task A_moved_session_is_an_override_and_a_missing_one_an_exception_of_the_same_series()
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var sessions = WeeklySessions(new LocalDate(2027, 3, 2), new LocalTime(18, 0), london);
        var moved = new LocalDateTime(2027, 3, 18, 9, 0);   // session 3 to Thursday 09:00
        sessions[2] = new CalendarSession(3, moved, moved.InZoneStrictly(london).ToInstant());
        sessions.RemoveAt(9);                                // session 10 cancelled

        var reading = await IcsParsers.ExpectOccurrencesAsync(CourseInvite.Write(Course(sessions, london, sequence: 2), "REQUEST", Now),
            sessions.Select(s => Utc(s.Start)));

        Assert.Equal(15, reading.ViaVtimezone.Count);
        Assert.Contains("2027-03-18T09:00:00Z", reading.ViaVtimezone);
        Assert.All(reading.Events, e => Assert.Equal("dit-course-1@dit-scheduling", e.Uid));
        Assert.All(reading.Events, e => Assert.Equal(2, e.Sequence));
        Assert.Equal([false, .. Enumerable.Repeat(true, 15)], reading.Events.Select(e => e.RecurrenceId));
    }

    [Fact]
    public void The_invite_holds_what_calendar_clients_need()
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var ics = CourseInvite.Write(Course(WeeklySessions(new LocalDate(2027, 3, 2), new LocalTime(18, 0), london), london), "REQUEST", Now);
        var unfolded = ics.Replace("\r\n ", "");

        Assert.Contains("METHOD:REQUEST\r\n", unfolded);
        Assert.Contains("DTSTART;TZID=Europe/London:20270302T180000\r\n", unfolded);
        Assert.Contains("RRULE:FREQ=WEEKLY;COUNT=16\r\n", unfolded);
        Assert.Contains("DURATION:PT50M\r\n", unfolded);
        Assert.Contains("DTSTAMP:20261122T090000Z\r\n", unfolded);
        Assert.Contains("BEGIN:DAYLIGHT\r\n", unfolded);
        Assert.Contains("BEGIN:STANDARD\r\n", unfolded);
        Assert.Contains("ORGANIZER;CN=\"DIT Clinic, North\":mailto:clinic@example.nhs.uk\r\n", unfolded);
        Assert.Contains("RSVP=TRUE:mailto:sian@example.org\r\n", unfolded);
        Assert.Contains("BEGIN:VALARM\r\n", unfolded);
        Assert.Contains("SUMMARY:Dynamic Interpersonal Therapy\\, session 1 of 16 (initial phase)\r\n", unfolded);
        Assert.Contains("SUMMARY:Dynamic Interpersonal Therapy\\, session 8 of 16 (middle phase)\r\n", unfolded);
        Assert.Contains("SUMMARY:Dynamic Interpersonal Therapy\\, session 16 of 16 (ending phase)\r\n", unfolded);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", ""));
    }

    [Fact]
    public async Task Characters_outside_the_basic_plane_are_never_split_by_folding_and_the_invite_still_reads_whole()
    {
        // Every position of a four-byte character against the 75-octet fold: names and places of any length.
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var sessions = WeeklySessions(new LocalDate(2027, 3, 2), new LocalTime(18, 0), london);
        for (var pad = 0; pad < 8; pad++)
        {
            var clinic = new ClinicDetails
            {
                Name = new string('x', pad) + " 🌻 Clinic 🌻 for 🌻 Talking 🌻 Therapies 🌻 North 🌻 and 🌻 South 🌻", Email = "clinic@example.nhs.uk",
                Phone = "0300 000 0000", Location = new string('y', pad) + " Online 🎧 video 🎧 session 🎧 with 🎧 your 🎧 therapist 🎧 link 🎧 sent 🎧 before",
            };
            var course = new CourseCalendar("dit-course-1@dit-scheduling", 0, london, 16, 50, Dit.Contracts.CoursePhases.Standard, sessions, $"Siân {new string('z', pad)} 🌻 O'Brien", "sian@example.org", clinic);

            var ics = CourseInvite.Write(course, "REQUEST", Now);

            Assert.False(ics.StartsWith('\uFEFF'), "a byte-order mark");
            foreach (var line in ics.Split("\r\n"))
            {
                Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, $"over 75 octets: {line}");
                Assert.True(System.Text.Rune.DecodeFromUtf16(line, out _, out _) != System.Buffers.OperationStatus.InvalidData
                    && !char.IsHighSurrogate(line.Length > 0 ? line[^1] : 'a') && !char.IsLowSurrogate(line.Length > 0 ? line[0] : 'a'),
                    $"a character split across lines: {line}");
            }
            Assert.Contains($"ORGANIZER;CN={course.Clinic.Name}:mailto:", ics.Replace("\r\n ", ""));
            Assert.Contains(CalendarText.Escape(clinic.Location), ics.Replace("\r\n ", ""));
        }
        await IcsParsers.ExpectOccurrencesAsync(CourseInvite.Write(Course(sessions, london), "REQUEST", Now), sessions.Select(s => Utc(s.Start)));
    }
}
