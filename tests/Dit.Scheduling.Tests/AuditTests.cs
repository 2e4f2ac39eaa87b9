using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Audit;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>Every scheduling endpoint that shows or changes a patient's course leaves its row on the audit trail, with the caller.</summary>
public sealed class AuditTests
{
    private static readonly AvailabilityWindow TuesdayEvening = new(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(21, 0));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_read_and_change_of_a_course_is_on_the_trail_as_the_coordinator_or_clinical_lead_who_made_it(string provider)
    {
        var clock = new SettableClock(SchedulingApp.DefaultNow);
        await using var app = await SchedulingApp.StartAsync(provider, clock);
        var therapist = await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        var other = await app.AddTherapistAsync("Also evening", new(15, 0), new(23, 0));
        var coordinator = await app.NewCoordinatorAsync("Casey");
        var coordinatorId = await app.ScalarAsync<string>("select id from coordinators");
        var lead = await app.NewStaffAsync("Lee", "clinical-lead");
        var leadId = await app.ScalarAsync<string>("select id from coordinators where name = 'Lee'");
        var referralId = Guid.NewGuid();
        await app.Services.GetRequiredService<IBus>().Publish(new ReferralForBooking(referralId, "referrer-1", [TuesdayEvening],
            new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow));
        await app.WaitForCountAsync("select count(*) from appointments", 16);
        var courseId = await app.ScalarAsync<string>("select id from courses");
        var course = (await coordinator.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}"))!;
        string Session(int n) => course["sessions"]![n - 1]!["id"]!.GetValue<string>();
        var bookedAt = (await app.ScalarAsync<long>("select count(*) from audit_trail"));

        async Task Ok(HttpResponseMessage response) => Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await Ok(await coordinator.GetAsync($"/api/courses/{courseId}"));
        await Ok(await coordinator.GetAsync($"/api/appointments/{Session(3)}/alternatives"));
        await Ok(await coordinator.PostAsJsonAsync($"/api/appointments/{Session(3)}/reschedule", new { start = "2027-03-16T19:00" }));
        await Ok(await coordinator.PostAsJsonAsync($"/api/appointments/{Session(5)}/cancel", new { by = "patient" }));
        await Ok(await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/reschedule-following", new { fromSession = 8, start = "2027-04-20T18:00" }));
        await Ok(await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/extend", new { sessions = 18 }));
        await Ok(await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/reassign", new { fromSession = 12, therapistId = course["therapistId"]!.GetValue<Guid>() == therapist ? other : therapist }));
        clock.Set(Instant.FromUtc(2027, 3, 2, 18, 0));
        await Ok(await coordinator.PostAsJsonAsync($"/api/appointments/{Session(1)}/attendance", new { outcome = "attended" }));
        await Ok(await lead.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores",
            new { phq9 = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, gad7 = new[] { 1, 1, 1, 1, 1, 1, 1 }, wsas = new[] { 1, 1, 1, 1, 1 } }));
        await Ok(await lead.GetAsync($"/api/courses/{courseId}/progress"));
        await Ok(await lead.GetAsync("/api/courses/clinical-review"));
        await Ok(await lead.PostAsync($"/api/courses/{courseId}/clinical-review/reviewed", null));
        await Ok(await coordinator.GetAsync("/api/courses/flagged"));
        await Ok(await coordinator.GetAsync("/api/waitlist/"));
        await Ok(await coordinator.GetAsync($"/api/therapists/{course["therapistId"]}/diary?from=2027-03-01&to=2027-03-07"));
        await Ok(await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/cancel", new { reason = "The patient moved away" }));

        await using var connection = await app.Database.OpenAsync();
        var rows = (await connection.QueryAsync<AuditRow>(
            """
            select seq, at, actor_role as ActorRole, actor_id as ActorId, actor_name as ActorName, on_behalf_of as OnBehalfOf, referral_id as ReferralId,
                   course_id as CourseId, action, changes, trace_id as TraceId, prev_hash as PrevHash, hash
            from audit_trail where seq > @bookedAt order by seq
            """, new { bookedAt })).ToList();
        Assert.Equal(
            ["course.read", "session.alternatives.read", "session.moved", "session.cancelled", "course.rescheduled", "course.extended", "course.reassigned",
             "session.attendance", "scores.recorded", "progress.read", "clinical-review.read", "clinical-review.cleared", "diary.read", "course.cancelled"],
            rows.Select(r => r.Action));
        Assert.All(rows, r =>
        {
            Assert.Equal(r.Action is "scores.recorded" or "progress.read" or "clinical-review.read" or "clinical-review.cleared"
                ? ("clinical-lead", leadId) : ("coordinator", coordinatorId), (r.ActorRole, r.ActorId));
            Assert.Equal((referralId.ToString(), courseId), (r.ReferralId, r.CourseId));
        });
        Assert.Contains("\"before\":\"2027-03-16T17:00\",\"after\":\"2027-03-16T19:00\"", rows.Single(r => r.Action == "session.moved").Changes);
        Assert.Contains("\"before\":null,\"after\":\"attended\"", rows.Single(r => r.Action == "session.attendance").Changes);
        // Scores and free text never go in: only that they changed.
        Assert.Equal("[{\"field\":\"session 1 scores\",\"before\":null,\"after\":null}]", rows.Single(r => r.Action == "scores.recorded").Changes);
        Assert.DoesNotContain("moved away", rows.Single(r => r.Action == "course.cancelled").Changes);
        Assert.Empty(await AuditTrail.VerifyAsync(connection));
    }
}
