using Dit.Contracts;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Notifications.Tests;

/// <summary>
/// Text reminders through GOV.UK Notify's official client, against a local stand-in that checks what Notify checks (the
/// key's JWT, the template, a UK mobile, the personalisation the template needs) and answers as Notify documents.
/// </summary>
public sealed class NotifyTextTests
{
    private static readonly string ReminderTemplate = Guid.NewGuid().ToString();
    private static readonly string[] ReminderKeys = ["name", "session_number", "sessions", "when", "join_link", "questionnaire_link"];

    private static async Task<(NotificationsApp App, NotifyServer Notify, SettableClock Clock, CourseBooked Booked)> StartAsync(string provider, string mobile)
    {
        var notify = await NotifyServer.StartAsync(new() { [ReminderTemplate] = ReminderKeys });
        var referralId = Guid.NewGuid();
        var booked = TestCourse.Booked(referralId) with { JoinUrl = "https://video.example.nhs.uk/dit/Qw8eR4tY1uI7oP3aS6dF0gH9jK2lZ5xC8vB4nM1qW7e" };
        var clock = new SettableClock(Instant.FromDateTimeOffset(booked.Sessions[0].StartUtc) - Duration.FromDays(10));
        var app = await NotificationsApp.StartAsync(provider, clock, ("Notifications:Reminders:PollSeconds", "1"),
            ("Notifications:Notify:ApiKey", NotifyServer.ApiKey), ("Notifications:Notify:BaseUrl", notify.Url),
            ("Notifications:Notify:ReminderTemplateId", ReminderTemplate));
        var bus = app.Services.GetRequiredService<IBus>();
        // A patient who agreed to texts and not to email.
        await bus.Publish(new ReferralAccepted(referralId, "referrer", new PatientContactDetails("Alex", "Smith", null, mobile),
            new Consent(Email: false, Sms: true), DateTimeOffset.UtcNow));
        await bus.Publish(booked);
        await Waiting.UntilAsync(async () => await app.CountAsync("select count(*) from reminders where channel = 'sms'") == 32, TimeSpan.FromSeconds(20), "the text reminders");
        return (app, notify, clock, booked);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_text_only_patients_reminder_goes_through_Notify_once_with_the_templates_personalisation_and_rides_out_a_429_and_a_500(string provider)
    {
        var (app, notify, clock, booked) = await StartAsync(provider, "+447700900123");
        await using var _ = app;
        await using var __ = notify;
        notify.FailNext.Enqueue(429);
        notify.FailNext.Enqueue(500);

        clock.Set(Instant.FromDateTimeOffset(booked.Sessions[0].StartUtc) - Duration.FromHours(24) + Duration.FromMinutes(1));
        await Waiting.UntilAsync(() => !notify.Texts.IsEmpty, TimeSpan.FromSeconds(30), "the text at Notify");
        await Task.Delay(3000);   // more polls: nothing sent twice

        var text = Assert.Single(notify.Texts);
        Assert.Equal(("+447700900123", ReminderTemplate), (text.PhoneNumber, text.TemplateId));
        Assert.Equal("Alex", text.Personalisation["name"]);
        Assert.Equal(("1", "16", "Tuesday 2 March at 18:00", booked.JoinUrl, ""), (text.Personalisation["session_number"], text.Personalisation["sessions"],
            text.Personalisation["when"], text.Personalisation["join_link"], text.Personalisation["questionnaire_link"]));
        Assert.Equal(await app.ScalarTextAsync("select id from reminders where channel = 'sms' and status = 'sent'"), text.Reference);
        Assert.True(notify.FailNext.IsEmpty, "the 429 and the 500 were met, and the text went after them");
        Assert.Empty(await app.WaitForMailsAsync(0, seconds: 0));   // no email: the patient did not agree to it
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_number_Notify_refuses_as_not_a_UK_mobile_is_marked_undeliverable_not_tried_again_and_shows_in_the_message_log(string provider)
    {
        var (app, notify, clock, booked) = await StartAsync(provider, "+441632960001");   // a UK landline
        await using var _ = app;
        await using var __ = notify;

        clock.Set(Instant.FromDateTimeOffset(booked.Sessions[0].StartUtc) - Duration.FromHours(24) + Duration.FromMinutes(1));
        await Waiting.UntilAsync(async () => await app.CountAsync("select count(*) from reminders where status = 'undeliverable'") == 1,
            TimeSpan.FromSeconds(30), "the reminder marked undeliverable");
        await Task.Delay(3000);

        Assert.Empty(notify.Texts);
        Assert.Equal(1, await app.CountAsync("select count(*) from reminders where status = 'undeliverable'"));
        Assert.Equal(1, await app.CountAsync("select count(*) from message_log where outcome like 'undeliverable: Notify refused the text%Not a UK mobile number%'"));
    }

    [Fact]
    public async Task The_stand_in_refuses_what_Notify_refuses_a_wrong_key_an_unknown_template_and_missing_personalisation()
    {
        await using var notify = await NotifyServer.StartAsync(new() { [ReminderTemplate] = ReminderKeys });
        var all = ReminderKeys.ToDictionary(k => k, dynamic (k) => "x");
        async Task<string> RefusalAsync(string key, string template, Dictionary<string, dynamic> personalisation)
        {
            var error = await Assert.ThrowsAsync<Notify.Exceptions.NotifyClientException>(() =>
                new Notify.Client.NotificationClient(notify.Url, key).SendSmsAsync("07700900123", template, personalisation));
            return error.Message;
        }
        var wrongSecret = $"dit_test-{NotifyServer.ServiceId}-{Guid.NewGuid()}";

        Assert.Contains("Status code 403", await RefusalAsync(wrongSecret, ReminderTemplate, all));
        Assert.Contains("Template not found", await RefusalAsync(NotifyServer.ApiKey, Guid.NewGuid().ToString(), all));
        Assert.Contains("Missing personalisation: join_link", await RefusalAsync(NotifyServer.ApiKey, ReminderTemplate,
            all.Where(p => p.Key != "join_link").ToDictionary(p => p.Key, p => p.Value)));
        Assert.Empty(notify.Texts);
        await new Notify.Client.NotificationClient(notify.Url, NotifyServer.ApiKey).SendSmsAsync("07700 900123", ReminderTemplate, all);
        Assert.Single(notify.Texts);
    }
}
