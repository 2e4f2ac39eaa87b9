using Dapper;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Notifications.Tests;

public sealed class SmtpDeliveryTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_real_SMTP_server_receives_the_invite_as_multipart_alternative_with_a_calendar_request(string provider)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var app = await NotificationsApp.StartAsync(provider, null,
            ("Notifications:Mail:Smtp:Host", "127.0.0.1"), ("Notifications:Mail:Smtp:Port", smtp.Port.ToString()));
        var booked = await app.BookTestCourseAsync();

        var received = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Contains("alex@example.org", received);
        var (top, parts) = MimeMessage.Parse(received);
        Assert.Equal("multipart/mixed", top);
        Assert.Equal(["text/plain", "text/html", "text/calendar", "application/ics"], parts.Select(p => p.ContentType));
        Assert.Equal("REQUEST", parts[2].Parameters["method"]);
        Assert.Contains("multipart/alternative", received);
        await IcsParsers.ExpectOccurrencesAsync(parts[2].Body, booked.Sessions.Select(s => s.StartUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        Assert.Empty(Directory.Exists(app.PickupFolder) ? Directory.GetFiles(app.PickupFolder, "*.eml") : []);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Mail_queued_while_SMTP_refuses_connections_is_delivered_once_it_comes_back(string provider)
    {
        var port = FreePort.Next();   // nothing listens here yet: connections are refused
        await using var app = await NotificationsApp.StartAsync(provider, null,
            ("Notifications:Mail:Smtp:Host", "127.0.0.1"), ("Notifications:Mail:Smtp:Port", port.ToString()));
        var bus = app.Services.GetRequiredService<IBus>();
        var referrals = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        foreach (var referralId in referrals)
        {
            await bus.Publish(TestCourse.Accepted(referralId));
            await bus.Publish(TestCourse.Booked(referralId));
        }
        await Waiting.ForAsync(() => app.CountAsync("select count(*) from outgoing_mail where attempts > 0"), n => n >= 3, TimeSpan.FromSeconds(10));
        Assert.Equal(3, await app.CountAsync("select count(*) from outgoing_mail where attempts > 0 and sent_at is null"));

        await using var smtp = await SmtpServer.StartAsync(port);

        var received = await smtp.WaitForMessagesAsync(3, seconds: 60);
        Assert.Equal(3, received.Length);
        await Waiting.ForAsync(() => app.CountAsync("select count(*) from outgoing_mail where sent_at is null"), n => n == 0, TimeSpan.FromSeconds(5));
        Assert.Equal(0, await app.CountAsync("select count(*) from outgoing_mail where sent_at is null"));
        await Task.Delay(1000);
        Assert.Equal(3, (await smtp.WaitForMessagesAsync(3, seconds: 0)).Length);   // and none twice
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_mailbox_the_server_refuses_for_good_is_tried_a_set_number_of_times_then_marked_undeliverable_and_nobody_else_waits(string provider)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var app = await NotificationsApp.StartAsync(provider, null,
            ("Notifications:Mail:Smtp:Host", "127.0.0.1"), ("Notifications:Mail:Smtp:Port", smtp.Port.ToString()),
            ("Notifications:Mail:RejectionsBeforeUndeliverable", "2"));
        var bus = app.Services.GetRequiredService<IBus>();
        var unknown = Guid.NewGuid();
        await bus.Publish(TestCourse.Accepted(unknown, address: "unknown.patient@example.org"));
        await bus.Publish(TestCourse.Booked(unknown));
        var others = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        foreach (var referralId in others)
        {
            await bus.Publish(TestCourse.Accepted(referralId, address: $"patient-{referralId:N}@example.org"));
            await bus.Publish(TestCourse.Booked(referralId));
        }

        // Everybody else's invite goes at once: one refused mailbox neither delays them nor opens the breaker.
        Assert.Equal(4, (await smtp.WaitForMessagesAsync(4, seconds: 20)).Length);
        await Waiting.ForAsync(() => app.CountAsync("select count(*) from outgoing_mail where undeliverable_at is not null"), n => n > 0, TimeSpan.FromSeconds(10));

        Assert.Equal(1, await app.CountAsync("select count(*) from outgoing_mail where undeliverable_at is not null and rejections = 2 and attempts = 2"));
        await using var connection = await app.Services.GetRequiredService<NotificationsDatabase>().OpenAsync();
        var outcomes = (await connection.QueryAsync<string>(
            "select outcome from message_log where referral_id = @id order by at, id", new { id = unknown.ToString() })).ToList();
        Assert.Equal(2, outcomes.Count);
        Assert.StartsWith("rejected (1 of 2, will retry): ", outcomes[0]);
        Assert.StartsWith("undeliverable after 2 rejections: ", outcomes[1]);
        Assert.Contains("550", outcomes[1]);
        Assert.Contains("u***@example.org", outcomes[1]);
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("unknown.patient@") || line.Contains("SMTP failing"));
        Assert.Equal(1, await app.CountAsync("select count(*) from outbox where message_type = @type and body like @referral",
            new { type = typeof(Dit.Contracts.MailUndeliverable).FullName, referral = $"%{unknown}%" }));

        await Task.Delay(3000);   // and it is not tried again
        Assert.Equal(2, await app.CountAsync("select attempts from outgoing_mail where referral_id = @id", new { id = unknown.ToString() }));
        Assert.Equal(4, (await smtp.WaitForMessagesAsync(5, seconds: 0)).Length);
    }
}
