using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Scheduling.Tests;

public sealed class ReviewAndWithdrawalTests
{
    private static ReferralNeedsReview NeedsReview(string reference) =>
        new(Guid.NewGuid(), "referrer-1", reference, "recent self-harm", "depression", new DateOnly(2027, 3, 1), DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_that_reported_risk_waits_for_a_coordinator_who_accepts_or_closes_it(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        var coordinator = await app.NewCoordinatorAsync();
        var bus = app.Services.GetRequiredService<IBus>();
        var first = NeedsReview("R-1");
        var second = NeedsReview("R-2") with { OccurredAt = first.OccurredAt.AddSeconds(1) };
        await bus.Publish(first);
        await bus.Publish(second);
        Assert.Equal(2, await app.WaitForCountAsync("select count(*) from reviews", 2));

        var waiting = await coordinator.GetFromJsonAsync<JsonArray>("/api/reviews");
        var accept = await coordinator.PostAsync($"/api/reviews/{first.ReferralId}/accept", null);
        var acceptAgain = await coordinator.PostAsync($"/api/reviews/{first.ReferralId}/accept", null);
        var closeWithoutReason = await coordinator.PostAsJsonAsync($"/api/reviews/{second.ReferralId}/close", new { reason = " " });
        var close = await coordinator.PostAsJsonAsync($"/api/reviews/{second.ReferralId}/close", new { reason = "Referred to the crisis team" });
        var anonymous = await app.CreateClient().GetAsync("/api/reviews");

        Assert.Equal(["R-1", "R-2"], waiting!.Select(r => r!["referrerReference"]!.GetValue<string>()));
        Assert.Equal("recent self-harm", waiting![0]!["riskNotes"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, accept.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, acceptAgain.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, closeWithoutReason.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, close.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty((await coordinator.GetFromJsonAsync<JsonArray>("/api/reviews"))!);
        await using var connection = await app.Database.OpenAsync();
        var decisions = (await connection.QueryAsync<string>("select body from outbox where message_type = 'Dit.Contracts.ReferralReviewed'"))
            .Select(b => JsonSerializer.Deserialize<ReferralReviewed>(b, MessageJson.Options)!).ToDictionary(r => r.ReferralId);
        Assert.Equal(ReferralReviewed.Accept, decisions[first.ReferralId].Decision);
        Assert.Equal("Referred to the crisis team", decisions[second.ReferralId].Reason);
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from courses"));   // never booked by itself
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_withdrawn_referral_frees_its_sessions_and_announces_the_cancelled_course(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        var bus = app.Services.GetRequiredService<IBus>();
        var window = new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0));
        var referral = new ReferralForBooking(Guid.NewGuid(), "referrer-1", [window], new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow);
        await bus.Publish(referral);
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments where status = 'booked'", 16));

        await bus.Publish(new ReferralWithdrawn(referral.ReferralId, "referrer-1", "moved away", DateTimeOffset.UtcNow));

        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments where status = 'cancelled'", 16));
        Assert.Equal("cancelled", await app.ScalarAsync<string>("select status from courses"));
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from outbox where message_type = 'Dit.Contracts.CourseCancelled'", 1));
        // The freed Tuesday 18:00 can be booked for someone else.
        await bus.Publish(referral with { ReferralId = Guid.NewGuid() });
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments where status = 'booked'", 16));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_withdrawal_that_overtakes_the_referral_is_remembered_so_it_is_never_booked_waitlisted_or_reviewed(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        var coordinator = await app.NewCoordinatorAsync();
        var bus = app.Services.GetRequiredService<IBus>();
        var accepted = new ReferralForBooking(Guid.NewGuid(), "referrer-1",
            [new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0))], new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow);
        var reviewed = NeedsReview("R-late");
        var inReview = NeedsReview("R-waiting");

        // Withdrawals first, then the messages they overtook; and one withdrawn while it waits for review.
        await bus.Publish(new ReferralWithdrawn(accepted.ReferralId, "referrer-1", null, DateTimeOffset.UtcNow));
        await bus.Publish(new ReferralWithdrawn(reviewed.ReferralId, "referrer-1", null, DateTimeOffset.UtcNow));
        Assert.Equal(2, await app.WaitForCountAsync("select count(*) from withdrawn_referrals", 2));
        await bus.Publish(accepted);
        await bus.Publish(reviewed);
        await bus.Publish(inReview);
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from reviews", 1));
        await bus.Publish(new ReferralWithdrawn(inReview.ReferralId, "referrer-1", null, DateTimeOffset.UtcNow));
        Assert.Equal(3, await app.WaitForCountAsync("select count(*) from withdrawn_referrals", 3));
        Assert.Equal(3, await app.WaitForCountAsync("select count(*) from inbox where consumer in ('BookCourse', 'QueueForReview')", 3));

        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from courses"));
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from waitlist"));
        Assert.Equal(0, await app.ScalarAsync<long>(
            "select count(*) from outbox where message_type in ('Dit.Contracts.CourseBooked', 'Dit.Contracts.CourseWaitlisted')"));
        Assert.Empty((await coordinator.GetFromJsonAsync<JsonArray>("/api/reviews"))!);
        Assert.Equal("withdrawn", await app.ScalarAsync<string>("select decision from reviews where referral_id = @id", new { id = inReview.ReferralId.ToString() }));
    }
}
