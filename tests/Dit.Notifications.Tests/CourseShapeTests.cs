using Dit.Contracts;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Notifications.Tests;

/// <summary>
/// Issue 21: a course reaches the patient as it was booked. Before, the invite took its minutes from the booking but the
/// updates, the cancellation and the feed wrote 50, the length was "of 16" whatever was booked, and the phases were 1–4,
/// 5–12, 13+ in every invite whatever scheduling's <c>Scheduling:Progress:Phases</c> said.
/// </summary>
public sealed class CourseShapeTests
{
    private static readonly CourseShape Shape = new(12, 60, new CoursePhases(3, 9));

    private static string Unfolded(string ics) => ics.Replace("\r\n ", "").Replace("\\,", ",");

    private static void AsBooked(string ics)
    {
        var text = Unfolded(ics);
        Assert.Matches("DURATION:PT(1H|60M)\r\n", text);
        Assert.DoesNotContain("PT50M", text);
        Assert.Contains("RRULE:FREQ=WEEKLY;COUNT=12", text);
        Assert.Contains("session 2 of 12 (initial phase)", text);
        Assert.Contains("session 8 of 12 (middle phase)", text);
        Assert.Contains("session 9 of 12 (ending phase)", text);
        Assert.Contains("Sessions 1–2 are the initial phase, 3–8 the middle phase and 9–12 the ending phase.", text);
        Assert.DoesNotContain("of 16", text);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_course_of_another_length_minutes_and_phases_reaches_the_invite_the_update_the_feed_and_the_cancellation_as_booked(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var referralId = Guid.NewGuid();
        await bus.Publish(TestCourse.Accepted(referralId));
        var booked = TestCourse.Booked(referralId, Shape);
        await bus.Publish(booked);

        var invite = MimeMessage.Parse(Assert.Single(await app.WaitForMailsAsync(1)));
        Assert.Contains("12 weekly sessions of 60 minutes", invite.Parts[0].Body);
        var inviteCalendar = invite.Parts.Single(p => p.ContentType == "text/calendar").Body;
        AsBooked(inviteCalendar);
        await IcsParsers.ExpectOccurrencesAsync(inviteCalendar, booked.Sessions.Select(s => s.StartUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));

        var fifth = booked.Sessions[4];
        var moved = LocalDateTime.FromDateTime(fifth.LocalStart).PlusHours(1);
        await bus.Publish(new AppointmentRescheduled(booked.CourseId, referralId, fifth.AppointmentId, 5, fifth.LocalStart, fifth.StartUtc,
            moved.ToDateTimeUnspecified(), moved.InZoneStrictly(CourseShape.ServiceZone).ToDateTimeOffset(), 1, DateTimeOffset.UtcNow));
        var update = MimeMessage.Parse((await app.WaitForMailsAsync(2))[^1]);
        AsBooked(update.Parts.Single(p => p.ContentType == "text/calendar").Body);

        var token = System.Text.RegularExpressions.Regex.Match(invite.Parts[0].Body, @"/calendar/([A-Za-z0-9_-]+)\.ics").Groups[1].Value;
        AsBooked(await app.CreateClient().GetStringAsync($"/calendar/{token}.ics"));

        await bus.Publish(new CourseCancelled(booked.CourseId, referralId, "Patient moved away", 2, DateTimeOffset.UtcNow)
        {
            CancelledSessions = Enumerable.Range(1, 12).ToList(),
        });
        var cancellation = MimeMessage.Parse((await app.WaitForMailsAsync(3))[^1]);
        var cancelled = cancellation.Parts.Single(p => p.ContentType == "text/calendar");
        Assert.Equal("CANCEL", cancelled.Parameters["method"]);
        AsBooked(cancelled.Body);
    }
}
