using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

public sealed class CoordinatorOperationsTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    private static ReferralForBooking Referral(params AvailabilityWindow[] windows) =>
        new(Guid.NewGuid(), "referrer-1", windows, new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow);

    private static readonly AvailabilityWindow TuesdayEvening = new(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(21, 0));

    /// <summary>A scheduling service with one evening therapist, a coordinator and one booked Tuesday 17:00 course.</summary>
    private static async Task<(SchedulingApp App, HttpClient Coordinator, JsonObject Course)> BookedCourseAsync(string provider, IClock? clock = null,
        Dictionary<string, string?>? settings = null)
    {
        var app = await SchedulingApp.StartAsync(provider, clock, settings);
        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        var coordinator = await app.NewCoordinatorAsync();
        await app.Services.GetRequiredService<IBus>().Publish(Referral(TuesdayEvening));
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        var courseId = await app.ScalarAsync<string>("select id from courses");
        return (app, coordinator, (await coordinator.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}"))!);
    }

    private static string Id(JsonObject course, int session) => course["sessions"]![session - 1]!["id"]!.GetValue<string>();

    private static async Task<T> OutboxAsync<T>(SchedulingApp app)
    {
        await using var connection = await app.Database.OpenAsync();
        var body = await connection.QuerySingleAsync<string>("select body from outbox where message_type = @type", new { type = typeof(T).FullName });
        return JsonSerializer.Deserialize<T>(body, MessageJson.Options)!;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Moving_a_session_to_a_free_time_moves_it_and_announces_old_and_new_times(string provider)
    {
        var (app, coordinator, course) = await BookedCourseAsync(provider);
        await using var _ = app;

        var response = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 3)}/reschedule", new { start = "2027-03-16T19:00" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("2027-03-16T19:00", after["sessions"]![2]!["localStart"]!.GetValue<string>());
        Assert.Equal("2027-03-09T17:00", after["sessions"]![1]!["localStart"]!.GetValue<string>());
        Assert.Equal(1, after["sequence"]!.GetValue<int>());
        var moved = await OutboxAsync<AppointmentRescheduled>(app);
        Assert.Equal(3, moved.SessionNumber);
        Assert.Equal(new DateTime(2027, 3, 16, 17, 0, 0), moved.OldLocalStart);
        Assert.Equal(new DateTime(2027, 3, 16, 19, 0, 0), moved.NewLocalStart);
        Assert.Equal(1, moved.Sequence);
        // Who moved it (issue 21's actor seam): the coordinator whose key made the request.
        Assert.Equal(new Actor("coordinator", await app.ScalarAsync<string>("select id from coordinators")), moved.By);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Moving_a_session_into_a_taken_slot_is_409_and_changes_nothing(string provider)
    {
        var (app, coordinator, course) = await BookedCourseAsync(provider);
        await using var _ = app;
        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(Referral(new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0))));
        Assert.Equal(32, await app.WaitForCountAsync("select count(*) from appointments", 32));

        var response = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 3)}/reschedule", new { start = "2027-03-16T18:00" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("another session", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        var unchanged = (await coordinator.GetFromJsonAsync<JsonObject>($"/api/courses/{course["id"]}"))!;
        Assert.Equal(course["sessions"]!.ToJsonString(), unchanged["sessions"]!.ToJsonString());
        Assert.Equal(0, unchanged["sequence"]!.GetValue<int>());
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from outbox where message_type = 'Dit.Contracts.AppointmentRescheduled'"));
    }

    [Theory]
    [InlineData("sqlite", "2027-03-16T07:00", false, HttpStatusCode.BadRequest)]     // outside the patient's windows
    [InlineData("sqlite", "2027-03-16T16:00", true, HttpStatusCode.OK)]              // outside them, but overridden
    [InlineData("sqlite", "2027-03-16T22:30", true, HttpStatusCode.BadRequest)]      // not on the hour
    [InlineData("sqlite", "2027-03-16T06:00", true, HttpStatusCode.BadRequest)]      // before 07:00
    [InlineData("sqlite", "2027-03-16T12:00", true, HttpStatusCode.Conflict)]        // the therapist does not work then
    [InlineData("sqlite", "2020-03-16T18:00", true, HttpStatusCode.BadRequest)]      // the past
    [InlineData("sqlite", "16/03/2027 18:00", true, HttpStatusCode.BadRequest)]
    [InlineData("postgres", "2027-03-16T07:00", false, HttpStatusCode.BadRequest)]
    [InlineData("postgres", "2027-03-16T16:00", true, HttpStatusCode.OK)]
    public async Task A_move_is_checked_against_the_hours_the_grid_and_the_patients_windows(string provider, string start, bool overrideWindows, HttpStatusCode expected)
    {
        var (app, coordinator, course) = await BookedCourseAsync(provider);
        await using var _ = app;

        var response = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 3)}/reschedule", new { start, overrideWindows });

        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK) Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task This_and_all_following_sessions_move_to_a_new_weekly_slot_as_one_change(string provider)
    {
        var (app, coordinator, course) = await BookedCourseAsync(provider);
        await using var _ = app;

        var response = await coordinator.PostAsJsonAsync($"/api/courses/{course["id"]}/reschedule-following",
            new { fromSession = 5, start = "2027-03-30T20:00" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var starts = after["sessions"]!.AsArray().Select(s => s!["localStart"]!.GetValue<string>()).ToList();
        Assert.All(starts.Take(4), s => Assert.EndsWith("T17:00", s));
        Assert.All(starts.Skip(4), s => Assert.EndsWith("T20:00", s));
        Assert.Equal("2027-03-30T20:00", starts[4]);
        Assert.Equal("2027-06-15T20:00", starts[15]);
        var rescheduled = await OutboxAsync<CourseRescheduled>(app);
        Assert.Equal(Enumerable.Range(5, 12), rescheduled.Moves.Select(m => m.SessionNumber));
        Assert.Equal(new TimeOnly(20, 0), rescheduled.LocalTime);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Alternatives_are_free_times_with_the_same_therapist_same_week_first(string provider)
    {
        var (app, coordinator, course) = await BookedCourseAsync(provider);
        await using var _ = app;

        var alternatives = (await coordinator.GetFromJsonAsync<JsonArray>($"/api/appointments/{Id(course, 3)}/alternatives"))!;

        Assert.NotEmpty(alternatives);
        Assert.True(alternatives[0]!["sameWeek"]!.GetValue<bool>());
        Assert.Equal("2027-03-16T18:00", alternatives[0]!["localStart"]!.GetValue<string>());
        var taken = course["sessions"]!.AsArray().Select(s => s!["localStart"]!.GetValue<string>()).ToHashSet();
        Assert.DoesNotContain(alternatives, a => taken.Contains(a!["localStart"]!.GetValue<string>()));
        Assert.All(alternatives, a => Assert.Equal(IsoDayOfWeek.Tuesday,
            NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm").Parse(a!["localStart"]!.GetValue<string>()).Value.DayOfWeek));
        var sameWeek = alternatives.TakeWhile(a => a!["sameWeek"]!.GetValue<bool>()).Count();
        Assert.All(alternatives.Skip(sameWeek), a => Assert.False(a!["sameWeek"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Cancelling_a_session_or_the_course_announces_it_and_frees_the_time(string provider)
    {
        var (app, coordinator, course) = await BookedCourseAsync(provider);
        await using var _ = app;

        var noReason = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 2)}/cancel", new { by = "someone" });
        var one = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 2)}/cancel", new { by = "patient" });
        var again = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 2)}/cancel", new { by = "patient" });
        var all = await coordinator.PostAsJsonAsync($"/api/courses/{course["id"]}/cancel", new { reason = "Patient started other treatment" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var cancelledSession = await OutboxAsync<AppointmentCancelled>(app);
        Assert.Equal((2, "patient", 1), (cancelledSession.SessionNumber, cancelledSession.CancelledBy, cancelledSession.Sequence));
        var cancelledCourse = await OutboxAsync<CourseCancelled>(app);
        Assert.Equal(2, cancelledCourse.Sequence);
        var coordinatorId = await app.ScalarAsync<string>("select id from coordinators");
        Assert.Equal((new Actor("coordinator", coordinatorId), new Actor("coordinator", coordinatorId)), (cancelledSession.By, cancelledCourse.By));
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from appointments where status = 'booked'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Cancelling_a_course_after_three_sessions_cancels_the_13_to_come_and_keeps_the_held_ones_with_their_attendance(string provider)
    {
        var clock = new SettableClock(SchedulingApp.DefaultNow);
        var (app, coordinator, course) = await BookedCourseAsync(provider, clock);
        await using var _ = app;
        clock.Set(Instant.FromUtc(2027, 3, 17, 9, 0));   // after sessions 1–3 (Tuesdays 2, 9 and 16 March, 17:00)
        await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 1)}/attendance", new { outcome = "attended" });
        await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 2)}/attendance", new { outcome = "dna" });

        var cancel = await coordinator.PostAsJsonAsync($"/api/courses/{course["id"]}/cancel", new { reason = "Patient moved away" });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(Enumerable.Range(4, 13), (await OutboxAsync<CourseCancelled>(app)).CancelledSessions);
        await using var connection = await app.Database.OpenAsync();
        var sessions = (await connection.QueryAsync<(long Number, string Status, string? Attendance)>(
            "select session_number, status, attendance from appointments order by session_number")).ToList();
        Assert.Equal([(1L, "booked", "attended"), (2L, "booked", "dna"), (3L, "booked", null)], sessions.Take(3).Select(s => (s.Number, s.Status, s.Attendance)));
        Assert.All(sessions.Skip(3), s => Assert.Equal("cancelled", s.Status));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Attendance_is_recorded_after_a_session_starts_and_two_DNAs_flag_the_course(string provider)
    {
        var clock = new SettableClock(Instant.FromUtc(2026, 11, 22, 9, 0));
        var (app, coordinator, course) = await BookedCourseAsync(provider, clock);
        await using var _ = app;

        var tooEarly = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 1)}/attendance", new { outcome = "dna" });
        clock.Set(Instant.FromUtc(2027, 3, 17, 9, 0));   // after sessions 1 and 2
        var first = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 1)}/attendance", new { outcome = "dna" });
        var flaggedAfterOne = (await first.Content.ReadFromJsonAsync<JsonObject>())!["flaggedForReview"]!.GetValue<bool>();
        var second = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 2)}/attendance", new { outcome = "dna" });
        var badOutcome = await coordinator.PostAsJsonAsync($"/api/appointments/{Id(course, 2)}/attendance", new { outcome = "maybe" });

        Assert.Equal(HttpStatusCode.BadRequest, tooEarly.StatusCode);
        Assert.False(flaggedAfterOne);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonObject>())!["flaggedForReview"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, badOutcome.StatusCode);
        var flagged = (await coordinator.GetFromJsonAsync<JsonArray>("/api/courses/flagged"))!;
        Assert.Equal(course["id"]!.GetValue<string>(), Assert.Single(flagged)!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task With_no_capacity_a_referral_waits_and_is_booked_by_itself_when_a_course_is_cancelled(string provider)
    {
        // A four-week horizon: the only Tuesday 17:00 is taken for 16 weeks.
        var (app, coordinator, course) = await BookedCourseAsync(provider, settings: new() { ["Scheduling:Booking:HorizonWeeks"] = "4" });
        await using var _ = app;
        var waiting = Referral(new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(18, 0)));
        await app.Services.GetRequiredService<IBus>().Publish(waiting);
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from waitlist", 1));

        var list = (await coordinator.GetFromJsonAsync<JsonArray>("/api/waitlist"))!;
        await coordinator.PostAsJsonAsync($"/api/courses/{course["id"]}/cancel", new { reason = "Patient withdrew" });

        Assert.Equal(1, list.Single()!["position"]!.GetValue<int>());
        Assert.Equal(waiting.ReferralId.ToString(), list.Single()!["referralId"]!.GetValue<string>());
        // The first course ends on 15 June 2027: a year's search finds the Tuesday after.
        Assert.Contains("fully booked for the next 4 weeks; the first course free would start on 22 June 2027", list.Single()!["reason"]!.GetValue<string>());
        Assert.Equal(SchedulingApp.DefaultNow.ToDateTimeOffset(), list.Single()!["lastTried"]!.GetValue<DateTimeOffset>());
        Assert.Equal(16, await app.WaitForCountAsync(
            "select count(*) from appointments a join courses c on c.id = a.course_id where c.referral_id = @id and a.status = 'booked'", 16,
            new { id = waiting.ReferralId.ToString() }));
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from waitlist"));
        Assert.Equal(1, await app.ScalarAsync<long>("select count(*) from outbox where message_type = 'Dit.Contracts.CourseWaitlisted'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Reassigning_a_course_from_session_5_gives_the_later_sessions_to_another_therapist_at_the_nearest_free_time_all_at_once(string provider)
    {
        var (app, coordinator, course) = await BookedCourseAsync(provider);
        await using var _ = app;
        var late = await app.AddTherapistAsync("Late", new(18, 0), new(23, 0));   // free from 18:00 only: the patient's 17:00 moves to 18:00

        var badSession = await coordinator.PostAsJsonAsync($"/api/courses/{course["id"]}/reassign", new { fromSession = 0 });
        var unknown = await coordinator.PostAsJsonAsync($"/api/courses/{course["id"]}/reassign", new { fromSession = 5, therapistId = Guid.NewGuid() });
        var response = await coordinator.PostAsJsonAsync($"/api/courses/{course["id"]}/reassign", new { fromSession = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, badSession.StatusCode);
        Assert.Equal("therapistId", Assert.Single((await unknown.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject()).Key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Late", after["therapist"]!.GetValue<string>());
        var starts = after["sessions"]!.AsArray().Select(s => s!["localStart"]!.GetValue<string>()).ToList();
        Assert.All(starts.Take(4), s => Assert.EndsWith("T17:00", s));
        Assert.All(starts.Skip(4), s => Assert.EndsWith("T18:00", s));
        Assert.Equal(12, await app.ScalarAsync<long>("select count(*) from appointments where therapist_id = @late", new { late = late.ToString() }));
        var reassigned = await OutboxAsync<CourseReassigned>(app);
        Assert.Equal((5, "Late", 12), (reassigned.FromSession, reassigned.TherapistName, reassigned.Sessions.Count));
        Assert.Equal(1, await app.ScalarAsync<long>("select count(*) from outbox where message_type = 'Dit.Contracts.CourseReassigned'"));
    }
}
