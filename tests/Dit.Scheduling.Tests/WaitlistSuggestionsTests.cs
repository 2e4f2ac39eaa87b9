using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>Issue 25: for a patient who waits, the nearest times that would start a course within 6 weeks; one agreed to is added and booked.</summary>
public sealed class WaitlistSuggestionsTests
{
    private static ReferralForBooking Referral(params AvailabilityWindow[] windows) =>
        new(Guid.NewGuid(), "referrer-1", windows, new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_waiting_patient_is_offered_the_nearest_free_hours_and_one_they_agree_to_books_the_course_at_once(string provider)
    {
        // One therapist, 15:00–23:00 every day; Tuesdays 17:00 are taken for 16 weeks by another patient's course.
        await using var app = await SchedulingApp.StartAsync(provider, extra: new() { ["Scheduling:Booking:HorizonWeeks"] = "4" });
        await app.AddTherapistAsync("Evening", new LocalTime(15, 0), new LocalTime(23, 0));
        var coordinator = await app.NewCoordinatorAsync();
        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(Referral(new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(21, 0))));
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        var waiting = Referral(new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(18, 0)));
        await bus.Publish(waiting);
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from waitlist", 1));

        var suggestions = (await coordinator.GetFromJsonAsync<JsonArray>($"/api/waitlist/{waiting.ReferralId}/suggestions"))!;

        // An hour either side on the patient's own Tuesday first (earlier hour first), then two hours away; each starts on 2 March.
        Assert.Equal(["Tuesday 16:00–17:00 from 2027-03-02T16:00", "Tuesday 18:00–19:00 from 2027-03-02T18:00", "Tuesday 15:00–16:00 from 2027-03-02T15:00"],
            suggestions.Select(s => $"{s!["day"]} {s["from"]}–{s["to"]} from {s["firstSession"]}"));
        Assert.All(suggestions, s => Assert.Equal("Europe/London", s!["timeZone"]!.GetValue<string>()));

        var noReason = await coordinator.PostAsJsonAsync($"/api/waitlist/{waiting.ReferralId}/windows", new { day = "Tuesday", from = "18:00", to = "19:00" });
        var badDay = await coordinator.PostAsJsonAsync($"/api/waitlist/{waiting.ReferralId}/windows", new { day = "Funday", from = "19:00", to = "18:00", reason = "x" });
        var nobody = await coordinator.PostAsJsonAsync($"/api/waitlist/{Guid.NewGuid()}/windows", new { day = "Tuesday", from = "18:00", to = "19:00", reason = "Agreed" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", (await noReason.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(["day", "to"], (await badDay.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from window_changes"));

        var added = await coordinator.PostAsJsonAsync($"/api/waitlist/{waiting.ReferralId}/windows",
            new { day = "Tuesday", from = "18:00", to = "19:00", reason = "Patient agreed by phone: can stay an hour later" });

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var result = (await added.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(result["booked"]!.GetValue<bool>());
        Assert.Equal("2027-03-02T18:00", result["firstSession"]!.GetValue<string>());
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from waitlist"));
        Assert.Equal(16, await app.ScalarAsync<long>("select count(*) from appointments a join courses c on c.id = a.course_id where c.referral_id = @id",
            new { id = waiting.ReferralId.ToString() }));
        Assert.Equal("Patient agreed by phone: can stay an hour later",
            await app.ScalarAsync<string>("select reason from window_changes where referral_id = @id", new { id = waiting.ReferralId.ToString() }));
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from audit_trail where action = 'waitlist.window-added' and referral_id = @id", 1,
            new { id = waiting.ReferralId.ToString() }));
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from audit_trail where action = 'waitlist.suggestions.read'", 1));
        // Booked, the referral has no suggestions any more.
        var afterBooking = await coordinator.GetAsync($"/api/waitlist/{waiting.ReferralId}/suggestions");
        Assert.True(afterBooking.StatusCode == HttpStatusCode.NotFound, await afterBooking.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_patient_booked_to_start_months_away_is_offered_sooner_hours_and_one_they_agree_to_moves_the_same_course_forward(string provider)
    {
        // One therapist, 15:00–23:00 every day. The first patient takes Tuesdays 17:00 from 2 March for 16 weeks; the
        // second, who can only come then too, is booked behind them from 22 June: sixteen weeks after their earliest start.
        await using var app = await SchedulingApp.StartAsync(provider);
        await app.AddTherapistAsync("Evening", new LocalTime(15, 0), new LocalTime(23, 0));
        var coordinator = await app.NewCoordinatorAsync();
        var bus = app.Services.GetRequiredService<IBus>();
        await bus.Publish(Referral(new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(18, 0))));
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        var late = Referral(new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(18, 0)));
        await bus.Publish(late);
        Assert.Equal(32, await app.WaitForCountAsync("select count(*) from appointments", 32));
        var lateId = new { id = late.ReferralId.ToString() };
        const string firstOfLate = "select min(a.local_start) from appointments a join courses c on c.id = a.course_id where c.referral_id = @id";
        Assert.Equal("2027-06-22T17:00", await app.ScalarAsync<string>(firstOfLate, lateId));

        var lateStarts = (await coordinator.GetFromJsonAsync<JsonArray>("/api/waitlist/late-starts"))!;
        var entry = Assert.Single(lateStarts)!;
        Assert.Equal(late.ReferralId.ToString(), entry["referralId"]!.GetValue<string>());
        Assert.Equal("2027-06-22T17:00", entry["firstSession"]!.GetValue<string>());
        Assert.Equal("Evening", entry["therapist"]!.GetValue<string>());
        Assert.Equal(16, entry["weeksAfterCouldStart"]!.GetValue<int>());

        // Its own therapist's hours count as free for it: the hours either side start on 2 March.
        var suggestions = (await coordinator.GetFromJsonAsync<JsonArray>($"/api/waitlist/{late.ReferralId}/suggestions"))!;
        Assert.Equal(["Tuesday 16:00–17:00 from 2027-03-02T16:00", "Tuesday 18:00–19:00 from 2027-03-02T18:00", "Tuesday 15:00–16:00 from 2027-03-02T15:00"],
            suggestions.Select(s => $"{s!["day"]} {s["from"]}–{s["to"]} from {s["firstSession"]}"));

        // A time nobody works brings nothing sooner: refused, and nothing changes.
        var nothingSooner = await coordinator.PostAsJsonAsync($"/api/waitlist/{late.ReferralId}/windows",
            new { day = "Monday", from = "07:00", to = "08:00", reason = "Patient could come early on Mondays" });
        Assert.Equal(HttpStatusCode.Conflict, nothingSooner.StatusCode);
        Assert.Contains("stays as booked", (await nothingSooner.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from window_changes"));
        Assert.Equal("2027-06-22T17:00", await app.ScalarAsync<string>(firstOfLate, lateId));

        var added = await coordinator.PostAsJsonAsync($"/api/waitlist/{late.ReferralId}/windows",
            new { day = "Tuesday", from = "18:00", to = "19:00", reason = "Patient agreed by phone: can come at six" });

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal("2027-03-02T18:00", (await added.Content.ReadFromJsonAsync<JsonObject>())!["firstSession"]!.GetValue<string>());
        // The same course, its 16 sessions now on Tuesdays 18:00 from 2 March: no new course, no double booking.
        Assert.Equal(2, await app.ScalarAsync<long>("select count(*) from courses"));
        Assert.Equal(32, await app.ScalarAsync<long>("select count(*) from appointments where status = 'booked'"));
        var times = await app.QueryAsync<string>("select a.local_start from appointments a join courses c on c.id = a.course_id where c.referral_id = @id order by a.session_number", lateId);
        Assert.Equal(Enumerable.Range(0, 16).Select(w => new LocalDate(2027, 3, 2).PlusWeeks(w).At(new LocalTime(18, 0)).ToString("uuuu-MM-dd'T'HH:mm", null)), times);
        Assert.Equal(32, await app.ScalarAsync<long>("select count(distinct therapist_id || start_utc) from appointments"));
        var moved = JsonNode.Parse(await app.ScalarAsync<string>("select body from outbox where message_type = 'Dit.Contracts.CourseReassigned'"))!;
        Assert.True(moved["broughtForward"]!.GetValue<bool>());
        Assert.Equal(16, moved["sessions"]!.AsArray().Count);
        Assert.Equal(1, moved["sequence"]!.GetValue<int>());
        Assert.Equal("Patient agreed by phone: can come at six", await app.ScalarAsync<string>("select reason from window_changes where referral_id = @id", lateId));
        Assert.Contains("18:00", await app.ScalarAsync<string>("select availability_json from courses where referral_id = @id", lateId));
        Assert.Empty((await coordinator.GetFromJsonAsync<JsonArray>("/api/waitlist/late-starts"))!);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync($"/api/waitlist/{late.ReferralId}/suggestions")).StatusCode);
    }
}
