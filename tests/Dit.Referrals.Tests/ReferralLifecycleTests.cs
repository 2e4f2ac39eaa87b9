using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using Dit.Testing;
using MassTransit;

namespace Dit.Referrals.Tests;

public sealed class ReferralLifecycleTests
{
    private static async Task<Guid> PostAsync(HttpClient client, JsonObject body)
    {
        var response = await client.PostAsJsonAsync("/api/referrals", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referrer_finds_its_referral_by_its_own_reference_and_only_its_own(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var a = await app.NewReferrerAsync("A");
        var b = await app.NewReferrerAsync("B");
        var id = await PostAsync(a, Referral.Valid("REF/7 #1"));

        var found = await a.GetAsync("/api/referrals?reference=" + Uri.EscapeDataString("REF/7 #1"));
        var byOther = await b.GetAsync("/api/referrals?reference=" + Uri.EscapeDataString("REF/7 #1"));
        var unknown = await a.GetAsync("/api/referrals?reference=nope");
        var missing = await a.GetAsync("/api/referrals");

        Assert.Equal(id, (await found.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_status_shows_the_booked_course_and_follows_a_moved_session_a_cancelled_session_and_a_cancelled_course(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var id = await PostAsync(client, Referral.Valid());
        var bus = app.Service<IBus>();
        var booked = TestCourse.Booked(id);
        async Task<JsonObject> StatusAsync() => (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!;

        await bus.Publish(booked);
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync())["status"]!.GetValue<string>() == "booked"));
        var session3 = booked.Sessions[2];
        await bus.Publish(new AppointmentRescheduled(booked.CourseId, id, session3.AppointmentId, 3, session3.LocalStart, session3.StartUtc,
            new DateTime(2027, 1, 21, 9, 0, 0), new DateTimeOffset(2027, 1, 21, 9, 0, 0, TimeSpan.Zero), 1, DateTimeOffset.UtcNow));
        await bus.Publish(new AppointmentCancelled(booked.CourseId, id, booked.Sessions[9].AppointmentId, 10, booked.Sessions[9].LocalStart,
            booked.Sessions[9].StartUtc, "patient", 2, DateTimeOffset.UtcNow));
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync())["history"]!.AsArray().Count == 4));

        var status = await StatusAsync();
        var sessions = status["booking"]!["sessions"]!.AsArray();
        Assert.Equal("booked", status["status"]!.GetValue<string>());
        Assert.Equal("Dr Asha Patel", status["booking"]!["therapist"]!.GetValue<string>());
        Assert.Equal(16, sessions.Count);
        Assert.Equal("2027-01-21T09:00", sessions[2]!["localStart"]!.GetValue<string>());
        Assert.Equal("cancelled", sessions[9]!["status"]!.GetValue<string>());
        Assert.Equal(14, sessions.Count(s => s!["status"]!.GetValue<string>() == "booked" && s["number"]!.GetValue<int>() != 3) );

        await bus.Publish(new CourseCancelled(booked.CourseId, id, "cancelled by the clinic", 3, DateTimeOffset.UtcNow));
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync())["status"]!.GetValue<string>() == "cancelled"));
        Assert.All((await StatusAsync())["booking"]!["sessions"]!.AsArray(), s => Assert.Equal("cancelled", s!["status"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Late_messages_never_move_a_referral_backwards_a_withdrawn_one_stays_withdrawn_and_a_booked_one_is_not_waitlisted(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var bus = app.Service<IBus>();
        var withdrawn = await PostAsync(client, Referral.Valid("W-1"));
        var booked = await PostAsync(client, Referral.Valid("B-1"));
        async Task<JsonObject> StatusAsync(Guid id) => (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!;

        // Withdrawn, and then the booking that scheduling made before it heard of the withdrawal arrives.
        await client.PostAsJsonAsync($"/api/referrals/{withdrawn}/withdraw", new { reason = "Patient declined" });
        var lateBooking = TestCourse.Booked(withdrawn);
        await bus.Publish(lateBooking);
        // Booked by a waitlist retry, and then the older "waitlisted" arrives after it.
        await bus.Publish(TestCourse.Booked(booked));
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync(booked))["status"]!.GetValue<string>() == "booked"));
        await bus.Publish(new CourseWaitlisted(booked, "No therapist free", DateTimeOffset.UtcNow));

        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync(withdrawn))["history"]!.AsArray().Count == 3
            && (await StatusAsync(booked))["history"]!.AsArray().Count == 3));
        var w = await StatusAsync(withdrawn);
        Assert.Equal("cancelled", w["status"]!.GetValue<string>());
        Assert.StartsWith("Refused: booked while cancelled", w["history"]![2]!["detail"]!.GetValue<string>());
        // The referrer still sees the course as scheduling has it, and then scheduling's cancellation of it.
        Assert.Equal(16, w["booking"]!["sessions"]!.AsArray().Count);
        await bus.Publish(new CourseCancelled(lateBooking.CourseId, withdrawn, "Referral withdrawn", 1, DateTimeOffset.UtcNow)
        {
            CancelledSessions = [.. Enumerable.Range(1, 16)],
        });
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await StatusAsync(withdrawn))["booking"]!["sessions"]!.AsArray()
            .All(x => x!["status"]!.GetValue<string>() == "cancelled")));
        var b = await StatusAsync(booked);
        Assert.Equal("booked", b["status"]!.GetValue<string>());
        Assert.StartsWith("Refused: waitlisted while booked", b["history"]![2]!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_session_moved_twice_shows_the_later_move_even_when_the_earlier_one_arrives_last(string provider)
    {
        // Found by the three-service lifecycle fuzz test (seeds 14 and 28): the two moves travel as two messages and the
        // referral showed whichever was consumed last.
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var id = await PostAsync(client, Referral.Valid());
        var bus = app.Service<IBus>();
        var booked = TestCourse.Booked(id);
        await bus.Publish(booked);
        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["status"]!.GetValue<string>() == "booked"));
        var session = booked.Sessions[6];
        var first = new DateTime(2027, 2, 17, 9, 0, 0);
        var second = new DateTime(2027, 2, 18, 20, 0, 0);
        AppointmentRescheduled Move(DateTime from, DateTime to, int sequence) => new(booked.CourseId, id, session.AppointmentId, 7,
            from, new DateTimeOffset(from, TimeSpan.Zero), to, new DateTimeOffset(to, TimeSpan.Zero), sequence, DateTimeOffset.UtcNow);

        await bus.Publish(Move(first, second, 2));
        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["history"]!.AsArray().Count == 3));
        await bus.Publish(Move(session.LocalStart, first, 1));
        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["history"]!.AsArray().Count == 4));

        var shown = (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["booking"]!["sessions"]![6]!;
        Assert.Equal(("2027-02-18T20:00", 2), (shown["localStart"]!.GetValue<string>(), shown["sequence"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Changes_that_overtake_the_booking_wait_for_it_and_are_applied_when_it_arrives(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var id = await PostAsync(client, Referral.Valid());
        var bus = app.Service<IBus>();
        var booked = TestCourse.Booked(id);
        var third = booked.Sessions[2];
        var to = new DateTime(2027, 1, 20, 9, 0, 0);

        await bus.Publish(new AppointmentRescheduled(booked.CourseId, id, third.AppointmentId, 3, third.LocalStart, third.StartUtc,
            to, new DateTimeOffset(to, TimeSpan.Zero), 1, DateTimeOffset.UtcNow));
        await bus.Publish(new AppointmentCancelled(booked.CourseId, id, booked.Sessions[9].AppointmentId, 10, booked.Sessions[9].LocalStart,
            booked.Sessions[9].StartUtc, "patient", 2, DateTimeOffset.UtcNow));
        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            await app.CountAsync("parked_booking_changes") == 2));
        await bus.Publish(booked);

        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["history"]!.AsArray().Count == 4));
        var sessions = (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["booking"]!["sessions"]!.AsArray();
        Assert.Equal("2027-01-20T09:00", sessions[2]!["localStart"]!.GetValue<string>());
        Assert.Equal("cancelled", sessions[9]!["status"]!.GetValue<string>());
        Assert.Equal(15, sessions.Count(s => s!["status"]!.GetValue<string>() == "booked"));
        Assert.Equal(0, await app.CountAsync("parked_booking_changes"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_course_cancellation_that_overtakes_the_booking_still_shows_the_sessions_held_before_it(string provider)
    {
        // Found by the three-service fuzz test with referrals down for a month (seed 2029): the referral showed no
        // course at all while scheduling kept four held sessions.
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var id = await PostAsync(client, Referral.Valid());
        var bus = app.Service<IBus>();
        var booked = TestCourse.Booked(id);

        await bus.Publish(new CourseCancelled(booked.CourseId, id, "Patient moved away", 1, DateTimeOffset.UtcNow) { CancelledSessions = [.. Enumerable.Range(4, 13)] });
        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["status"]!.GetValue<string>() == "cancelled"));
        await bus.Publish(booked);
        Assert.True(await ReferralsApp.EventuallyAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["booking"] is not null));

        var view = (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!;
        Assert.Equal("cancelled", view["status"]!.GetValue<string>());
        Assert.Equal([1, 2, 3], view["booking"]!["sessions"]!.AsArray().Where(x => x!["status"]!.GetValue<string>() == "booked").Select(x => x!["number"]!.GetValue<int>()));
        Assert.Equal(0, await app.CountAsync("parked_booking_changes"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_course_cancelled_after_three_sessions_shows_those_three_as_they_were_and_the_rest_cancelled(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var id = await PostAsync(client, Referral.Valid());
        var bus = app.Service<IBus>();
        var booked = TestCourse.Booked(id);
        await bus.Publish(booked);
        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["status"]!.GetValue<string>() == "booked"));

        await bus.Publish(new CourseCancelled(booked.CourseId, id, "Patient moved away", 1, DateTimeOffset.UtcNow)
        {
            CancelledSessions = Enumerable.Range(4, 13).ToList(),
        });

        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["status"]!.GetValue<string>() == "cancelled"));
        var sessions = (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["booking"]!["sessions"]!.AsArray();
        Assert.Equal(["booked", "booked", "booked"], sessions.Take(3).Select(s => s!["status"]!.GetValue<string>()));
        Assert.All(sessions.Skip(3), s => Assert.Equal("cancelled", s!["status"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_waitlisted_referral_says_so_with_the_reason(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var id = await PostAsync(client, Referral.Valid());

        await app.Service<IBus>().Publish(new CourseWaitlisted(id, "No therapist free", DateTimeOffset.UtcNow));

        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["status"]!.GetValue<string>() == "waitlisted"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referrer_withdraws_its_referral_once_and_scheduling_is_told(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var other = await app.NewReferrerAsync("Other");
        var id = await PostAsync(client, Referral.Valid());

        var byOther = await other.PostAsJsonAsync($"/api/referrals/{id}/withdraw", new { reason = "not mine" });
        var withdrawn = await client.PostAsJsonAsync($"/api/referrals/{id}/withdraw", new { reason = "Patient moved away" });
        var again = await client.PostAsync($"/api/referrals/{id}/withdraw", null);

        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var status = (await withdrawn.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("cancelled", status["status"]!.GetValue<string>());
        Assert.Equal("Withdrawn by the referrer: Patient moved away", status["history"]![1]!["detail"]!.GetValue<string>());
        var message = await IntakeRulesTests.OutboxMessageAsync<ReferralWithdrawn>(app);
        Assert.Equal(id, message.ReferralId);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_accepted_after_review_goes_for_booking_and_a_closed_one_is_cancelled_with_the_reason(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var risky = Referral.With("risk", new JsonObject { ["currentRisk"] = true, ["notes"] = "recent self-harm" }, reference: "R-1");
        var accepted = await PostAsync(client, risky);
        var closed = await PostAsync(client, Referral.With("risk", new JsonObject { ["currentRisk"] = true }, reference: "R-2"));
        var bus = app.Service<IBus>();

        await bus.Publish(new ReferralReviewed(accepted, ReferralReviewed.Accept, null, "coordinator-1", DateTimeOffset.UtcNow));
        await bus.Publish(new ReferralReviewed(closed, ReferralReviewed.Close, "Referred to crisis team", "coordinator-1", DateTimeOffset.UtcNow));

        async Task<string> StatusOf(Guid id) => (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["status"]!.GetValue<string>();
        Assert.True(await ReferralsApp.EventuallyAsync(async () => await StatusOf(accepted) == "received" && await StatusOf(closed) == "cancelled"));
        var sent = await IntakeRulesTests.OutboxMessageAsync<ReferralAccepted>(app);
        Assert.Equal(accepted, sent.ReferralId);
        var history = (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{closed}"))!["history"]!.AsArray();
        Assert.Equal("Closed after review: Referred to crisis team", history[^1]!["detail"]!.GetValue<string>());
    }
}
