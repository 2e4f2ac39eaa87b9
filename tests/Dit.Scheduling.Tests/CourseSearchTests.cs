using Dit.Contracts;
using Dit.Scheduling.Booking;
using NodaTime;

namespace Dit.Scheduling.Tests;

public sealed class CourseSearchTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private readonly CourseSearch _search = new(BookingRules.Default);

    private static TherapistDiary Therapist(string name, LocalTime from, LocalTime to, int maxPerWeek = 30, params Instant[] booked) =>
        new(Guid.NewGuid(), name, maxPerWeek,
            Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).Select(d => new WorkingHours(d, from, to)).ToList(),
            booked.Order().ToList());

    private static HashSet<LocalDate> Days(LocalDate from, LocalDate to)
    {
        var days = new HashSet<LocalDate>();
        for (var d = from; d <= to; d = d.PlusDays(1)) days.Add(d);
        return days;
    }

    private static SearchRequest Tuesdays(int fromHour, int toHour, LocalDate earliest, string zone = "Europe/London") =>
        new([new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(fromHour, 0), new TimeOnly(toHour, 0))], earliest,
            DateTimeZoneProviders.Tzdb[zone]);

    private static Instant UkInstant(int year, int month, int day, int hour) =>
        new LocalDateTime(year, month, day, hour, 0).InZoneStrictly(London).ToInstant();

    [Fact]
    public void A_Tuesday_18_00_course_across_the_March_clock_change_stays_at_18_00_on_the_wall_clock()
    {
        var slot = _search.FindBest(Tuesdays(18, 19, new LocalDate(2027, 3, 1)), [Therapist("A", new(7, 0), new(23, 0))])!;

        Assert.Equal(16, slot.Course.Sessions.Count);
        Assert.All(slot.Course.Sessions, s => Assert.Equal(new LocalTime(18, 0), s.LocalStart.TimeOfDay));
        Assert.All(slot.Course.Sessions, s => Assert.Equal(IsoDayOfWeek.Tuesday, s.LocalStart.DayOfWeek));
        Assert.Equal(new LocalDate(2027, 3, 2), slot.Course.Sessions[0].LocalStart.Date);
        // 28 March 2027 the clocks go forward: 18:00 is 18:00 UTC before, 17:00 UTC after.
        Assert.Equal(18, slot.Course.Sessions[3].Start.InUtc().Hour);   // 23 March
        Assert.Equal(17, slot.Course.Sessions[4].Start.InUtc().Hour);   // 30 March
        Assert.Equal(Enumerable.Range(1, 16), slot.Course.Sessions.Select(s => s.Number));
    }

    [Fact]
    public void A_Tuesday_18_00_course_across_the_October_clock_change_stays_at_18_00_on_the_wall_clock()
    {
        var slot = _search.FindBest(Tuesdays(18, 19, new LocalDate(2027, 10, 1)), [Therapist("A", new(7, 0), new(23, 0))])!;

        Assert.All(slot.Course.Sessions, s => Assert.Equal(new LocalTime(18, 0), s.LocalStart.TimeOfDay));
        // 31 October 2027 the clocks go back: 17:00 UTC before, 18:00 UTC after.
        Assert.Equal(new LocalDate(2027, 10, 26), slot.Course.Sessions[3].LocalStart.Date);
        Assert.Equal(17, slot.Course.Sessions[3].Start.InUtc().Hour);
        Assert.Equal(18, slot.Course.Sessions[4].Start.InUtc().Hour);
    }

    [Fact]
    public void The_earliest_first_session_wins_and_every_session_fits_the_patients_window()
    {
        var request = new SearchRequest(
            [
                new AvailabilityWindow(DayOfWeek.Saturday, new TimeOnly(9, 0), new TimeOnly(12, 0)),
                new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(21, 0)),
            ],
            new LocalDate(2027, 1, 6), London);   // a Wednesday: Saturday 9th comes before Tuesday 12th

        var slot = _search.FindBest(request, [Therapist("A", new(7, 0), new(23, 0))])!;

        Assert.Equal(IsoDayOfWeek.Saturday, slot.Course.Day);
        Assert.Equal(new LocalTime(9, 0), slot.Course.Time);
        Assert.Equal(new LocalDate(2027, 1, 9), slot.Course.Sessions[0].LocalStart.Date);
    }

    [Fact]
    public void A_session_must_end_inside_the_window_so_a_window_ending_at_19_30_offers_18_00_not_19_00()
    {
        var candidates = _search.Candidates(new SearchRequest(
            [new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 30))], new LocalDate(2027, 1, 1), London)).ToList();

        Assert.Equal([new LocalTime(18, 0)], candidates.Select(c => c.Time).Distinct());
    }

    [Fact]
    public void A_taken_time_is_never_offered_again_and_without_moves_the_next_free_hour_is()
    {
        var earliest = new LocalDate(2027, 1, 5);   // Tuesday
        var takenWeek7 = UkInstant(2027, 2, 16, 17);
        var busy = Therapist("Busy", new(7, 0), new(23, 0), 30, takenWeek7);

        var slot = new CourseSearch(BookingRules.Default with { MaxMovedTakenWeeks = 0 }).FindBest(Tuesdays(17, 21, earliest), [busy])!;

        Assert.Equal(new LocalTime(18, 0), slot.Course.Time);
        Assert.DoesNotContain(slot.Course.Sessions, s => s.Start == takenWeek7);
    }

    [Fact]
    public void A_week_whose_regular_time_is_taken_moves_to_the_nearest_free_time_that_week_at_most_twice()
    {
        var earliest = new LocalDate(2027, 1, 5);   // Tuesday
        var taken = new[] { UkInstant(2027, 2, 16, 17), UkInstant(2027, 3, 2, 17) };
        var slot = _search.FindBest(Tuesdays(17, 21, earliest), [Therapist("Busy", new(7, 0), new(23, 0), 30, taken)])!;

        Assert.Equal(new LocalTime(17, 0), slot.Course.Time);
        Assert.Equal(new LocalDate(2027, 1, 5), slot.Course.Sessions[0].LocalStart.Date);
        Assert.Equal(16, slot.Course.Sessions.Count);
        Assert.Empty(slot.Course.SkippedWeeks);
        // Weeks 7 and 9 keep their Tuesday, an hour later; every other week keeps 17:00.
        Assert.Equal([new LocalDateTime(2027, 2, 16, 18, 0), new LocalDateTime(2027, 3, 2, 18, 0)],
            slot.Course.Sessions.Where(s => s.LocalStart.TimeOfDay != new LocalTime(17, 0)).Select(s => s.LocalStart));

        // A third taken week is one too many: 17:00 is refused and the course takes 18:00 every week.
        var third = Therapist("Busier", new(7, 0), new(23, 0), 30, [.. taken, UkInstant(2027, 3, 16, 17)]);
        Assert.Equal(new LocalTime(18, 0), _search.FindBest(Tuesdays(17, 21, earliest), [third])!.Course.Time);
    }

    [Fact]
    public void A_taken_week_on_the_therapists_leave_does_not_count_against_the_two_that_may_move()
    {
        // Three Tuesdays at 17:00 are taken, but the therapist is on leave on the third (a session still in the diary from
        // before the leave was entered): only two weeks need to move, so the course keeps 17:00 and skips the leave week.
        var earliest = new LocalDate(2027, 1, 5);
        var taken = new[] { UkInstant(2027, 2, 16, 17), UkInstant(2027, 3, 2, 17), UkInstant(2027, 3, 16, 17) };
        var onLeave = Therapist("On leave", new(7, 0), new(23, 0), 30, taken) with { LeaveDays = Days(new LocalDate(2027, 3, 16), new LocalDate(2027, 3, 16)) };

        var slot = _search.FindBest(Tuesdays(17, 21, earliest), [onLeave])!;

        Assert.Equal(new LocalTime(17, 0), slot.Course.Time);
        Assert.Equal([new LocalDate(2027, 3, 16)], slot.Course.SkippedWeeks);
        Assert.Equal([new LocalDateTime(2027, 2, 16, 18, 0), new LocalDateTime(2027, 3, 2, 18, 0)],
            slot.Course.Sessions.Where(s => s.LocalStart.TimeOfDay != new LocalTime(17, 0)).Select(s => s.LocalStart));
        Assert.Equal(16, slot.Course.Sessions.Count);
    }

    [Fact]
    public void A_session_overlapping_an_appointment_that_starts_off_the_hour_is_not_offered()
    {
        var earliest = new LocalDate(2027, 1, 5);
        var offGrid = UkInstant(2027, 1, 5, 17).Plus(Duration.FromMinutes(30));   // 17:30–18:20 overlaps 18:00
        var slot = _search.FindBest(Tuesdays(18, 20, earliest), [Therapist("A", new(7, 0), new(23, 0), 30, offGrid)])!;

        Assert.Equal(new LocalTime(19, 0), slot.Course.Time);
    }

    [Fact]
    public void Only_therapists_whose_hours_cover_the_time_are_chosen()
    {
        var early = Therapist("Early", new(7, 0), new(15, 0));
        var late = Therapist("Late", new(15, 0), new(23, 0));

        var slot = _search.FindBest(Tuesdays(19, 21, new LocalDate(2027, 1, 5)), [early, late])!;

        Assert.Equal("Late", slot.Therapist.Name);
    }

    [Fact]
    public void For_the_same_time_the_therapist_with_the_lighter_load_is_chosen()
    {
        var far = UkInstant(2027, 6, 1, 9);
        var loaded = Therapist("Loaded", new(7, 0), new(23, 0), 30, far, far + Duration.FromHours(1), far + Duration.FromHours(2));
        var light = Therapist("Light", new(7, 0), new(23, 0), 30, far);

        var slot = _search.FindBest(Tuesdays(18, 19, new LocalDate(2027, 1, 5)), [loaded, light])!;

        Assert.Equal("Light", slot.Therapist.Name);
    }

    [Fact]
    public void A_therapist_at_their_weekly_cap_is_not_given_another_session_that_week()
    {
        var monday = UkInstant(2027, 1, 4, 9);
        var capped = Therapist("Capped", new(7, 0), new(23, 0), 1, monday);
        var free = Therapist("Free", new(7, 0), new(23, 0), 1, UkInstant(2027, 9, 1, 9), UkInstant(2027, 9, 2, 9));

        var slot = _search.FindBest(Tuesdays(18, 19, new LocalDate(2027, 1, 5)), [capped, free])!;

        Assert.Equal("Free", slot.Therapist.Name);
    }

    [Fact]
    public void Nothing_fits_when_no_therapist_works_inside_the_window()
    {
        Assert.Null(_search.FindBest(Tuesdays(7, 9, new LocalDate(2027, 1, 5)), [Therapist("Late", new(15, 0), new(23, 0))]));
    }

    [Fact]
    public void A_course_for_a_patient_in_New_York_keeps_their_wall_clock_and_stays_inside_07_00_to_23_00_UK()
    {
        // 12:00 New York is 17:00 in London most weeks; 08:00 New York would be 13:00 London. Both inside the UK day.
        var slot = _search.FindBest(Tuesdays(12, 13, new LocalDate(2027, 3, 1), "America/New_York"),
            [Therapist("A", new(7, 0), new(23, 0))])!;

        var newYork = DateTimeZoneProviders.Tzdb["America/New_York"];
        Assert.All(slot.Course.Sessions, s => Assert.Equal(new LocalTime(12, 0), s.Start.InZone(newYork).TimeOfDay));
        // US clocks change on 14 March, UK on 28 March: for two weeks the UK time is 16:00, not 17:00.
        Assert.Contains(slot.Course.Sessions, s => s.Start.InZone(London).Hour == 16);
        Assert.Contains(slot.Course.Sessions, s => s.Start.InZone(London).Hour == 17);
    }

    [Fact]
    public void A_patient_time_that_falls_outside_the_UK_day_is_not_offered()
    {
        // 20:00 in New York is 01:00 in London.
        Assert.Empty(_search.Candidates(Tuesdays(20, 21, new LocalDate(2027, 1, 5), "America/New_York")));
    }

    [Fact]
    public void Leave_in_week_5_moves_only_session_5_to_another_free_time_that_week_inside_the_patients_windows()
    {
        // Tuesdays 18:00 and Thursdays 18:00–20:00 from 5 January 2027; leave on Tuesday 2 February (week 5).
        var request = new SearchRequest(
            [
                new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0)),
                new AvailabilityWindow(DayOfWeek.Thursday, new TimeOnly(18, 0), new TimeOnly(20, 0)),
            ],
            new LocalDate(2027, 1, 5), London);
        var therapist = Therapist("A", new(7, 0), new(23, 0)) with { LeaveDays = Days(new LocalDate(2027, 2, 2), new LocalDate(2027, 2, 2)) };

        var slot = _search.FindBest(request, [therapist])!;

        Assert.Equal(IsoDayOfWeek.Tuesday, slot.Course.Day);
        Assert.Equal(new LocalDateTime(2027, 2, 4, 18, 0), slot.Course.Sessions[4].LocalStart);   // Thursday of week 5
        Assert.All(slot.Course.Sessions.Where(s => s.Number != 5), s =>
        {
            Assert.Equal(IsoDayOfWeek.Tuesday, s.LocalStart.DayOfWeek);
            Assert.Equal(new LocalTime(18, 0), s.LocalStart.TimeOfDay);
        });
        Assert.Equal(Enumerable.Range(1, 16), slot.Course.Sessions.Select(s => s.Number));
    }

    [Fact]
    public void A_bank_holiday_moves_that_weeks_session_and_without_another_time_that_week_the_course_skips_it()
    {
        var closed = ClosedDays.Only([new(2027, 5, 31)]);   // Spring bank holiday, a Monday
        var mondaysOnly = new SearchRequest([new AvailabilityWindow(DayOfWeek.Monday, new TimeOnly(10, 0), new TimeOnly(12, 0))],
            new LocalDate(2027, 5, 3), London, closed);
        var mondaysAndFridays = mondaysOnly with
        {
            Windows = [.. mondaysOnly.Windows, new AvailabilityWindow(DayOfWeek.Friday, new TimeOnly(10, 0), new TimeOnly(11, 0))],
        };
        var therapist = Therapist("A", new(7, 0), new(23, 0));

        var withFriday = _search.FindBest(mondaysAndFridays, [therapist])!;
        var mondayOnly = _search.FindBest(mondaysOnly, [therapist]);

        Assert.Equal(IsoDayOfWeek.Monday, withFriday.Course.Day);
        Assert.Equal(new LocalDateTime(2027, 6, 4, 10, 0), withFriday.Course.Sessions[4].LocalStart);   // Friday of the bank holiday week
        // Mondays only: 31 May is skipped, the 16th session falls a week later.
        Assert.Equal([new LocalDate(2027, 5, 31)], mondayOnly!.Course.SkippedWeeks);
        Assert.Equal(new LocalDate(2027, 5, 3), mondayOnly.Course.Sessions[0].LocalStart.Date);
        Assert.Equal(new LocalDate(2027, 8, 23), mondayOnly.Course.Sessions[15].LocalStart.Date);
        Assert.All(mondayOnly.Course.Sessions, s => Assert.Equal(IsoDayOfWeek.Monday, s.LocalStart.DayOfWeek));
    }

    [Fact]
    public void A_therapist_on_leave_for_a_whole_week_gives_way_to_another_therapist()
    {
        var away = Therapist("Away", new(7, 0), new(23, 0)) with { LeaveDays = Days(new LocalDate(2027, 2, 1), new LocalDate(2027, 2, 7)) };
        var busier = Therapist("Busier", new(7, 0), new(23, 0), 30, UkInstant(2027, 9, 1, 9), UkInstant(2027, 9, 2, 9));

        var slot = _search.FindBest(Tuesdays(18, 19, new LocalDate(2027, 1, 5)), [away, busier])!;

        Assert.Equal("Busier", slot.Therapist.Name);
        Assert.All(slot.Course.Sessions, s => Assert.Equal(IsoDayOfWeek.Tuesday, s.LocalStart.DayOfWeek));
    }

    [Fact]
    public void Free_starts_offer_the_same_week_nearest_first_and_never_a_taken_or_closed_time()
    {
        var taken = UkInstant(2027, 1, 12, 19);
        var therapist = Therapist("A", new(18, 0), new(21, 0), 30, taken);
        var closed = ClosedDays.Only([new(2027, 1, 13)]);

        var free = _search.FreeStarts(therapist, new LocalDate(2027, 1, 11), new LocalDate(2027, 1, 14), London, null, closed,
            UkInstant(2027, 1, 12, 18)).ToList();

        Assert.Equal(new LocalDateTime(2027, 1, 12, 18, 0), free[0].LocalStart);
        Assert.Equal(new LocalDateTime(2027, 1, 12, 20, 0), free[1].LocalStart);
        Assert.DoesNotContain(free, f => f.Start == taken);
        Assert.DoesNotContain(free, f => f.LocalStart.Date == new LocalDate(2027, 1, 13));
        Assert.Equal(8, free.Count);   // 3 hours × 3 open days, less the taken one
    }
}
