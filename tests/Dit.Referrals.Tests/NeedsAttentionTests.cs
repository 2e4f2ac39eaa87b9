using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using MassTransit;

namespace Dit.Referrals.Tests;

/// <summary>
/// Issue 20: a referral scheduling could not book is never "received" for good — the referrer sees it needs review (not
/// the fault itself), and a coordinator's acceptance sends it for booking again.
/// </summary>
public sealed class NeedsAttentionTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_booking_could_not_take_shows_needs_review_and_is_sent_again_once_a_coordinator_accepts_it(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var posted = await client.PostAsJsonAsync("/api/referrals", Referral.Valid("IAPT-ATTN"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        async Task<JsonObject> StatusAsync() => (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!;
        var bus = app.Service<IBus>();

        await bus.Publish(new ReferralNeedsAttention(id, "Could not be booked: OverflowException: a fault of ours", DateTimeOffset.UtcNow));
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync())["status"]!.GetValue<string>() == "needs-review"));
        var status = await StatusAsync();
        Assert.Contains("a coordinator is looking at it", status.ToJsonString());
        Assert.DoesNotContain("OverflowException", status.ToJsonString());   // the fault stays with the clinic

        await bus.Publish(new ReferralReviewed(id, ReferralReviewed.Accept, null, "coordinator-1", DateTimeOffset.UtcNow));
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync())["status"]!.GetValue<string>() == "received"));
        Assert.Equal(2, await app.CountAsync("outbox where message_type = 'Dit.Contracts.ReferralForBooking'"));   // sent for booking again
    }

    [Fact]
    public async Task A_waitlisted_referral_the_waitlist_could_not_book_shows_needs_review()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = await app.NewReferrerAsync();
        var posted = await client.PostAsJsonAsync("/api/referrals", Referral.Valid("IAPT-WAIT"));
        var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        async Task<string> StatusAsync() => (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["status"]!.GetValue<string>();
        var bus = app.Service<IBus>();

        await bus.Publish(new CourseWaitlisted(id, "No therapist has a free weekly slot", DateTimeOffset.UtcNow));
        Assert.True(await ReferralsApp.EventuallyAsync(async () => await StatusAsync() == "waitlisted"));
        await bus.Publish(new ReferralNeedsAttention(id, "Could not be booked from the waitlist: a fault of ours", DateTimeOffset.UtcNow));
        Assert.True(await ReferralsApp.EventuallyAsync(async () => await StatusAsync() == "needs-review"));
    }
}
