using Dit.Contracts;
using Dit.Scheduling.Booking;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>
/// Issue 25: a patient who could come at many times is booked, within the week of their earliest start, at the time the
/// clinic's other patients want least — never in a later week for the sake of it.
/// </summary>
public sealed class ScarceTimesTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    private static AvailabilityWindow Window(DayOfWeek day, int from, int to) => new(day, new TimeOnly(from, 0), new TimeOnly(to, 0));

    [Theory]
    [InlineData(true, "2027-01-07T09:00")]    // Thursday morning, which nobody else wants
    [InlineData(false, "2027-01-06T20:00")]   // the rule before: the earliest start, Wednesday evening's last hour
    public async Task A_patient_who_could_also_come_in_the_day_leaves_the_evening_the_clinics_evening_patients_need(bool scarceTimesLast, string expectedFirst)
    {
        var clock = new SettableClock(SchedulingApp.DefaultNow);   // Monday 4 January 2027, 09:00; first sessions from Wednesday (two days' lead)
        await using var app = await SchedulingApp.StartAsync("sqlite", clock,
            new() { ["Scheduling:Booking:ScarceTimesLast"] = scarceTimesLast ? "true" : "false" });
        await app.AddTherapistAsync("Late shift", new(15, 0), new(23, 0));
        await app.AddTherapistAsync("Day shift", new(9, 0), new(17, 0));
        var bus = app.Services.GetRequiredService<IBus>();
        ReferralForBooking Referral(string initials, params AvailabilityWindow[] windows) =>
            new(Guid.NewGuid(), "referrer-1", windows, new DateOnly(2027, 1, 4), "Europe/London", initials, clock.GetCurrentInstant().ToDateTimeOffset());

        // Three patients who can come only on Wednesday and Thursday evenings, referred this morning: 17:00, 18:00 and 19:00.
        for (var i = 0; i < 3; i++)
            await bus.Publish(Referral($"E{i}", Window(DayOfWeek.Wednesday, 17, 21), Window(DayOfWeek.Thursday, 17, 21)));
        Assert.Equal(48, await app.WaitForCountAsync("select count(*) from appointments", 48));

        // An hour later (the clinic's demand is read at most hourly), a patient free on Wednesday evening or Thursday in the day.
        clock.Set(clock.GetCurrentInstant() + Duration.FromMinutes(61));
        await bus.Publish(Referral("AT", Window(DayOfWeek.Wednesday, 17, 21), Window(DayOfWeek.Thursday, 9, 17)));
        Assert.Equal(64, await app.WaitForCountAsync("select count(*) from appointments", 64));

        var first = await app.ScalarAsync<string>(
            "select a.local_start from appointments a join courses c on c.id = a.course_id where c.patient_initials = 'AT' and a.session_number = 1");
        Assert.Equal(expectedFirst, first);
        Assert.Equal(scarceTimesLast ? "Day shift" : "Late shift", await app.ScalarAsync<string>(
            "select t.name from courses c join therapists t on t.id = c.therapist_id where c.patient_initials = 'AT'"));
    }

    [Fact]
    public void Scarcity_never_moves_a_course_to_a_later_week_and_ties_go_to_the_earliest()
    {
        var search = new CourseSearch(BookingRules.Default);
        var monday = new LocalDate(2027, 1, 4);
        var hours = Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).Select(d => new WorkingHours(d, new(9, 0), new(21, 0))).ToList();
        // Twenty evening-only patients waiting: Wednesday and Thursday evenings are scarce, mornings are not.
        var evenings = Enumerable.Repeat<(IReadOnlyList<AvailabilityWindow>, DateTimeZone)>(
            ([Window(DayOfWeek.Wednesday, 17, 21), Window(DayOfWeek.Thursday, 17, 21)], London), 20);
        var therapist = new TherapistDiary(Guid.NewGuid(), "A", 30, hours, []);
        var scarcity = SlotScarcity.Of(evenings, [therapist], search, monday);
        Assert.True(scarcity.At(IsoDayOfWeek.Wednesday, 18) > scarcity.At(IsoDayOfWeek.Monday, 10));

        var request = new SearchRequest([Window(DayOfWeek.Wednesday, 17, 19), Window(DayOfWeek.Monday, 10, 11)], new LocalDate(2027, 1, 6), London,
            Scarcity: scarcity);
        // Within the week from Wednesday 6 January, Monday 11 January 10:00 is the least wanted time.
        Assert.Equal(new LocalDateTime(2027, 1, 11, 10, 0), search.FindBest(request, [therapist])!.Course.Sessions[0].LocalStart);

        // With every Monday 10:00 of the next weeks taken, the course does not wait for a later Monday: Wednesday evening it is.
        var mondays = Enumerable.Range(0, 20).Select(w => new LocalDateTime(2027, 1, 11, 10, 0).PlusWeeks(w).InZoneStrictly(London).ToInstant()).ToList();
        var busy = therapist with { BookedStarts = mondays };
        Assert.Equal(new LocalDateTime(2027, 1, 6, 17, 0), search.FindBest(request, [busy])!.Course.Sessions[0].LocalStart);

        // Without scarcity (or where it ties) the earliest start wins, as before.
        Assert.Equal(new LocalDateTime(2027, 1, 6, 17, 0), search.FindBest(request with { Scarcity = null }, [therapist])!.Course.Sessions[0].LocalStart);
    }
}
