using System.Net;

namespace Dit.Scheduling.Tests;

/// <summary>Issue 20: API answers are never sniffed or cached (the staff pages' headers: the front end's tests).</summary>
public sealed class PageHeadersTests
{
    [Fact]
    public async Task API_answers_are_nosniff_and_never_cached()
    {
        await using var app = await SchedulingApp.StartAsync("sqlite");
        var client = app.CreateClient();
        foreach (var api in new[] { "/api/therapists", "/api/waitlist" })
        {
            var anonymous = await client.GetAsync(api);
            var coordinator = await (await app.NewCoordinatorAsync()).GetAsync(api);
            foreach (var response in new[] { anonymous, coordinator })
            {
                Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
                Assert.True(response.Headers.CacheControl?.NoStore, $"{api} {(int)response.StatusCode} may be cached");
            }
            Assert.Equal(HttpStatusCode.OK, coordinator.StatusCode);
        }
    }

    [Fact]
    public async Task Guessing_questionnaire_links_from_one_address_meets_429_after_sixty_a_minute()
    {
        await using var app = await SchedulingApp.StartAsync("sqlite");
        var client = app.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 70; i++) answers.Add((await client.GetAsync($"/questionnaire/{Guid.NewGuid():N}")).StatusCode);
        Assert.Equal(60, answers.Count(a => a == HttpStatusCode.NotFound));
        Assert.Equal(10, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        var refused = await client.PostAsync($"/questionnaire/{Guid.NewGuid():N}", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }
}
