using System.Net.Http.Json;
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
    private static readonly string BookedTemplate = Guid.NewGuid().ToString();
    private static readonly string ChangedTemplate = Guid.NewGuid().ToString();
    private static readonly string CancelledTemplate = Guid.NewGuid().ToString();
    private static readonly string[] ReminderKeys = ["name", "session_number", "sessions", "when", "join_link", "questionnaire_link", "stop_link"];
    private const string CallbackToken = "receipts-3f9a1c7e5b";

    /// <summary>The four templates as a clinic would make them in Notify, each with the fields its text uses.</summary>
    private static Dictionary<string, string[]> Templates => new()
    {
        [ReminderTemplate] = ReminderKeys,
        [BookedTemplate] = ["name", "sessions", "weekly", "first_session", "therapist", "join_link", "calendar_link", "clinic_phone", "stop_link"],
        [ChangedTemplate] = ["name", "change", "next_session", "clinic_phone", "stop_link"],
        [CancelledTemplate] = ["name", "change", "clinic_phone", "stop_link"],
    };

    private static (string, string)[] NotifySettings(NotifyServer notify) =>
    [
        ("Notifications:Notify:ApiKey", NotifyServer.ApiKey), ("Notifications:Notify:BaseUrl", notify.Url),
        ("Notifications:Notify:ReminderTemplateId", ReminderTemplate), ("Notifications:Notify:BookedTemplateId", BookedTemplate),
        ("Notifications:Notify:ChangedTemplateId", ChangedTemplate), ("Notifications:Notify:CancelledTemplateId", CancelledTemplate),
        ("Notifications:Notify:CallbackToken", CallbackToken),
    ];

    private static async Task<(NotificationsApp App, NotifyServer Notify, SettableClock Clock, CourseBooked Booked)> StartAsync(string provider, string mobile,
        bool email = false, bool receipts = false, NotifyServer? notify = null)
    {
        notify ??= await NotifyServer.StartAsync(Templates);
        var referralId = Guid.NewGuid();
        var booked = TestCourse.Booked(referralId) with { JoinUrl = "https://video.example.nhs.uk/dit/Qw8eR4tY1uI7oP3aS6dF0gH9jK2lZ5xC8vB4nM1qW7e" };
        var clock = new SettableClock(Instant.FromDateTimeOffset(booked.Sessions[0].StartUtc) - Duration.FromDays(10));
        var app = await NotificationsApp.StartAsync(provider, clock, [("Notifications:Reminders:PollSeconds", "1"), .. NotifySettings(notify)]);
        if (receipts) notify.Callback = (app.CreateClient(), "/notify/delivery-receipts", CallbackToken);
        var bus = app.Services.GetRequiredService<IBus>();
        // A patient who agreed to texts (and, unless asked, not to email).
        await bus.Publish(new ReferralAccepted(referralId, "referrer", new PatientContactDetails("Alex", "Smith", email ? "alex@example.org" : null, mobile),
            new Consent(Email: email, Sms: true), DateTimeOffset.UtcNow));
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
        await Waiting.UntilAsync(() => notify.Texts.Any(t => t.TemplateId == ReminderTemplate), TimeSpan.FromSeconds(30), "the reminder at Notify");
        await Task.Delay(3000);   // more polls: nothing sent twice

        var text = Assert.Single(notify.Texts, t => t.TemplateId == ReminderTemplate);
        Assert.Equal(("+447700900123", ReminderTemplate), (text.PhoneNumber, text.TemplateId));
        Assert.Equal("Alex", text.Personalisation["name"]);
        Assert.Equal(("1", "16", "Tuesday 2 March at 18:00", booked.JoinUrl, ""), (text.Personalisation["session_number"], text.Personalisation["sessions"],
            text.Personalisation["when"], text.Personalisation["join_link"], text.Personalisation["questionnaire_link"]));
        Assert.Equal(await app.ScalarTextAsync("select id from reminders where channel = 'sms' and status = 'sent'"), text.Reference);
        Assert.StartsWith("http://localhost:5080/stop/", text.Personalisation["stop_link"]);
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
        Assert.Equal(1, await app.CountAsync("select count(*) from outgoing_texts where kind = 'booked' and undeliverable_at is not null"));
        Assert.Equal(1, await app.CountAsync("select count(*) from message_log where kind like 'reminder%' and outcome like 'undeliverable: Notify refused the text%Not a UK mobile number%'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_text_only_patient_is_texted_the_booking_a_moved_session_a_cancelled_session_and_the_cancelled_course_once_each(string provider)
    {
        var (app, notify, clock, booked) = await StartAsync(provider, "+447700900123");
        await using var _ = app;
        await using var __ = notify;
        var bus = app.Services.GetRequiredService<IBus>();
        NotifyText Only(string template, int count) => Assert.Single(notify.Texts.Where(t => t.TemplateId == template).Skip(count - 1));

        await Waiting.UntilAsync(() => notify.Texts.Any(t => t.TemplateId == BookedTemplate), TimeSpan.FromSeconds(20), "the booking text");
        var bookedText = Only(BookedTemplate, 1);
        Assert.Equal("+447700900123", bookedText.PhoneNumber);
        Assert.Equal(("Alex", "16", "Tuesdays at 18:00", "Tuesday 2 March at 18:00", "Dr Asha Patel", booked.JoinUrl),
            (bookedText.Personalisation["name"], bookedText.Personalisation["sessions"], bookedText.Personalisation["weekly"],
             bookedText.Personalisation["first_session"], bookedText.Personalisation["therapist"], bookedText.Personalisation["join_link"]));
        Assert.Matches("^http://localhost:5080/calendar/[A-Za-z0-9_-]{40,}\\.ics$", bookedText.Personalisation["calendar_link"]);
        Assert.Matches("^http://localhost:5080/stop/[A-Za-z0-9_-]{40,}$", bookedText.Personalisation["stop_link"]);

        notify.FailNext.Enqueue(429);   // Notify's rate limit on the next text: it waits and goes
        var moved = TestCourse.Move(booked.Sessions[2], new LocalDateTime(2027, 3, 18, 9, 0));
        await bus.Publish(new AppointmentRescheduled(booked.CourseId, booked.ReferralId, moved.AppointmentId, 3, moved.OldLocalStart, moved.OldStartUtc,
            moved.NewLocalStart, moved.NewStartUtc, 1, DateTimeOffset.UtcNow));
        await Waiting.UntilAsync(async () => await app.CountAsync("select count(*) from outgoing_texts where attempts = 1 and sent_at is null") == 1,
            TimeSpan.FromSeconds(20), "the 429");
        clock.Set(clock.GetCurrentInstant() + Duration.FromSeconds(5));   // past the text's next try
        await Waiting.UntilAsync(() => notify.Texts.Count(t => t.TemplateId == ChangedTemplate) == 1, TimeSpan.FromSeconds(20), "the moved session's text");
        var movedText = Only(ChangedTemplate, 1);
        Assert.Equal("Session 3 has moved from Tuesday 16 March 2027 at 18:00 to Thursday 18 March 2027 at 09:00.", movedText.Personalisation["change"]);
        Assert.Equal("Session 1, Tuesday 2 March at 18:00", movedText.Personalisation["next_session"]);

        await bus.Publish(new AppointmentCancelled(booked.CourseId, booked.ReferralId, booked.Sessions[4].AppointmentId, 5,
            booked.Sessions[4].LocalStart, booked.Sessions[4].StartUtc, "patient", 2, DateTimeOffset.UtcNow));
        await Waiting.UntilAsync(() => notify.Texts.Count(t => t.TemplateId == ChangedTemplate) == 2, TimeSpan.FromSeconds(20), "the cancelled session's text");
        Assert.Equal("Session 5 on Tuesday 30 March 2027 at 18:00 is cancelled.", Only(ChangedTemplate, 2).Personalisation["change"]);

        await bus.Publish(new CourseCancelled(booked.CourseId, booked.ReferralId, "Moved out of the area, see notes", 3, DateTimeOffset.UtcNow));
        await Waiting.UntilAsync(() => notify.Texts.Any(t => t.TemplateId == CancelledTemplate), TimeSpan.FromSeconds(20), "the cancelled course's text");
        var cancelled = Only(CancelledTemplate, 1);
        Assert.DoesNotContain("Moved out", string.Join(" ", cancelled.Personalisation.Values));   // the coordinator's words stay out of texts
        Assert.Contains("cancelled", cancelled.Personalisation["change"]);
        await Task.Delay(3000);   // more polls: nothing sent twice

        Assert.Equal([BookedTemplate, ChangedTemplate, ChangedTemplate, CancelledTemplate], notify.Texts.Select(t => t.TemplateId));
        Assert.True(notify.FailNext.IsEmpty, "the 429 was met, and the text went after it");
        Assert.Equal(4, await app.CountAsync("select count(*) from outgoing_texts where sent_at is not null"));
        Assert.Equal(0, await app.CountAsync("select count(*) from reminders where status = 'pending'"));   // the course is cancelled
        Assert.Equal(1, await app.CountAsync("select count(*) from message_log where channel = 'sms' and outcome like 'failed (attempt 1, will retry)%429%'"));
        Assert.Empty(await app.WaitForMailsAsync(0, seconds: 0));   // no email: the patient did not agree to it
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_text_Notify_could_not_take_before_notifications_stopped_goes_once_after_it_restarts(string provider)
    {
        var notify = await NotifyServer.StartAsync(Templates);
        await using var _ = notify;
        notify.FailNext.Enqueue(503);   // Notify down at the first try
        var (app, _, clock, _) = await StartAsync(provider, "+447700900123", notify: notify);
        await Waiting.UntilAsync(async () => await app.CountAsync("select count(*) from outgoing_texts where attempts >= 1") == 1,
            TimeSpan.FromSeconds(20), "the booking text's first try");
        var settings = app.Settings;
        await app.DisposeAsync();   // notifications stops with the text unsent

        clock.Set(clock.GetCurrentInstant() + Duration.FromMinutes(10));   // Notify is back, and the text's next try has come
        await using var restarted = await NotificationsApp.RestartAsync(settings, clock);
        await Waiting.UntilAsync(() => notify.Texts.Any(t => t.TemplateId == BookedTemplate), TimeSpan.FromSeconds(30), "the booking text after the restart");
        await Task.Delay(3000);
        var text = Assert.Single(notify.Texts, t => t.TemplateId == BookedTemplate);
        Assert.Equal(await restarted.ScalarTextAsync("select id from outgoing_texts where sent_at is not null"), text.Reference);
        Assert.Equal("Alex", text.Personalisation["name"]);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Notifys_delivery_receipts_mark_each_text_and_a_number_that_does_not_exist_reaches_the_coordinators_list_while_email_goes_on(string provider)
    {
        // Notify's simulated number for "the phone number does not exist".
        var (app, notify, clock, booked) = await StartAsync(provider, "07700900002", email: true, receipts: true);
        await using var _ = app;
        await using var __ = notify;

        await Waiting.UntilAsync(async () => await app.CountAsync("select count(*) from outgoing_texts where delivery = 'permanent-failure'") == 1,
            TimeSpan.FromSeconds(20), "the booking text's receipt");
        clock.Set(Instant.FromDateTimeOffset(booked.Sessions[0].StartUtc) - Duration.FromHours(24) + Duration.FromMinutes(1));
        await Waiting.UntilAsync(async () => await app.CountAsync("select count(*) from reminders where channel = 'sms' and delivery = 'permanent-failure'") == 1,
            TimeSpan.FromSeconds(30), "the text reminder's receipt");

        Assert.Equal(2, await app.CountAsync("select count(*) from message_log where channel = 'sms' and outcome like 'not delivered: the phone number does not exist%'"));
        Assert.Equal(2, await app.CountAsync("select count(*) from outbox where message_type = @type and body like '%\"channel\":\"sms\"%'",
            new { type = typeof(MailUndeliverable).FullName }));
        // The patient agreed to email too: the invite and the email reminder reached them.
        var mails = await app.WaitForMailsAsync(2);
        Assert.Contains(mails, m => m.Contains("Subject: Your Dynamic Interpersonal Therapy sessions"));
        Assert.Contains(mails, m => m.Contains("Subject: Reminder: your therapy session"));

        // The course view's reminders: session 1's text failed, its email went; every other session's wait.
        var coordinator = await FeedAndMessageLogTests.CoordinatorAsync(app);
        var reminders = (await coordinator.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/messages/reminders?referralId={booked.ReferralId}"))!;
        var gone = reminders.Where(r => r!["status"]!.GetValue<string>() != "pending").ToDictionary(r => r!["channel"]!.GetValue<string>());
        Assert.Equal([1, 1], gone.Values.Select(r => r!["sessionNumber"]!.GetValue<int>()));   // the day-before reminders of session 1, and no other
        Assert.Equal(("sent", "permanent-failure"), (gone["sms"]!["status"]!.GetValue<string>(), gone["sms"]!["delivery"]!.GetValue<string>()));
        Assert.Equal("sent", gone["email"]!["status"]!.GetValue<string>());

        // A receipt again changes nothing; one without Notify's bearer token is refused.
        var reference = await app.ScalarTextAsync("select id from outgoing_texts where kind = 'booked'");
        var client = app.CreateClient();
        var receipt = new Dictionary<string, string> { ["id"] = Guid.NewGuid().ToString(), ["reference"] = reference, ["to"] = "07700900002",
            ["status"] = "permanent-failure", ["notification_type"] = "sms" };
        using var again = new HttpRequestMessage(HttpMethod.Post, "/notify/delivery-receipts") { Content = System.Net.Http.Json.JsonContent.Create(receipt) };
        again.Headers.Authorization = new("Bearer", CallbackToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.SendAsync(again)).StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/notify/delivery-receipts") { Content = System.Net.Http.Json.JsonContent.Create(receipt) };
        forged.Headers.Authorization = new("Bearer", "not-the-token-at-all");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);
        Assert.Equal(2, await app.CountAsync("select count(*) from message_log where channel = 'sms' and outcome like 'not delivered%'"));
        Assert.Equal(0, notify.RefusedReceipts);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_stop_link_in_a_text_asks_first_then_stops_texts_here_and_tells_the_other_services_while_emails_go_on(string provider)
    {
        var (app, notify, _, booked) = await StartAsync(provider, "+447700900123", email: true);
        await using var _ = app;
        await using var __ = notify;
        await Waiting.UntilAsync(() => notify.Texts.Any(t => t.TemplateId == BookedTemplate), TimeSpan.FromSeconds(20), "the booking text");
        var stop = new Uri(notify.Texts.Single(t => t.TemplateId == BookedTemplate).Personalisation["stop_link"]).AbsolutePath;
        var client = app.CreateClient();

        var page = await client.GetAsync(stop);   // opened (by the patient, or a link scanner): nothing changes yet
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Stop text messages", await page.Content.ReadAsStringAsync());
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal(1, await app.CountAsync("select consent_sms from patients"));

        var stopped = await client.PostAsync(stop, null);
        Assert.Contains("You will get no more text messages from us", await stopped.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.CountAsync("select consent_sms from patients"));
        Assert.Equal(0, await app.CountAsync("select count(*) from reminders where channel = 'sms' and status = 'pending'"));
        Assert.Equal(32, await app.CountAsync("select count(*) from reminders where channel = 'email' and status = 'pending'"));
        Assert.Equal(1, await app.CountAsync("select count(*) from outbox where message_type = @type", new { type = typeof(MessagesStopped).FullName }));
        await client.PostAsync(stop, null);   // pressed again: nothing more
        Assert.Equal(1, await app.CountAsync("select count(*) from outbox where message_type = @type", new { type = typeof(MessagesStopped).FullName }));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/stop/" + new string('x', 43))).StatusCode);

        // A change after: the email goes, no text.
        var moved = TestCourse.Move(booked.Sessions[2], new LocalDateTime(2027, 3, 18, 9, 0));
        await app.Services.GetRequiredService<IBus>().Publish(new AppointmentRescheduled(booked.CourseId, booked.ReferralId, moved.AppointmentId, 3,
            moved.OldLocalStart, moved.OldStartUtc, moved.NewLocalStart, moved.NewStartUtc, 1, DateTimeOffset.UtcNow));
        var mails = await app.WaitForMailsAsync(2);
        Assert.Contains(mails, m => m.Contains("Subject: Session 3 of your therapy has moved"));
        Assert.Contains(mails, m => m.Contains("To stop emails from us: http://localhost:5080/stop/"));
        Assert.Single(notify.Texts);
    }

    [Fact]
    public async Task The_stand_in_refuses_what_Notify_refuses_a_wrong_key_an_unknown_template_and_missing_personalisation()
    {
        await using var notify = await NotifyServer.StartAsync(Templates);
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
