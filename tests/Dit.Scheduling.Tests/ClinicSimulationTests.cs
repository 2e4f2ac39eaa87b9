using Dit.ClinicSimulation;

namespace Dit.Scheduling.Tests;

/// <summary>The clinic simulation's short run: a small clinic for six weeks, over capacity, through the real service.</summary>
public sealed class ClinicSimulationTests
{
    [Fact]
    public async Task Six_weeks_of_a_small_clinic_over_capacity_keep_every_invariant_on_every_day()
    {
        // 7 therapists capped at 10 a week; a therapist joins in week 2 and one leaves in week 4 (their courses reassigned).
        var setup = new ClinicSetup(Load: 1.2, Days: 42, DayTherapists: 3, LateTherapists: 2, PartTimeTherapists: 1, WeekendTherapists: 1, Cap: 10,
            JoinDay: 7, LeaveDay: 21);

        var result = await new ClinicYear(setup).RunAsync();

        Assert.Empty(result.Violations);
        Assert.Equal(42, result.DaysChecked);
        var referrals = result.Referrals.Count;
        Assert.Equal(31, referrals);   // 1.2 × 7 therapists × 10 ÷ 16 = 5.25 a week for six weeks
        Assert.True(result.Referrals.Count(r => r.FirstSession is not null) >= referrals / 2, "at least half are booked");
        Assert.All(result.Referrals.Where(r => r.FirstSession is not null), r => Assert.True(r.FirstSession >= r.Arrived));
        Assert.True(result.Utilisation > 0, "sessions were held and recorded");
    }

    [Fact]
    public async Task The_fast_simulation_books_the_same_clinic_as_the_service_does()
    {
        // Ten weeks of a small clinic over capacity, a therapist joining and one leaving: through the service, and in memory.
        var setup = new ClinicSetup(Load: 1.2, Days: 70, DayTherapists: 3, LateTherapists: 2, PartTimeTherapists: 1, WeekendTherapists: 1, Cap: 10,
            JoinDay: 7, LeaveDay: 21);

        var full = await new ClinicYear(setup).RunAsync();
        var fast = await new FastClinicYear(setup with { Fast = true }).RunAsync();

        Assert.Equal(full.Referrals.Select(r => (r.Day, r.Pattern)), fast.Referrals.Select(r => (r.Day, r.Pattern)));
        var bookedFull = full.Referrals.Count(r => r.FirstSession is not null);
        var bookedFast = fast.Referrals.Count(r => r.FirstSession is not null);
        // The attendance draws and the tie between equally loaded therapists fall differently; the figures agree within 10 %.
        Assert.InRange(bookedFast, bookedFull * 0.9, bookedFull * 1.1);
        Assert.InRange(fast.WaitlistByDay[^1], full.WaitlistByDay[^1] * 0.9 - 1, full.WaitlistByDay[^1] * 1.1 + 1);
        Assert.Equal(full.EveningSlots, fast.EveningSlots);
        Assert.All(fast.Referrals.Where(r => r.FirstSession is not null), r => Assert.True(r.FirstSession >= r.Arrived));
    }

    [Fact]
    public async Task A_clinic_swamped_at_eight_times_its_capacity_waitlists_only_referrals_that_truly_have_no_course()
    {
        var setup = new ClinicSetup(Load: 8, Days: 21, DayTherapists: 2, LateTherapists: 1, PartTimeTherapists: 1, WeekendTherapists: 1, Cap: 10,
            JoinDay: -1, LeaveDay: -1);

        var result = await new ClinicYear(setup).RunAsync();

        // The brute-force check of every waitlisted referral ran against a long waitlist and found no course it missed.
        Assert.True(result.WaitlistByDay[^1] >= 5, $"waitlist {result.WaitlistByDay[^1]}");
        Assert.Empty(result.Violations);
    }

    [Fact]
    public async Task The_waitlist_check_finds_the_courses_that_the_first_week_only_rule_misses()
    {
        var setup = new ClinicSetup(Load: 8, Baseline: true, Days: 7, DayTherapists: 2, LateTherapists: 1, PartTimeTherapists: 1, WeekendTherapists: 1,
            Cap: 10, JoinDay: -1, LeaveDay: -1, CheckHorizonWeeks: 18);

        var result = await new ClinicYear(setup).RunAsync();

        Assert.Contains(result.Violations, v => v.Contains("waitlisted referral", StringComparison.Ordinal));
    }
}
