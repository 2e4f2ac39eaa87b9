using Dit.Contracts;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Notifications.Tests;

public sealed class InviteMailTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_booked_course_sends_the_patient_one_invite_with_a_calendar_request(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var booked = await app.BookTestCourseAsync();
        // The same booking again under another message id (a re-sent event) must not invite twice.
        await bus.Publish(booked, context => context.MessageId = NewId.NextGuid());

        await app.WaitForMailsAsync(1);
        await Task.Delay(1000);
        var mail = Assert.Single(await app.WaitForMailsAsync(1));
        Assert.Contains("To: alex@example.org", mail);
        var (top, parts) = MimeMessage.Parse(mail);
        Assert.Equal("multipart/mixed", top);
        Assert.Equal(["text/plain", "text/html", "text/calendar", "application/ics"], parts.Select(p => p.ContentType));
        var calendarPart = parts[2];
        Assert.Equal("REQUEST", calendarPart.Parameters["method"]);
        Assert.Equal(calendarPart.Body, parts[3].Body);
        Assert.Contains("Session 16: Tuesday 15 June 2027, 18:00", parts[0].Body);
        var reading = await IcsParsers.ExpectOccurrencesAsync(calendarPart.Body,
            booked.Sessions.Select(s => s.StartUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        Assert.Equal("REQUEST", reading.Method);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_courses_video_room_is_in_the_invite_and_its_mail_and_a_cancelled_course_no_longer_points_at_it(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        const string room = "https://video.example.nhs.uk/dit/kq0bW1x3T4yZ8pLmN2vC5rD7eF9gH6jK0aS3dQ1wE4t";
        var referralId = Guid.NewGuid();
        var booked = TestCourse.Booked(referralId) with { JoinUrl = room };
        await bus.Publish(TestCourse.Accepted(referralId));
        await bus.Publish(booked);

        var invite = MimeMessage.Parse(Assert.Single(await app.WaitForMailsAsync(1))).Parts;
        Assert.Contains($"Join each session by video at {room}", invite[0].Body);
        Assert.Contains($"href=\"{room}\"", invite[1].Body);
        var reading = await PythonIcalendar.ReadAsync(invite[2].Body);
        Assert.All(reading.Events, e => Assert.Equal((room, room, room), (e.Location, e.Url, e.Conference)));

        await bus.Publish(new CourseCancelled(booked.CourseId, referralId, "The referral was withdrawn", 1, DateTimeOffset.UtcNow));
        var cancellation = (await app.WaitForMailsAsync(2)).Select(m => MimeMessage.Parse(m).Parts).Single(p => p[2].Parameters["method"] == "CANCEL");
        Assert.All((await PythonIcalendar.ReadAsync(cancellation[2].Body)).Events, e => Assert.Equal((null, null), (e.Url, e.Conference)));
        Assert.DoesNotContain(room, cancellation[2].Body.Replace("\r\n ", ""));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_booking_that_arrives_before_the_contact_details_is_still_sent_once_they_arrive(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var referralId = Guid.NewGuid();

        await bus.Publish(TestCourse.Booked(referralId));
        await Task.Delay(300);
        await bus.Publish(TestCourse.Accepted(referralId));

        Assert.Single(await app.WaitForMailsAsync(1));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Without_email_consent_no_mail_is_sent(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var withoutConsent = Guid.NewGuid();
        var withConsent = Guid.NewGuid();

        await bus.Publish(TestCourse.Accepted(withoutConsent, email: false));
        await bus.Publish(TestCourse.Booked(withoutConsent));
        await bus.Publish(TestCourse.Accepted(withConsent));
        await bus.Publish(TestCourse.Booked(withConsent));

        await app.WaitForMailsAsync(1);
        await Task.Delay(1000);
        Assert.Single(await app.WaitForMailsAsync(1));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_cancelled_course_sends_a_CANCEL_of_the_same_series_with_a_higher_sequence(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var booked = await app.BookTestCourseAsync();
        var referralId = booked.ReferralId;
        var invite = Assert.Single(await app.WaitForMailsAsync(1));

        await bus.Publish(new CourseCancelled(booked.CourseId, referralId, "The referral was withdrawn", 1, DateTimeOffset.UtcNow));

        var mails = await app.WaitForMailsAsync(2);
        Assert.Equal(2, mails.Length);
        var cancellation = mails.Single(m => m != invite);
        var calendar = MimeMessage.Parse(cancellation).Parts.Single(p => p.ContentType == "text/calendar");
        Assert.Equal("CANCEL", calendar.Parameters["method"]);
        var inviteReading = await PythonIcalendar.ReadAsync(MimeMessage.Parse(invite).Parts.Single(p => p.ContentType == "text/calendar").Body);
        var reading = await IcsParsers.ExpectOccurrencesAsync(calendar.Body,
            booked.Sessions.Select(s => s.StartUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        Assert.Equal("CANCEL", reading.Method);
        Assert.Equal(inviteReading.Events[0].Uid, reading.Events[0].Uid);
        Assert.Equal(0, inviteReading.Events[0].Sequence);
        Assert.Equal(1, reading.Events[0].Sequence);
        Assert.Equal(inviteReading.ViaVtimezone, reading.ViaVtimezone);
        Assert.Contains("STATUS:CANCELLED", calendar.Body);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_course_cancelled_after_three_sessions_keeps_those_three_in_the_calendar_and_drops_the_13_to_come(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var booked = await app.BookTestCourseAsync();
        var invite = Assert.Single(await app.WaitForMailsAsync(1));

        await bus.Publish(new CourseCancelled(booked.CourseId, booked.ReferralId, "Patient moved away", 1, DateTimeOffset.UtcNow)
        {
            CancelledSessions = Enumerable.Range(4, 13).ToList(),
        });

        var update = MimeMessage.Parse((await app.WaitForMailsAsync(2)).Single(m => m != invite));
        var calendar = update.Parts.Single(p => p.ContentType == "text/calendar");
        Assert.Equal("REQUEST", calendar.Parameters["method"]);
        Assert.Contains("the 3 you have had stay in it", update.Parts[0].Body);
        var reading = await IcsParsers.ExpectOccurrencesAsync(calendar.Body,
            booked.Sessions.Take(3).Select(s => s.StartUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        Assert.Equal(1, reading.Events[0].Sequence);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Cancelling_all_16_sessions_one_by_one_ends_with_one_CANCEL_and_nothing_in_an_error_queue(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var booked = await app.BookTestCourseAsync();
        var invite = Assert.Single(await app.WaitForMailsAsync(1));

        foreach (var session in booked.Sessions)
            await bus.Publish(new AppointmentCancelled(booked.CourseId, booked.ReferralId, session.AppointmentId, session.SessionNumber,
                session.LocalStart, session.StartUtc, "patient", session.SessionNumber, DateTimeOffset.UtcNow));

        var mails = await app.WaitForMailsAsync(17);
        Assert.Equal(17, mails.Length);
        var methods = mails.Where(m => m != invite).Select(m => MimeMessage.Parse(m).Parts.Single(p => p.ContentType == "text/calendar").Parameters["method"]).ToList();
        Assert.Equal(15, methods.Count(m => m == "REQUEST"));
        Assert.Equal(1, methods.Count(m => m == "CANCEL"));
        await Task.Delay(1000);
        Assert.Equal(17, (await app.WaitForMailsAsync(17)).Length);   // nothing more, and nothing retried into a second CANCEL
        Assert.Equal(16, await app.CountAsync("select count(*) from inbox where consumer = 'SendSessionCancelled'"));
        Assert.Equal(1, await app.CountAsync("select count(*) from calendar_series where course_id = @id and status = 'cancelled'",
            new { id = booked.CourseId.ToString() }));

        // The private feed still serves a calendar both parsers read: the series with no session left.
        var token = System.Text.RegularExpressions.Regex.Match(MimeMessage.Parse(invite).Parts[0].Body, @"/calendar/([A-Za-z0-9_-]+)\.ics").Groups[1].Value;
        var feed = await app.CreateClient().GetStringAsync($"/calendar/{token}.ics");
        var reading = await IcsParsers.ExpectOccurrencesAsync(feed, []);
        Assert.Equal($"dit-course-{booked.CourseId}@dit-scheduling", Assert.Single(reading.Events).Uid);
    }
}
