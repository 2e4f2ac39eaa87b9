using Dit.Contracts;
using Dit.Scheduling.Booking;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>The search over start weeks, closed weeks, time zones and the calendar of any year (issue 12), as pure logic.</summary>
public sealed class BookingOverTimeTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly ClosedDays BankHolidaysOnly = new(new Dictionary<LocalDate, string>(), new HashSet<LocalDate>());
    private readonly CourseSearch _search = new(BookingRules.Default);

    private static TherapistDiary AllWeek(string name, LocalTime from, LocalTime to, params Instant[] booked) =>
        new(Guid.NewGuid(), name, 30,
            Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).Select(d => new WorkingHours(d, from, to)).ToList(),
            booked.Order().ToList());

    private static AvailabilityWindow Window(DayOfWeek day, int fromHour, int toHour) => new(day, new TimeOnly(fromHour, 0), new TimeOnly(toHour, 0));

    private static Instant Uk(LocalDateTime local) => local.InZoneStrictly(London).ToInstant();

    [Fact]
    public void A_patient_free_only_on_Monday_mornings_from_30_November_2026_gets_16_Mondays_over_17_weeks_skipping_the_Boxing_Day_holiday()
    {
        var request = new SearchRequest([Window(DayOfWeek.Monday, 10, 12)], new LocalDate(2026, 11, 30), London, BankHolidaysOnly);

        var slot = _search.FindBest(request, [AllWeek("A", new(9, 0), new(17, 0))])!;

        Assert.Equal(16, slot.Course.Sessions.Count);
        Assert.All(slot.Course.Sessions, s => Assert.Equal(new LocalTime(10, 0), s.LocalStart.TimeOfDay));
        Assert.All(slot.Course.Sessions, s => Assert.Equal(IsoDayOfWeek.Monday, s.LocalStart.DayOfWeek));
        Assert.Equal([new LocalDate(2026, 12, 28)], slot.Course.SkippedWeeks);   // Boxing Day (substitute day)
        Assert.Equal(new LocalDate(2026, 11, 30), slot.Course.Sessions[0].LocalStart.Date);
        Assert.Equal(new LocalDate(2027, 3, 22), slot.Course.Sessions[15].LocalStart.Date);   // 17 weeks after the first
        Assert.Equal(Enumerable.Range(1, 16), slot.Course.Sessions.Select(s => s.Number));
    }

    [Fact]
    public void A_course_starts_in_week_4_when_the_only_therapists_time_is_taken_for_weeks_1_to_3()
    {
        var firstTuesday = new LocalDate(2027, 1, 5);
        var taken = Enumerable.Range(0, 3).Select(w => Uk(firstTuesday.PlusWeeks(w).At(new LocalTime(18, 0)))).ToArray();
        var request = new SearchRequest([Window(DayOfWeek.Tuesday, 18, 19)], firstTuesday, London);

        var slot = _search.FindBest(request, [AllWeek("A", new(15, 0), new(23, 0), taken)])!;

        Assert.Equal(firstTuesday.PlusWeeks(3), slot.Course.Sessions[0].LocalStart.Date);
        Assert.Equal(firstTuesday.PlusWeeks(18), slot.Course.Sessions[15].LocalStart.Date);
        Assert.Empty(slot.Course.SkippedWeeks);
    }

    [Fact]
    public void Nothing_is_offered_beyond_the_18_week_horizon()
    {
        var firstTuesday = new LocalDate(2027, 1, 5);
        var taken = Enumerable.Range(0, 18).Select(w => Uk(firstTuesday.PlusWeeks(w).At(new LocalTime(18, 0)))).ToArray();
        var request = new SearchRequest([Window(DayOfWeek.Tuesday, 18, 19)], firstTuesday, London);

        Assert.Null(_search.FindBest(request, [AllWeek("A", new(15, 0), new(23, 0), taken)]));
        Assert.NotNull(_search.FindBest(request, [AllWeek("A", new(15, 0), new(23, 0), taken)], horizonWeeks: 19));
    }

    [Fact]
    public void The_first_session_is_never_before_now_plus_the_lead_time_even_when_the_earliest_start_has_passed()
    {
        // Earliest start 1 March; it is now Wednesday 10 March 12:00: the lead time of two days makes Friday 12:00 the first moment.
        var now = Uk(new LocalDateTime(2027, 3, 10, 12, 0));
        var request = new SearchRequest([Window(DayOfWeek.Friday, 9, 17), Window(DayOfWeek.Wednesday, 9, 17)], new LocalDate(2027, 3, 1), London,
            NotBefore: now + Duration.FromDays(BookingRules.Default.LeadDays));

        var slot = _search.FindBest(request, [AllWeek("A", new(9, 0), new(17, 0))])!;

        Assert.Equal(new LocalDateTime(2027, 3, 12, 12, 0), slot.Course.Sessions[0].LocalStart);
    }

    [Fact]
    public void A_patient_in_New_York_free_06_00_to_08_00_their_time_is_booked_inside_their_window_on_the_UK_hour()
    {
        var newYork = DateTimeZoneProviders.Tzdb["America/New_York"];
        var request = new SearchRequest([Window(DayOfWeek.Wednesday, 6, 8)], new LocalDate(2027, 1, 4), newYork);

        var slot = _search.FindBest(request, [AllWeek("Day", new(9, 0), new(17, 0))])!;

        // 06:00 New York is 11:00 London in winter.
        Assert.Equal(new LocalTime(6, 0), slot.Course.Time);
        Assert.All(slot.Course.Sessions, s =>
        {
            var uk = s.Start.InZone(London);
            Assert.Equal(0, uk.Minute);
            Assert.InRange(uk.Hour, 9, 16);
            var local = s.Start.InZone(newYork).TimeOfDay;
            Assert.True(local >= new LocalTime(6, 0) && local.PlusMinutes(50) <= new LocalTime(8, 0), $"{local} is outside 06:00–08:00");
        });
    }

    [Fact]
    public void A_patient_in_Kolkata_is_offered_half_past_their_time_so_that_every_session_starts_on_the_UK_hour()
    {
        var kolkata = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];
        var request = new SearchRequest([Window(DayOfWeek.Thursday, 20, 22)], new LocalDate(2027, 1, 4), kolkata);

        var slot = _search.FindBest(request, [AllWeek("A", new(7, 0), new(23, 0))])!;

        Assert.Equal(new LocalTime(20, 30), slot.Course.Time);   // 15:00 in London in winter
        Assert.All(slot.Course.Sessions, s => Assert.Equal(0, s.Start.InZone(London).Minute));
        Assert.All(slot.Course.Sessions, s => Assert.Equal(30, s.Start.InZone(kolkata).Minute));
        Assert.All(_search.Candidates(request), c => Assert.Equal(30, c.Time.Minute));
    }

    [Fact]
    public void A_Friday_only_patient_in_2031_skips_the_Good_Friday_week()
    {
        var request = new SearchRequest([Window(DayOfWeek.Friday, 14, 16)], new LocalDate(2031, 3, 3), London, BankHolidaysOnly);

        var slot = _search.FindBest(request, [AllWeek("A", new(9, 0), new(17, 0))])!;

        Assert.Equal([new LocalDate(2031, 4, 11)], slot.Course.SkippedWeeks);   // Good Friday 2031
        Assert.DoesNotContain(slot.Course.Sessions, s => s.LocalStart.Date == new LocalDate(2031, 4, 11));
        Assert.All(slot.Course.Sessions, s => Assert.Equal(IsoDayOfWeek.Friday, s.LocalStart.DayOfWeek));
        Assert.Equal(slot.Course.Sessions[0].LocalStart.Date.PlusWeeks(16), slot.Course.Sessions[15].LocalStart.Date);
    }

    [Fact]
    public void A_course_skips_at_most_two_weeks_and_otherwise_starts_after_the_closed_weeks()
    {
        var closed = ClosedDays.Only([new(2027, 1, 18), new(2027, 1, 25), new(2027, 2, 1)]);
        var request = new SearchRequest([Window(DayOfWeek.Monday, 10, 11)], new LocalDate(2027, 1, 4), London, closed);

        var slot = _search.FindBest(request, [AllWeek("A", new(9, 0), new(17, 0))])!;

        // Starting 4 or 11 January would need three skipped weeks; 18 January to 1 February are closed themselves.
        Assert.Equal(new LocalDate(2027, 2, 8), slot.Course.Sessions[0].LocalStart.Date);
        Assert.Empty(slot.Course.SkippedWeeks);
    }

    [Fact]
    public void Why_nothing_fits_names_windows_that_no_therapists_hours_cover()
    {
        var request = new SearchRequest([Window(DayOfWeek.Tuesday, 7, 9)], new LocalDate(2027, 1, 5), London);

        Assert.Contains("too narrow", _search.WhyNothingFits(request, [AllWeek("Late", new(15, 0), new(23, 0))]));
        Assert.Null(_search.WhyNothingFits(request, [AllWeek("Early", new(7, 0), new(15, 0))]));
    }
}
