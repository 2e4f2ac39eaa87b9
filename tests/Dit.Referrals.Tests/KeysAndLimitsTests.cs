using System.Net;
using System.Net.Http.Json;
using Dit.Platform.Http;
using Dit.Referrals.Keys;

namespace Dit.Referrals.Tests;

public sealed class KeysAndLimitsTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_key_made_by_the_keys_command_works_once_shown_and_is_refused_as_soon_as_it_is_revoked(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var added = new StringWriter();

        Assert.Equal(0, await KeysCommand.RunAsync(app.Database, Referrers.Holders, ["add", "North Talking Therapies"], added));
        var key = added.ToString().Trim().Split('\n')[^1].Trim();
        var id = added.ToString().Split('(', ')')[1];
        var client = app.ClientWithKey(key);
        var before = await client.PostAsJsonAsync("/api/referrals", Referral.Valid());

        var listed = new StringWriter();
        await KeysCommand.RunAsync(app.Database, Referrers.Holders, ["list"], listed);
        Assert.Contains("North Talking Therapies", listed.ToString());
        Assert.DoesNotContain(key, listed.ToString());
        Assert.Equal(0, await KeysCommand.RunAsync(app.Database, Referrers.Holders, ["revoke", id], new StringWriter()));
        var after = await client.GetAsync(before.Headers.Location);

        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        // Only the hash is stored.
        Assert.Equal(0, await app.CountAsync($"referrers where key_hash = '{key}'"));
        Assert.Equal(1, await app.CountAsync($"referrers where key_hash = '{ApiKeys.Hash(key)}'"));
        Assert.Equal(1, await KeysCommand.RunAsync(app.Database, Referrers.Holders, ["revoke", "no-such-id"], new StringWriter()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_key_over_its_rate_gets_429_with_Retry_After_and_other_keys_are_not_slowed(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider, ("RateLimit:PermitLimit", "3"), ("RateLimit:WindowSeconds", "60"));
        var busy = await app.NewReferrerAsync("Busy");
        var other = await app.NewReferrerAsync("Other");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++) answers.Add(await busy.GetAsync($"/api/referrals/{Guid.NewGuid()}"));
        var otherAnswer = await other.GetAsync($"/api/referrals/{Guid.NewGuid()}");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests],
            answers.Select(a => a.StatusCode));
        Assert.True(answers[3].Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", answers[3].Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, otherAnswer.StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Made_up_keys_cannot_buy_fresh_windows_a_new_one_each_time_is_limited_by_address_and_a_real_key_still_gets_in(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider, ("RateLimit:PermitLimit", "20"), ("RateLimit:WindowSeconds", "60"));
        var client = app.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/referrals/{Guid.NewGuid()}");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", $"ref_made-up-{i}");
            answers.Add((await client.SendAsync(request)).StatusCode);
        }
        var real = await app.NewReferrerAsync("Real service");

        Assert.Equal(20, answers.Count(a => a == HttpStatusCode.Unauthorized));
        Assert.Equal(280, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.NotFound, (await real.GetAsync($"/api/referrals/{Guid.NewGuid()}")).StatusCode);
    }
}
