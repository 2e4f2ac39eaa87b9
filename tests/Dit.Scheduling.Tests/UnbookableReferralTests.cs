using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>
/// Issue 20: a referral whose data booking cannot use (an earliest start in year 9999, from a message that slipped past
/// the door) is not retried in the one booking lane: it goes in front of the coordinators at once with the reason,
/// and the next referral is booked without waiting for it.
/// </summary>
public sealed class UnbookableReferralTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_that_cannot_be_booked_goes_on_the_review_list_with_its_reason_and_the_next_is_booked_at_once(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        var coordinator = await app.NewCoordinatorAsync();
        await app.AddTherapistAsync("Sam Okafor", new LocalTime(7, 0), new LocalTime(23, 0));
        var bus = app.Services.GetRequiredService<IBus>();
        var window = new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0));
        var poisoned = new ReferralForBooking(Guid.NewGuid(), "referrer-1", [window], new DateOnly(9999, 11, 1), "Europe/London", "PX",
            DateTimeOffset.UtcNow) { ReferrerReference = "IAPT-9999" };
        var good = new ReferralForBooking(Guid.NewGuid(), "referrer-1", [window], new DateOnly(2027, 1, 11), "Europe/London", "AS", DateTimeOffset.UtcNow);

        var clock = Stopwatch.StartNew();
        await bus.Publish(poisoned);
        await bus.Publish(good);
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        var bookedAfter = clock.Elapsed;
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from reviews", 1));

        Assert.True(bookedAfter < TimeSpan.FromSeconds(2), $"the good referral waited {bookedAfter}");
        var review = Assert.Single((await coordinator.GetFromJsonAsync<JsonArray>("/api/reviews"))!)!;
        Assert.Equal("IAPT-9999", review["referrerReference"]!.GetValue<string>());
        Assert.Equal(poisoned.ReferralId.ToString(), review["referralId"]!.GetValue<string>());
        Assert.Contains("9999-11-01 is not within 5 years of today", review["attention"]!.GetValue<string>());
        Assert.Equal(1, await app.ScalarAsync<long>("select count(*) from outbox where message_type = @type and body like @id",
            new { type = typeof(ReferralNeedsAttention).FullName, id = $"%{poisoned.ReferralId}%" }));
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from outbox where destination is not null"));   // nothing handed back for later
        Assert.Equal(1, await app.ScalarAsync<long>("select count(*) from courses"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_waitlisted_referral_that_cannot_be_booked_leaves_for_the_review_list_and_the_round_goes_on_for_the_rest(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        var window = new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0));
        // Waiting since before the door was shut: first in the queue, with an earliest start the search cannot count from.
        var stale = new ReferralForBooking(Guid.NewGuid(), "referrer-1", [window], new DateOnly(9999, 11, 1), "Europe/London", "PX", DateTimeOffset.UtcNow);
        var waiting = new ReferralForBooking(Guid.NewGuid(), "referrer-1", [window], new DateOnly(2027, 1, 11), "Europe/London", "AS", DateTimeOffset.UtcNow);
        await using (var connection = await app.Database.OpenAsync())
        {
            foreach (var (referral, since) in new[] { (stale, 0), (waiting, 1) })
                await Dapper.SqlMapper.ExecuteAsync(connection, "insert into waitlist (referral_id, request_json, reason, since) values (@id, @json, 'full', @since)",
                    new { id = referral.ReferralId.ToString(), json = System.Text.Json.JsonSerializer.Serialize(referral, Dit.Platform.Messaging.MessageJson.Options), since });
        }
        await app.AddTherapistAsync("Evening", new LocalTime(15, 0), new LocalTime(23, 0));

        var retry = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Dit.Scheduling.Waitlist.WaitlistRetry>().Single();
        Assert.Equal(1, await retry.RetryAsync(CancellationToken.None));

        Assert.Equal(waiting.ReferralId.ToString(), await app.ScalarAsync<string>("select referral_id from courses"));
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from waitlist"));
        Assert.Contains("Could not be booked from the waitlist", await app.ScalarAsync<string>("select attention from reviews where referral_id = @id",
            new { id = stale.ReferralId.ToString() }));
    }
}
