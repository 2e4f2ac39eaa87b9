using Dit.Contracts;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Notifications.Tests;

public sealed class CourseChangeTests
{
    private static string Utc(DateTimeOffset start) => start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task After_each_move_and_cancellation_the_patients_calendar_holds_exactly_the_scheduled_sessions(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var booked = await app.BookTestCourseAsync();
        var referralId = booked.ReferralId;
        await app.WaitForMailsAsync(1);
        var expected = booked.Sessions.ToDictionary(s => s.SessionNumber, s => s.StartUtc);

        var moved3 = TestCourse.Move(booked.Sessions[2], new LocalDateTime(2027, 3, 18, 9, 0));
        await bus.Publish(new AppointmentRescheduled(booked.CourseId, referralId, moved3.AppointmentId, 3, moved3.OldLocalStart, moved3.OldStartUtc,
            moved3.NewLocalStart, moved3.NewStartUtc, 1, DateTimeOffset.UtcNow));
        expected[3] = moved3.NewStartUtc;
        await app.WaitForMailsAsync(2);

        var following = booked.Sessions.Skip(9).Select(s => TestCourse.Move(s, LocalDateTime.FromDateTime(s.LocalStart).PlusDays(2).PlusHours(1))).ToList();
        await bus.Publish(new CourseRescheduled(booked.CourseId, referralId, DayOfWeek.Thursday, new TimeOnly(19, 0), following, 2, DateTimeOffset.UtcNow));
        foreach (var move in following) expected[move.SessionNumber] = move.NewStartUtc;
        await app.WaitForMailsAsync(3);

        await bus.Publish(new AppointmentCancelled(booked.CourseId, referralId, booked.Sessions[4].AppointmentId, 5,
            booked.Sessions[4].LocalStart, booked.Sessions[4].StartUtc, "patient", 3, DateTimeOffset.UtcNow));
        expected.Remove(5);

        var mails = await app.WaitForMailsAsync(4);
        Assert.Equal(4, mails.Length);
        var readings = new List<IcsReading>();
        foreach (var mail in mails)
        {
            var calendar = MimeMessage.Parse(mail).Parts.Single(p => p.ContentType == "text/calendar");
            Assert.Equal("REQUEST", calendar.Parameters["method"]);
            readings.Add(await PythonIcalendar.ReadAsync(calendar.Body));
        }
        Assert.Equal([0, 1, 2, 3], readings.Select(r => r.Events[0].Sequence));
        Assert.Single(readings.SelectMany(r => r.Events).Select(e => e.Uid).Distinct());
        var last = MimeMessage.Parse(mails[^1]).Parts.Single(p => p.ContentType == "text/calendar").Body;
        await IcsParsers.ExpectOccurrencesAsync(last, expected.Values.Select(Utc));
        Assert.Contains("Session 5 on Tuesday 30 March 2027 at 18:00 is cancelled.", MimeMessage.Parse(mails[^1]).Parts[0].Body);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Two_moves_of_one_session_arriving_out_of_order_settle_on_the_later_one(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var booked = await app.BookTestCourseAsync();
        var referralId = booked.ReferralId;
        await app.WaitForMailsAsync(1);
        var first = TestCourse.Move(booked.Sessions[2], new LocalDateTime(2027, 3, 17, 9, 0));
        var second = TestCourse.Move(booked.Sessions[2], new LocalDateTime(2027, 3, 18, 10, 0));

        await bus.Publish(new AppointmentRescheduled(booked.CourseId, referralId, second.AppointmentId, 3, first.NewLocalStart, first.NewStartUtc,
            second.NewLocalStart, second.NewStartUtc, 2, DateTimeOffset.UtcNow));
        await app.WaitForMailsAsync(2);
        await bus.Publish(new AppointmentRescheduled(booked.CourseId, referralId, first.AppointmentId, 3, first.OldLocalStart, first.OldStartUtc,
            first.NewLocalStart, first.NewStartUtc, 1, DateTimeOffset.UtcNow));
        await Task.Delay(1500);

        var mails = await app.WaitForMailsAsync(2);
        Assert.Equal(2, mails.Length);   // the older move changed nothing, so sent nothing
        var expected = booked.Sessions.Select(s => s.SessionNumber == 3 ? second.NewStartUtc : s.StartUtc).Select(Utc);
        await IcsParsers.ExpectOccurrencesAsync(MimeMessage.Parse(mails[^1]).Parts.Single(p => p.ContentType == "text/calendar").Body, expected);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Changes_that_overtake_the_booking_and_a_booking_that_overtakes_the_contact_details_give_one_invite_of_the_course_as_it_stands(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var referralId = Guid.NewGuid();
        var booked = TestCourse.Booked(referralId);
        var moved3 = TestCourse.Move(booked.Sessions[2], new LocalDateTime(2027, 3, 18, 9, 0));

        // Scheduling's messages in the worst order: the changes first, then the booking, then the patient's details.
        await bus.Publish(new AppointmentRescheduled(booked.CourseId, referralId, moved3.AppointmentId, 3, moved3.OldLocalStart, moved3.OldStartUtc,
            moved3.NewLocalStart, moved3.NewStartUtc, 1, DateTimeOffset.UtcNow));
        await bus.Publish(new AppointmentCancelled(booked.CourseId, referralId, booked.Sessions[9].AppointmentId, 10, booked.Sessions[9].LocalStart,
            booked.Sessions[9].StartUtc, "patient", 2, DateTimeOffset.UtcNow));
        Assert.True(await EventuallyAsync(async () => await app.CountAsync("select count(*) from parked_messages") == 2));
        await bus.Publish(booked);
        Assert.True(await EventuallyAsync(async () => await app.CountAsync("select count(*) from parked_messages") == 3));   // and the booking, waiting for the details
        await bus.Publish(TestCourse.Accepted(referralId));

        var invite = Assert.Single(await app.WaitForMailsAsync(1));
        var expected = booked.Sessions.Where(s => s.SessionNumber != 10)
            .Select(s => s.SessionNumber == 3 ? moved3.NewStartUtc : s.StartUtc).Select(Utc);
        var calendar = MimeMessage.Parse(invite).Parts.Single(p => p.ContentType == "text/calendar");
        Assert.Equal("REQUEST", calendar.Parameters["method"]);
        await IcsParsers.ExpectOccurrencesAsync(calendar.Body, expected);
        Assert.Contains("Session 3: Thursday 18 March 2027, 09:00", MimeMessage.Parse(invite).Parts[0].Body);
        await Task.Delay(1500);
        Assert.Single(await app.WaitForMailsAsync(1));   // no later updates: nothing was left to a retry
        Assert.Equal(0, await app.CountAsync("select count(*) from parked_messages"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_course_cancelled_before_its_booking_arrives_sends_the_patient_nothing(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var referralId = Guid.NewGuid();
        var booked = TestCourse.Booked(referralId);
        await bus.Publish(TestCourse.Accepted(referralId));

        await bus.Publish(new CourseCancelled(booked.CourseId, referralId, "The referral was withdrawn", 1, DateTimeOffset.UtcNow));
        Assert.True(await EventuallyAsync(async () => await app.CountAsync("select count(*) from parked_messages") == 1));
        await bus.Publish(booked);

        Assert.True(await EventuallyAsync(async () => await app.CountAsync(
            "select count(*) from calendar_series where course_id = @id and status = 'cancelled'", new { id = booked.CourseId.ToString() }) == 1));
        await Task.Delay(1500);
        Assert.Empty(await app.WaitForMailsAsync(0, seconds: 0));
        Assert.Equal(0, await app.CountAsync("select count(*) from reminders where status = 'pending'"));
    }

    private static Task<bool> EventuallyAsync(Func<Task<bool>> condition) => Waiting.EventuallyAsync(condition, TimeSpan.FromSeconds(10));
}
