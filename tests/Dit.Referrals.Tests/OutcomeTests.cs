using Dit.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using MassTransit;

namespace Dit.Referrals.Tests;

/// <summary>What the referring service sees of a course's progress: its length and its outcome, never a score.</summary>
public sealed class OutcomeTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_completed_course_shows_its_outcome_and_an_extension_its_sessions_and_the_newest_outcome_wins(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var posted = await client.PostAsJsonAsync("/api/referrals", Referral.Valid());
        var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var bus = app.Service<IBus>();
        var booked = TestCourse.Booked(id);
        async Task<JsonObject> StatusAsync() => (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!;
        await bus.Publish(booked);
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync())["status"]!.GetValue<string>() == "booked"));

        await bus.Publish(new CourseExtended(booked.CourseId, id, new[] { 17, 18 }.Select(n => new BookedSession(Guid.NewGuid(), n,
            new DateTime(2027, 1, 5, 18, 0, 0).AddDays(7 * (n - 1)), new DateTimeOffset(2027, 1, 5, 18, 0, 0, TimeSpan.Zero).AddDays(7 * (n - 1)), 50)).ToList(),
            18, 1, DateTimeOffset.UtcNow));
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync())["booking"]!["sessions"]!.AsArray().Count == 18));

        var older = new CourseOutcomeRecorded(booked.CourseId, id, "completed", 2, true, false, false, false, false, "No reliable change",
            new DateTimeOffset(2027, 5, 4, 19, 0, 0, TimeSpan.Zero));
        var newer = older with { ScoredSessions = 18, Recovered = true, ReliableImprovement = true, ReliableRecovery = true, Summary = "Reliable recovery", OccurredAt = older.OccurredAt.AddDays(2) };
        await bus.Publish(newer);
        await bus.Publish(older);   // late: not shown over the newer

        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync())["status"]!.GetValue<string>() == "completed"));
        await Task.Delay(500);
        var status = await StatusAsync();
        var outcome = status["outcome"]!;
        Assert.Equal(("completed", 18, true, true, "Reliable recovery"), (outcome["ending"]!.GetValue<string>(), outcome["scoredSessions"]!.GetValue<int>(),
            outcome["recovered"]!.GetValue<bool>(), outcome["reliableRecovery"]!.GetValue<bool>(), outcome["summary"]!.GetValue<string>()));
        Assert.DoesNotContain("phq9", status.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // Withdrawing a completed referral changes nothing: no withdrawal goes to scheduling.
        (await client.PostAsJsonAsync($"/api/referrals/{id}/withdraw", new { reason = "late" })).EnsureSuccessStatusCode();
        Assert.Equal("completed", (await StatusAsync())["status"]!.GetValue<string>());
        Assert.Equal(0, await app.CountAsync("outbox where message_type like '%ReferralWithdrawn'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Consent_to_questionnaires_without_consent_to_email_is_refused_naming_the_field(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var body = Referral.Valid();
        body["consent"] = new JsonObject { ["email"] = false, ["sms"] = true, ["questionnaires"] = true };
        body["patient"]!["mobile"] = "+447700900123";

        var response = await client.PostAsJsonAsync("/api/referrals", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["consent.questionnaires"], (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
    }
}
