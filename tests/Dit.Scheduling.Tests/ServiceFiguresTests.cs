using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

public sealed class ServiceFiguresTests
{
    [Fact]
    public async Task The_figures_count_waiting_times_to_a_first_session_DNAs_outcomes_and_utilisation_from_the_clinics_own_data()
    {
        var clock = new SettableClock(SchedulingApp.DefaultNow);   // Monday 4 January 2027
        await using var app = await SchedulingApp.StartAsync("sqlite", clock);
        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0), maxPerWeek: 10);
        var coordinator = await app.NewStaffAsync("Coordinator and clinical lead", "coordinator", "clinical-lead");
        var bus = app.Services.GetRequiredService<IBus>();
        ReferralForBooking Referral(string initials, DateTimeOffset at, params AvailabilityWindow[] windows) =>
            new(Guid.NewGuid(), "referrer-1", windows, new DateOnly(2027, 3, 1), "Europe/London", initials, at);
        var tuesday = new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(19, 0));
        // Referred 4 January, first session 2 March: 8 weeks. Referred 20 February: under 2 weeks.
        await bus.Publish(Referral("AA", new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero), tuesday));
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        await bus.Publish(Referral("BB", new DateTimeOffset(2027, 2, 20, 9, 0, 0, TimeSpan.Zero), tuesday));
        Assert.Equal(32, await app.WaitForCountAsync("select count(*) from appointments", 32));
        // Only before 07:00 on Sundays: nothing fits, waitlisted.
        await bus.Publish(Referral("CC", DateTimeOffset.UtcNow, new AvailabilityWindow(DayOfWeek.Sunday, new TimeOnly(5, 0), new TimeOnly(6, 0))));
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from waitlist", 1));

        clock.Set(Instant.FromUtc(2027, 3, 20, 9, 0));
        var aa = await app.ScalarAsync<string>("select id from courses where patient_initials = 'AA'");
        async Task Attendance(string initials, int session, string outcome) =>
            (await coordinator.PostAsJsonAsync($"/api/appointments/{await app.ScalarAsync<string>(
                "select a.id from appointments a join courses c on c.id = a.course_id where c.patient_initials = @initials and a.session_number = @session",
                new { initials, session })}/attendance", new { outcome })).EnsureSuccessStatusCode();
        await Attendance("AA", 1, "attended");
        await Attendance("AA", 2, "attended");
        await Attendance("BB", 1, "dna");
        foreach (var (session, each) in new[] { (1, 2), (2, 1) })
            (await coordinator.PutAsJsonAsync($"/api/courses/{aa}/sessions/{session}/scores", new
            {
                phq9 = Enumerable.Repeat(each, 8).Append(0), gad7 = Enumerable.Repeat(each, 7), wsas = session == 1 ? new[] { 1, 1, 1, 1, 1 } : null,
            })).EnsureSuccessStatusCode();
        (await coordinator.PostAsJsonAsync($"/api/courses/{aa}/end", new { reason = "Moved away" })).EnsureSuccessStatusCode();

        var figures = (await coordinator.GetFromJsonAsync<JsonObject>("/api/figures/"))!;

        var waiting = figures["waiting"]!;
        // CC, waitlisted on 4 January: 10.7 weeks by 20 March.
        Assert.Equal((1, 1, 10.7), (waiting["waiting"]!.GetValue<int>(), waiting["sixToEighteenWeeks"]!.GetValue<int>(), waiting["longestWeeks"]!.GetValue<double>()));
        var first = figures["firstSessions"]!;
        Assert.Equal((2, 50.0, 100.0), (first["firstSessions"]!.GetValue<int>(), first["withinSixWeeksPercent"]!.GetValue<double>(), first["withinEighteenWeeksPercent"]!.GetValue<double>()));
        Assert.Equal(2, first["byWeek"]!.AsArray().Sum(w => w!["firstSessions"]!.GetValue<int>()));
        Assert.Equal((3, 1, 33.3), (figures["attendance"]!["recorded"]!.GetValue<int>(), figures["attendance"]!["dna"]!.GetValue<int>(), figures["attendance"]!["dnaPercent"]!.GetValue<double>()));
        var outcomes = figures["outcomes"]!;
        // AA: PHQ-9 16, GAD-7 14 (a case) to 8 and 7: recovered, PHQ-9 down 8.
        Assert.Equal((1, 1, 1, 100.0, 100.0), (outcomes["ended"]!.GetValue<int>(), outcomes["withOutcome"]!.GetValue<int>(), outcomes["casesAtStart"]!.GetValue<int>(),
            outcomes["recoveryPercent"]!.GetValue<double>(), outcomes["reliableRecoveryPercent"]!.GetValue<double>()));
        // Next 4 weeks: BB's Tuesdays 23 and 30 March, 6 and 13 April; AA's were cancelled when it ended. Cap 10 a week.
        var evening = figures["therapists"]!.AsArray().Single()!;
        Assert.Equal((4, 40, 10.0), (evening["booked"]!.GetValue<int>(), evening["capacity"]!.GetValue<int>(), evening["percent"]!.GetValue<double>()));

        // Demand against capacity, next 16 weeks. The therapist works 15:00–23:00 every day (8 hour slots, 56 a week) under
        // a cap of 10: 10/56 of each slot. Tuesday 17–20: 3 slots × 16 Tuesdays × 10/56 = 8.6 hours, 0.54 a week. AA and BB,
        // referred in the last 12 weeks, can come only then: 2/12 referrals a week × 16 sessions = 2.67 sessions a week.
        var demand = figures["demandAndCapacity"]!;
        Assert.Equal(["07–09", "09–12", "12–17", "17–20", "20–23"], demand["bands"]!.AsArray().Select(b => b!.GetValue<string>()));
        var cells = demand["cells"]!.AsArray();
        Assert.Equal(35, cells.Count);
        var tuesdayEvening = cells.Single(c => c!["weekday"]!.GetValue<string>() == "Tuesday" && c["band"]!.GetValue<string>() == "17–20")!;
        Assert.Equal((8.6, 0.5, 2.7, 4.98, 2.1), (tuesdayEvening["therapistHours"]!.GetValue<double>(), tuesdayEvening["weeklyCapacity"]!.GetValue<double>(),
            tuesdayEvening["weeklyDemand"]!.GetValue<double>(), tuesdayEvening["queueLoad"]!.GetValue<double>(), tuesdayEvening["shortPerWeek"]!.GetValue<double>()));
        // BB's Tuesdays from 23 March to 15 June are committed; BB's DNA and AA's two attended sessions were Tuesday evenings.
        Assert.Equal((13, 3, 33.3), (tuesdayEvening["committed"]!.GetValue<int>(), tuesdayEvening["dnaRecorded"]!.GetValue<int>(),
            tuesdayEvening["dnaPercent"]!.GetValue<double>()));
        // Nobody else asks anything of any other band, so no other band is short.
        Assert.All(cells.Where(c => c != tuesdayEvening), c => Assert.Equal(0, c!["shortPerWeek"]!.GetValue<double>()));
        Assert.Equal(2.1, demand["shortPerWeek"]!.GetValue<double>());
        // The waiting list projected: nobody waits for these bands now; 2/12 a week arrive and 0.54/16 a week can start.
        var projection = demand["projection"]!.AsArray();
        Assert.Equal((17, 0, 2), (projection.Count, projection[0]!["waiting"]!.GetValue<int>(), projection[^1]!["waiting"]!.GetValue<int>()));
    }
}
