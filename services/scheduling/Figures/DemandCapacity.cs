using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Figures;

/// <summary>One weekday and time band over the next <see cref="DemandCapacity.Weeks"/> weeks (sessions are hour slots).</summary>
/// <param name="TherapistHours">Hour slots therapists work in the band over the weeks, off leave and closed days, scaled down where a therapist's weekly cap is below their hours.</param>
/// <param name="Committed">Sessions booked in the band over the weeks.</param>
/// <param name="WantedByWaiting">Sessions the waiting patients want there over the weeks: each waiting patient's 16, shared over the bands their windows cover (all of them in a band that is their only one).</param>
/// <param name="WaitingOnlyHere">Waiting patients whose windows fall in this band alone.</param>
/// <param name="WeeklyDemand">Sessions a week the last 12 weeks' referrals ask of the band once their courses run (referrals a week × 16, shared as above).</param>
/// <param name="WeeklyCapacity">Therapist hour slots a week in the band.</param>
/// <param name="QueueLoad">Weekly demand ÷ weekly capacity: at 1 or more the band's queue grows whatever the booking does.</param>
/// <param name="WaitingNow">Waiting patients, shared over their bands as their sessions are.</param>
/// <param name="TargetQueue">Weekly demand in referrals × the 6-week target ÷ 4: the NHS demand-and-capacity method's largest queue that still meets the target.</param>
/// <param name="ShortPerWeek">Sessions a week the band lacks: demand over capacity, plus what clears the queue above its target in the weeks shown.</param>
/// <param name="DnaPercent">Sessions not attended of those recorded in the band over the last 12 weeks; null when none was recorded.</param>
public sealed record BandFigures(string Weekday, string Band, double TherapistHours, int Committed, double Free, double WantedByWaiting, int WaitingOnlyHere,
    double WeeklyDemand, double WeeklyCapacity, double? QueueLoad, double WaitingNow, double TargetQueue, double ShortPerWeek, int DnaRecorded, double? DnaPercent);

/// <summary>The waiting list week by week from now, if the last 12 weeks' referrals go on coming and each band serves what it can.</summary>
public sealed record ProjectedWeek(string WeekFrom, int Waiting);

public sealed record DemandCapacityFigures(int Weeks, IReadOnlyList<string> Bands, IReadOnlyList<BandFigures> Cells, IReadOnlyList<ProjectedWeek> Projection,
    double ReferralsPerWeek, double ShortPerWeek);

/// <summary>
/// Demand against capacity by weekday and time band (issue 25), the NHS demand-and-capacity method applied to each band:
/// where are there too few therapist hours for the patients who can come only then. Each patient's demand is shared over
/// the bands their windows cover, in proportion to the hour slots they cover in each (their zone, this week's clocks).
/// </summary>
public static class DemandCapacity
{
    public const int Weeks = 16;
    private const int PastWeeks = 12;
    private const int TargetWaitWeeks = 6;

    private static readonly (string Name, int From, int To)[] BandHours = [("07–09", 7, 9), ("09–12", 9, 12), ("12–17", 12, 17), ("17–20", 17, 20), ("20–23", 20, 23)];

    private static int BandOf(int hour) => Array.FindIndex(BandHours, b => hour >= b.From && hour < b.To);

    public static async Task<DemandCapacityFigures> OfAsync(DbConnection connection, CourseSearch search, Instant now)
    {
        var rules = search.Rules;
        var zone = rules.ServiceZone;
        var today = now.InZone(zone).Date;
        var until = today.PlusWeeks(Weeks);
        var untilInstant = until.AtStartOfDayInZone(zone).ToInstant();
        var monday = today.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        var cells = 7 * BandHours.Length;
        int Cell(IsoDayOfWeek day, int hour) => ((int)day - 1) * BandHours.Length + BandOf(hour);

        // Capacity: each therapist's hour slots on the grid, day by day, off leave and closed days, scaled to their cap.
        var closed = await ClosedDays.LoadAsync(connection, null);
        var diaries = await Diaries.LoadAsync(connection, null, now, untilInstant);
        var hours = new double[cells];
        foreach (var therapist in diaries)
        {
            var weekly = therapist.Hours.Sum(h => search.StartsWithin(h).Count());
            var scale = weekly == 0 ? 0 : Math.Min(1.0, therapist.MaxSessionsPerWeek / (double)weekly);
            for (var date = today; date < until; date = date.PlusDays(1))
            {
                if (closed.Contains(date) || therapist.LeaveDays?.Contains(date) == true) continue;
                foreach (var range in therapist.Hours.Where(h => h.Day == date.DayOfWeek))
                    foreach (var start in search.StartsWithin(range))
                        if (BandOf(start.Hour) >= 0) hours[Cell(date.DayOfWeek, start.Hour)] += scale;
            }
        }

        var committed = new int[cells];
        foreach (var start in await connection.QueryAsync<long>(
                     "select start_utc from appointments where status = 'booked' and start_utc >= @now and start_utc < @until",
                     new { now = now.ToUnixTimeMilliseconds(), until = untilInstant.ToUnixTimeMilliseconds() }))
        {
            var local = Instant.FromUnixTimeMilliseconds(start).InZone(zone).LocalDateTime;
            if (BandOf(local.Hour) >= 0) committed[Cell(local.DayOfWeek, local.Hour)]++;
        }

        // Demand: who waits now, and who was referred in the last 12 weeks (booked or waiting), each shared over their bands.
        var since = now - Duration.FromDays(7 * PastWeeks);
        var waitingShares = new double[cells];
        var onlyHere = new int[cells];
        var referredShares = new double[cells];
        foreach (var patient in await ClinicDemand.LoadAsync(connection, null, since, rules))
        {
            if (Shares(search, patient.Windows, patient.Zone, monday, Cell, cells) is not { } share) continue;
            if (patient.WaitingSince is not null)
            {
                Add(waitingShares, share);
                if (share.Count(s => s > 0) == 1) onlyHere[Array.FindIndex(share, s => s > 0)]++;
            }
            if (patient.WaitingSince is null || patient.WaitingSince >= since) Add(referredShares, share);
        }

        // DNAs by band over the last 12 weeks.
        var recorded = new int[cells];
        var dnas = new int[cells];
        foreach (var (start, attendance) in await connection.QueryAsync<(long, string)>(
                     "select start_utc, attendance from appointments where attendance is not null and start_utc >= @since and start_utc < @now",
                     new { since = since.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() }))
        {
            var local = Instant.FromUnixTimeMilliseconds(start).InZone(zone).LocalDateTime;
            if (BandOf(local.Hour) < 0) continue;
            recorded[Cell(local.DayOfWeek, local.Hour)]++;
            if (attendance == "dna") dnas[Cell(local.DayOfWeek, local.Hour)]++;
        }

        var sessions = rules.SessionsPerCourse;
        var result = new List<BandFigures>();
        var projection = new double[Weeks + 1];
        for (var i = 0; i < cells; i++)
        {
            var day = (IsoDayOfWeek)(i / BandHours.Length + 1);
            var referralsPerWeek = referredShares[i] / PastWeeks;
            var weeklyDemand = referralsPerWeek * sessions;
            var weeklyCapacity = hours[i] / Weeks;
            var target = referralsPerWeek * TargetWaitWeeks / 4;
            // Sessions a week short: the steady gap, plus the queue above target cleared within the weeks shown.
            var gap = Math.Max(0, weeklyDemand - weeklyCapacity);
            var short_ = gap + Math.Max(0, waitingShares[i] - target) * sessions / Weeks;
            // The band's queue, week by week (the method's backlog): it grows by the referrals a week and falls by the courses a
            // week the band's hours can run in the long run (capacity ÷ 16).
            var queue = waitingShares[i];
            projection[0] += queue;
            for (var week = 1; week <= Weeks; week++)
            {
                queue = Math.Max(0, queue + referralsPerWeek - weeklyCapacity / sessions);
                projection[week] += queue;
            }
            result.Add(new BandFigures(day.ToString(), BandHours[i % BandHours.Length].Name, Math.Round(hours[i], 1), committed[i],
                Math.Round(Math.Max(0, hours[i] - committed[i]), 1), Math.Round(waitingShares[i] * sessions, 1), onlyHere[i],
                Math.Round(weeklyDemand, 1), Math.Round(weeklyCapacity, 1), weeklyCapacity == 0 ? (weeklyDemand > 0 ? null : 0) : Math.Round(weeklyDemand / weeklyCapacity, 2),
                Math.Round(waitingShares[i], 1), Math.Round(target, 1), Math.Round(short_, 1), recorded[i],
                recorded[i] == 0 ? null : Math.Round(100.0 * dnas[i] / recorded[i], 1)));
        }
        var referredTotal = referredShares.Sum() / PastWeeks;
        return new DemandCapacityFigures(Weeks, BandHours.Select(b => b.Name).ToList(), result,
            projection.Select((waiting, week) => new ProjectedWeek(today.PlusWeeks(week).ToString("yyyy-MM-dd", null), (int)Math.Round(waiting))).ToList(),
            Math.Round(referredTotal, 1), Math.Round(result.Sum(c => c.ShortPerWeek), 1));
    }

    /// <summary>One patient's demand shared over the bands (fractions summing to 1), by the UK grid slots their windows cover this week; null when none.</summary>
    private static double[]? Shares(CourseSearch search, IReadOnlyList<AvailabilityWindow> windows, DateTimeZone zone, LocalDate monday,
        Func<IsoDayOfWeek, int, int> cell, int cells)
    {
        var counts = new double[cells];
        var total = 0;
        foreach (var uk in search.UkStartsInWeek(windows, zone, monday).Where(uk => BandOf(uk.Hour) >= 0))
        {
            counts[cell(uk.DayOfWeek, uk.Hour)]++;
            total++;
        }
        if (total == 0) return null;
        for (var i = 0; i < cells; i++) counts[i] /= total;
        return counts;
    }

    private static void Add(double[] into, double[] share)
    {
        for (var i = 0; i < into.Length; i++) into[i] += share[i];
    }
}
