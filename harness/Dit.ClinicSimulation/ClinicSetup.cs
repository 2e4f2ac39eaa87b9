using NodaTime;

namespace Dit.ClinicSimulation;

/// <summary>The availability patterns referrals come with (issue 12), with their shares of referrals.</summary>
public enum Pattern { Evenings, Daytime, OneWeekday, Weekends, AnyTime, Abroad }

/// <summary>
/// What a clinic manager sets: how many therapists of each kind, their weekly cap, the load (new courses a week × 16 ÷ the
/// sum of weekly caps), how long to run, the seed, and whether to book by today's rule (every start week to the horizon,
/// skipped closed weeks) or the first-week-only baseline. A therapist joins on <c>JoinDay</c> (month 4) and the first
/// late-shift therapist leaves on <c>LeaveDay</c> (month 8); -1 for neither. <c>CheckHorizonWeeks</c> makes the waitlist
/// check look further than the booking rule does (to show that the check finds what a narrower search misses).
/// <c>ScarceTimesLast</c> true tries the least wanted times of a week first; <c>MovedTakenWeeks</c> is how many weeks of a
/// course whose regular time is taken may move within the week (0: the rule before issue 25). <c>Fast</c> runs the year in
/// memory (<see cref="FastClinicYear"/>) rather than through the service. <c>BringForward</c> (fast only): each Monday a
/// coordinator offers every patient booked to start more than 6 weeks after they could the nearest sooner hour, which
/// this share of patients accept (0: nobody is asked).
/// </summary>
public sealed record ClinicSetup(
    double Load,
    bool Baseline = false,
    int Days = 364,
    int Seed = 2027,
    int DayTherapists = 20,
    int LateTherapists = 8,
    int PartTimeTherapists = 6,
    int WeekendTherapists = 6,
    int Cap = 25,
    int JoinDay = 91,
    int LeaveDay = 213,
    int? CheckHorizonWeeks = null,
    bool ScarceTimesLast = false,
    int MovedTakenWeeks = 2,
    bool Fast = false,
    double BringForward = 0)
{
    /// <summary>The simulated year starts on a Monday; it is at least a month ahead of any real date the code might see.</summary>
    public static readonly LocalDate FirstDay = new(2027, 1, 4);

    public int Therapists => DayTherapists + LateTherapists + PartTimeTherapists + WeekendTherapists;

    public double ReferralsPerDay => Load * Therapists * Cap / 16.0 / 7.0;

    public static readonly (Pattern Pattern, double Share)[] Mix =
    [
        (Pattern.Evenings, 0.35), (Pattern.Daytime, 0.25), (Pattern.OneWeekday, 0.15),
        (Pattern.Weekends, 0.10), (Pattern.AnyTime, 0.12), (Pattern.Abroad, 0.03),
    ];

    public Dictionary<string, string?> Settings()
    {
        var settings = Baseline
            ? new Dictionary<string, string?> { ["Scheduling:Booking:HorizonWeeks"] = "1", ["Scheduling:Booking:MaxSkippedWeeks"] = "0", ["Scheduling:Booking:LeadDays"] = "0" }
            : [];
        settings["Scheduling:Booking:ScarceTimesLast"] = ScarceTimesLast ? "true" : "false";
        // The baseline is the rule before the 18-week search: no week moved for a taken time either.
        settings["Scheduling:Booking:MaxMovedTakenWeeks"] = (Baseline ? 0 : MovedTakenWeeks).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }
}
