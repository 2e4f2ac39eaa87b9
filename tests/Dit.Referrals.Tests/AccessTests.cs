using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Dit.Referrals.Tests;

public sealed class AccessTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Without_a_valid_key_nothing_is_read_or_written(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var anonymous = app.CreateClient();
        var wrongKey = app.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", "not-a-key");

        var noKeyPost = await anonymous.PostAsJsonAsync("/api/referrals", Referral.Valid());
        var wrongKeyPost = await wrongKey.PostAsJsonAsync("/api/referrals", Referral.Valid());
        var wrongKeyGet = await wrongKey.GetAsync($"/api/referrals/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Unauthorized, noKeyPost.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKeyPost.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKeyGet.StatusCode);
        Assert.Equal("application/problem+json", noKeyPost.Content.Headers.ContentType!.MediaType);
        Assert.Equal(0, await app.CountAsync("referrals"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referrer_cannot_see_another_referrers_referral(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var a = await app.NewReferrerAsync("Service A");
        var b = await app.NewReferrerAsync("Service B");
        var posted = await a.PostAsJsonAsync("/api/referrals", Referral.Valid());
        var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var byOwner = await a.GetAsync($"/api/referrals/{id}");
        var byOther = await b.GetAsync($"/api/referrals/{id}");
        var notAnId = await a.GetAsync("/api/referrals/..%2F..%2Fetc%2Fpasswd");

        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_same_reference_from_two_referrers_is_two_referrals(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var a = await app.NewReferrerAsync("Service A");
        var b = await app.NewReferrerAsync("Service B");

        var fromA = await a.PostAsJsonAsync("/api/referrals", Referral.Valid("REF-1"));
        var fromB = await b.PostAsJsonAsync("/api/referrals", Referral.Valid("REF-1"));

        Assert.Equal(HttpStatusCode.Accepted, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, fromB.StatusCode);
        Assert.Equal(2, await app.CountAsync("referrals"));
    }
}
