using System.Text.Json;
using System.Text.RegularExpressions;
using Dit.Contracts;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Notifications.Tests;

/// <summary>What the patient receives of the progress work: questionnaire links in reminders, and the extended course in their calendar.</summary>
public sealed class ProgressMailTests
{
    private static string Utc(DateTimeOffset start) => start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_patient_who_consented_gets_a_private_link_in_each_email_reminder_and_only_its_hash_goes_to_scheduling(string provider)
    {
        var (consenting, declining) = (Guid.NewGuid(), Guid.NewGuid());
        var (course, other) = (TestCourse.Booked(consenting), TestCourse.Booked(declining));
        var clock = new SettableClock(Instant.FromDateTimeOffset(course.Sessions[0].StartUtc) - Duration.FromDays(10));
        await using var app = await NotificationsApp.StartAsync(provider, clock, ("Notifications:Reminders:PollSeconds", "1"),
            ("Notifications:Questionnaires:BaseUrl", "https://dit.example.nhs.uk/"));
        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(TestCourse.Accepted(consenting) with { Consent = new Consent(true, false, Questionnaires: true) });
        await bus.Publish(TestCourse.Accepted(declining, address: "sam@example.org"));
        await bus.Publish(course);
        await bus.Publish(other with { CourseId = Guid.NewGuid() });
        await app.WaitForMailsAsync(2);

        clock.Set(Instant.FromDateTimeOffset(course.Sessions[0].StartUtc) - Duration.FromHours(24) + Duration.FromMinutes(1));
        var mails = (await app.WaitForMailsAsync(4)).Where(m => m.Contains("Subject: Reminder")).ToList();

        var text = MimeMessage.Parse(mails.Single(m => MimeMessage.Header(m, "To").Contains("alex@"))).Parts[0].Body;
        var link = Regex.Match(text, @"https://dit\.example\.nhs\.uk/questionnaire/([A-Za-z0-9_-]+)");
        Assert.True(link.Success, text);
        Assert.True(link.Groups[1].Value.Length >= 43);   // 256 random bits, base64url
        Assert.DoesNotContain("questionnaire", MimeMessage.Parse(mails.Single(m => MimeMessage.Header(m, "To").Contains("sam@"))).Parts[0].Body);
        var issued = JsonSerializer.Deserialize<QuestionnaireLinkIssued>(
            await app.ScalarTextAsync("select body from outbox where message_type = @type", new { type = typeof(QuestionnaireLinkIssued).FullName }), MessageJson.Options)!;
        Assert.Equal((course.CourseId, 1, ApiKeys.Hash(link.Groups[1].Value)), (issued.CourseId, issued.SessionNumber, issued.TokenHash));
        Assert.Equal(0, await app.CountAsync("select count(*) from outbox where body like @token", new { token = $"%{link.Groups[1].Value}%" }));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_course_extended_to_20_reaches_the_patient_as_one_update_whose_calendar_holds_all_20_sessions(string provider)
    {
        var referralId = Guid.NewGuid();
        var booked = TestCourse.Booked(referralId);
        var clock = new SettableClock(Instant.FromDateTimeOffset(booked.Sessions[0].StartUtc) - Duration.FromDays(10));
        await using var app = await NotificationsApp.StartAsync(provider, clock);
        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(TestCourse.Accepted(referralId));
        await bus.Publish(booked);
        await app.WaitForMailsAsync(1);
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var added = Enumerable.Range(17, 4).Select(n =>
        {
            var local = new LocalDate(2027, 3, 2).PlusWeeks(n - 1).At(new LocalTime(n == 18 ? 19 : 18, 0));   // session 18 an hour later
            return new BookedSession(Guid.NewGuid(), n, local.ToDateTimeUnspecified(), local.InZoneStrictly(london).ToDateTimeOffset(), 50);
        }).ToList();

        var extended = new CourseExtended(booked.CourseId, referralId, added, 20, 1, DateTimeOffset.UtcNow);
        await bus.Publish(extended);
        await bus.Publish(extended);   // twice: one update

        var mails = await app.WaitForMailsAsync(2);
        await Task.Delay(1500);
        Assert.Equal(2, (await app.WaitForMailsAsync(2)).Length);
        var update = MimeMessage.Parse(mails[^1]);
        Assert.Contains("Subject: Your therapy is extended to 20 sessions", mails[^1]);
        Assert.Contains("Session 18 is on Tuesday 29 June 2027 at 19:00.", update.Parts[0].Body);
        var calendar = update.Parts.Single(p => p.ContentType == "text/calendar").Body;
        Assert.Contains("session 20 of 20 (ending phase)", calendar.Replace("\r\n ", ""));
        await IcsParsers.ExpectOccurrencesAsync(calendar, booked.Sessions.Concat(added).Select(s => Utc(s.StartUtc)));
        Assert.Equal(20 * 2, await app.CountAsync("select count(*) from reminders where status = 'pending'"));   // 20 sessions × (24 h, 1 h)
    }
}
