using System.Net;
using System.Text.RegularExpressions;
using Dit.Testing;

namespace Dit.Notifications.Tests;

/// <summary>The calendar feed's private link (issue 20): never cached, and not open to guessing by the thousand.</summary>
public sealed class PrivateLinkTests
{
    [Fact]
    public async Task The_feed_is_never_cached_and_an_address_trying_tokens_is_stopped_with_429_while_the_API_still_answers()
    {
        await using var app = await NotificationsApp.StartAsync("sqlite", null, ("RateLimit:PrivateLinks:PermitLimit", "20"));
        await app.BookTestCourseAsync();
        var invite = MimeMessage.Parse(Assert.Single(await app.WaitForMailsAsync(1))).Parts[0].Body;
        var token = Regex.Match(invite, @"/calendar/([A-Za-z0-9_-]+)\.ics").Groups[1].Value;
        var client = app.CreateClient();

        var feed = await client.GetAsync($"/calendar/{token}.ics");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.True(feed.Headers.CacheControl!.NoStore);
        Assert.Equal("no-referrer", feed.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", feed.Headers.GetValues("X-Content-Type-Options").Single());

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++) answers.Add((await client.GetAsync($"/calendar/{Guid.NewGuid():N}.ics")).StatusCode);
        Assert.Equal(19, answers.Count(a => a == HttpStatusCode.NotFound));            // 20 a minute, the real one included
        Assert.Equal(11, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        var refused = await client.GetAsync($"/calendar/{token}.ics");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.True(refused.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/messages")).StatusCode);   // the API's own limit is apart
    }
}
