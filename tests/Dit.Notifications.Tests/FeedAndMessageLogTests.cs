using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dit.Notifications.Messages;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Notifications.Tests;

public sealed class FeedAndMessageLogTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_private_feed_from_the_invite_shows_the_course_as_it_stands_and_stops_when_revoked(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var booked = await app.BookTestCourseAsync();
        var referralId = booked.ReferralId;
        var invite = MimeMessage.Parse(Assert.Single(await app.WaitForMailsAsync(1))).Parts[0].Body;
        var token = Regex.Match(invite, @"/calendar/([A-Za-z0-9_-]+)\.ics").Groups[1].Value;
        Assert.True(token.Length >= 43, "at least 256 bits, base64url");   // 32 random bytes
        var moved = TestCourse.Move(booked.Sessions[5], new LocalDateTime(2027, 4, 8, 9, 0));
        await bus.Publish(new Dit.Contracts.AppointmentRescheduled(booked.CourseId, referralId, moved.AppointmentId, 6, moved.OldLocalStart,
            moved.OldStartUtc, moved.NewLocalStart, moved.NewStartUtc, 1, DateTimeOffset.UtcNow));
        await app.WaitForMailsAsync(2);
        var client = app.CreateClient();

        var feed = await client.GetAsync($"/calendar/{token}.ics");
        var unknown = await client.GetAsync($"/calendar/{token[..^2]}xx.ics");
        var traversal = await client.GetAsync("/calendar/..%2F..%2Fetc%2Fpasswd");
        var revokeWithoutKey = await client.PostAsync($"/api/calendar-feeds/{booked.CourseId}/revoke", null);
        var coordinator = await CoordinatorAsync(app);
        var revoked = await coordinator.PostAsync($"/api/calendar-feeds/{booked.CourseId}/revoke", null);
        var afterRevoke = await client.GetAsync($"/calendar/{token}.ics");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
        var expected = booked.Sessions.Select(s => s.SessionNumber == 6 ? moved.NewStartUtc : s.StartUtc)
            .Select(s => s.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        var reading = await IcsParsers.ExpectOccurrencesAsync(await feed.Content.ReadAsStringAsync(), expected);
        Assert.Equal("PUBLISH", reading.Method);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revokeWithoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterRevoke.StatusCode);
        // The revocation is on notifications' audit trail as the coordinator's change; the refused attempt left nothing.
        Assert.Equal(1, await app.CountAsync(
            "select count(*) from audit_trail where action = 'calendar-feed.revoked' and course_id = @course and referral_id = @referral and actor_role = 'coordinator'",
            new { course = booked.CourseId.ToString(), referral = booked.ReferralId.ToString() }));
        Assert.Equal(1, await app.CountAsync("select count(*) from audit_trail"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Coordinators_see_every_message_sent_with_the_address_masked(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var booked = await app.BookTestCourseAsync();
        var referralId = booked.ReferralId;
        await app.WaitForMailsAsync(1);   // (a cancellation that overtook the invite would leave nothing to send: CourseChangeTests)
        await bus.Publish(new Dit.Contracts.CourseCancelled(booked.CourseId, referralId, "withdrawn", 1, DateTimeOffset.UtcNow));
        await app.WaitForMailsAsync(2);
        var coordinator = await CoordinatorAsync(app);

        var messages = await Waiting.ForAsync(() => coordinator.GetFromJsonAsync<JsonArray>($"/api/messages?referralId={referralId}"),
            m => m!.Count >= 2, TimeSpan.FromSeconds(5));
        var withoutKey = await app.CreateClient().GetAsync($"/api/messages?referralId={referralId}");

        Assert.Equal(["invite", "cancellation"], messages!.Select(m => m!["kind"]!.GetValue<string>()));
        Assert.All(messages!, m => Assert.Equal("a***@example.org", m!["to"]!.GetValue<string>()));
        Assert.All(messages!, m => Assert.Equal("sent", m!["outcome"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        // Each look at the log is on the audit trail (Waiting.ForAsync may have looked more than once), and the chain is whole.
        Assert.True(await app.CountAsync("select count(*) from audit_trail where action = 'messages.read' and referral_id = @referral and actor_role = 'coordinator'",
            new { referral = referralId.ToString() }) >= 1);
        await using var connection = await app.Services.GetRequiredService<NotificationsDatabase>().OpenAsync();
        Assert.Empty(await Dit.Platform.Audit.AuditTrail.VerifyAsync(connection));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_coordinator_key_made_in_scheduling_opens_the_message_log_once_its_hash_arrives_and_stays_shut_once_revoked(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var key = Dit.Platform.Http.ApiKeys.NewKey("coord");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        var url = $"/api/messages?referralId={Guid.NewGuid()}";
        var created = DateTimeOffset.UtcNow;
        Dit.Contracts.CoordinatorKeys Snapshot(DateTimeOffset? revokedAt) =>
            new([new Dit.Contracts.CoordinatorKeyHash("c-1", "Sam", Dit.Platform.Http.ApiKeys.Hash(key), created, revokedAt)], DateTimeOffset.UtcNow);
        Task<HttpStatusCode> StatusAfterAsync(HttpStatusCode expected) =>
            Waiting.ForAsync(async () => (await client.GetAsync(url)).StatusCode, status => status == expected, TimeSpan.FromSeconds(5));

        var before = (await client.GetAsync(url)).StatusCode;
        await bus.Publish(Snapshot(null));
        var learned = await StatusAfterAsync(HttpStatusCode.OK);
        await bus.Publish(Snapshot(created.AddMinutes(5)));
        var revoked = await StatusAfterAsync(HttpStatusCode.Unauthorized);
        await bus.Publish(Snapshot(null));   // an older snapshot arriving late
        await Task.Delay(1000);

        Assert.Equal(HttpStatusCode.Unauthorized, before);
        Assert.Equal(HttpStatusCode.OK, learned);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(url)).StatusCode);
    }

    internal static async Task<HttpClient> CoordinatorAsync(NotificationsApp app)
    {
        var (_, key) = await NotificationsCoordinators.Holders.AddAsync(app.Services.GetRequiredService<NotificationsDatabase>(), "Coordinator",
            SystemClock.Instance.GetCurrentInstant());
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }
}
