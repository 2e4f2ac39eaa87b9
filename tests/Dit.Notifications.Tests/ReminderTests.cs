using Dit.Contracts;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Notifications.Tests;

public sealed class ReminderTests
{
    private static string[] Reminders(string[] mails) => mails.Where(m => m.Contains("Subject: Reminder: your therapy session")).ToArray();

    /// <summary>The text reminders written to the pickup folder (the booking's text is there too).</summary>
    private static string[] SmsReminders(NotificationsApp app)
    {
        var folder = Path.Combine(app.PickupFolder, "sms");
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder).Select(File.ReadAllText).Where(t => t.Contains("Your Dynamic Interpersonal Therapy session ")).ToArray()
            : [];
    }

    private static int SmsCount(NotificationsApp app) => SmsReminders(app).Length;

    /// <summary>Waits a few dispatcher rounds (it polls every second here), then reads the pickup folder.</summary>
    private static async Task<string[]> AfterSomeRoundsAsync(NotificationsApp app)
    {
        await Task.Delay(2500);
        return await app.WaitForMailsAsync(0, seconds: 0);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_reminder_goes_once_moves_with_its_session_is_dropped_on_cancel_never_for_a_past_session_and_survives_a_restart(string provider)
    {
        var referralId = Guid.NewGuid();
        const string room = "https://video.example.nhs.uk/dit/Zp4kQ9rT2vX7bN1mL8cW3sD6fG0hJ5aK9eR2tY7uI4o";
        var booked = TestCourse.Booked(referralId) with { JoinUrl = room };
        Instant Start(int session) => Instant.FromDateTimeOffset(booked.Sessions[session - 1].StartUtc);
        var clock = new SettableClock(Start(1) - Duration.FromDays(10));
        var app = await NotificationsApp.StartAsync(provider, clock, ("Notifications:Reminders:PollSeconds", "1"));
        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(TestCourse.Accepted(referralId, sms: true));
        await bus.Publish(booked);
        await app.WaitForMailsAsync(1);
        Assert.Equal(16 * 2 * 2, await app.CountAsync("select count(*) from reminders where status = 'pending'"));   // 16 sessions × (24 h, 1 h) × (email, SMS)

        // A day before session 1: one email and one SMS, once, however many rounds pass.
        clock.Set(Start(1) - Duration.FromHours(24) + Duration.FromMinutes(1));
        await AfterSomeRoundsAsync(app);
        var reminders = Reminders(await AfterSomeRoundsAsync(app));
        Assert.Single(reminders);
        Assert.Contains("session 1 of 16 is on Tuesday 2 March at 18:00", MimeMessage.Parse(reminders[0]).Parts[0].Body);
        Assert.Contains($"Join the video session at {room}", MimeMessage.Parse(reminders[0]).Parts[0].Body);
        Assert.Equal(1, SmsCount(app));
        Assert.Contains($"Join the video session at {room}", Assert.Single(SmsReminders(app)));

        // Session 2 moves two days later: nothing at its old time, its reminder at the new one.
        var moved = TestCourse.Move(booked.Sessions[1], new LocalDateTime(2027, 3, 11, 18, 0));
        await bus.Publish(new AppointmentRescheduled(booked.CourseId, referralId, moved.AppointmentId, 2, moved.OldLocalStart, moved.OldStartUtc,
            moved.NewLocalStart, moved.NewStartUtc, 1, DateTimeOffset.UtcNow));
        await app.WaitForMailsAsync(3);   // invite, first reminder, the update
        clock.Set(Start(2) - Duration.FromHours(24) + Duration.FromMinutes(1));
        Assert.Single(Reminders(await AfterSomeRoundsAsync(app)));
        clock.Set(Instant.FromDateTimeOffset(moved.NewStartUtc) - Duration.FromHours(24) + Duration.FromMinutes(1));
        Assert.Equal(2, Reminders(await AfterSomeRoundsAsync(app)).Length);

        // Session 3 is cancelled: no reminder for it.
        await bus.Publish(new AppointmentCancelled(booked.CourseId, referralId, booked.Sessions[2].AppointmentId, 3,
            booked.Sessions[2].LocalStart, booked.Sessions[2].StartUtc, "clinic", 2, DateTimeOffset.UtcNow));
        await app.WaitForMailsAsync(5);   // and the cancellation update
        clock.Set(Start(3) - Duration.FromMinutes(59));
        Assert.Equal(2, Reminders(await AfterSomeRoundsAsync(app)).Length);

        // A restart: the new instance sends what falls due, once.
        var settings = app.Settings;
        await app.DisposeAsync();
        clock.Set(Start(4) - Duration.FromHours(24) + Duration.FromMinutes(1));
        await using var restarted = await NotificationsApp.RestartAsync(settings, clock);
        Assert.Equal(3, Reminders(await AfterSomeRoundsAsync(restarted)).Length);

        // Session 5 has begun before anything ran: its reminders are dropped, not sent late.
        clock.Set(Start(5) + Duration.FromMinutes(5));
        Assert.Equal(3, Reminders(await AfterSomeRoundsAsync(restarted)).Length);
        Assert.Equal(0, await restarted.CountAsync("select count(*) from reminders where session_number = 5 and status <> 'dropped'"));
        Assert.Equal(3, SmsCount(restarted));   // sessions 1, 2 (at its new time) and 4, by SMS as well
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_reminder_claimed_by_a_process_that_stopped_mid_send_is_sent_once_after_the_claim_expires_with_its_stable_message_id(string provider)
    {
        var referralId = Guid.NewGuid();
        var booked = TestCourse.Booked(referralId);
        var start = Instant.FromDateTimeOffset(booked.Sessions[0].StartUtc);
        var clock = new SettableClock(start - Duration.FromDays(10));
        var app = await NotificationsApp.StartAsync(provider, clock, ("Notifications:Reminders:PollSeconds", "1"), ("Notifications:Reminders:ClaimSeconds", "600"));
        await using var _ = app;
        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(TestCourse.Accepted(referralId));
        await bus.Publish(booked);
        await app.WaitForMailsAsync(1);

        // Another notifications process claimed session 1's 24-hour reminder and stopped before sending it.
        var due = start - Duration.FromHours(24);
        clock.Set(due + Duration.FromMinutes(1));
        await using (var connection = await app.Services.GetRequiredService<NotificationsDatabase>().OpenAsync())
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "update reminders set status = 'sending', claimed_at = @at where session_number = 1 and offset_minutes = 1440 and channel = 'email'",
                new { at = due.ToUnixTimeMilliseconds() });
        var reminderId = await app.ScalarTextAsync("select id from reminders where session_number = 1 and offset_minutes = 1440 and channel = 'email'");

        // While its claim is fresh nobody else sends it; once it has expired (10 minutes), it goes — once.
        Assert.Empty(Reminders(await AfterSomeRoundsAsync(app)));
        clock.Set(due + Duration.FromMinutes(11));
        var sent = Reminders(await AfterSomeRoundsAsync(app));
        clock.Set(due + Duration.FromMinutes(30));
        Assert.Single(Reminders(await AfterSomeRoundsAsync(app)));
        Assert.Matches($"(?im)^Message-ID: <{reminderId}@", Assert.Single(sent));   // header names are case-insensitive
        Assert.Equal(1, await app.CountAsync("select count(*) from reminders where status = 'sent'"));
    }
}
