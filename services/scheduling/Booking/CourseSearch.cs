using Dit.Contracts;
using NodaTime;
using NodaTime.Extensions;

namespace Dit.Scheduling.Booking;

/// <summary>What the patient can do: weekly windows in their own zone, from a date.</summary>
public sealed record SearchRequest(IReadOnlyList<AvailabilityWindow> Windows, LocalDate EarliestStart, DateTimeZone Zone);

/// <summary>A therapist's weekly hours (service zone) and the starts of their active appointments, sorted.</summary>
public sealed record TherapistDiary(
    Guid Id,
    string Name,
    int MaxSessionsPerWeek,
    IReadOnlyList<WorkingHours> Hours,
    IReadOnlyList<Instant> BookedStarts);

public sealed record WorkingHours(IsoDayOfWeek Day, LocalTime From, LocalTime To);

public sealed record PlannedSession(int Number, LocalDateTime LocalStart, Instant Start);

/// <summary>One weekly local day and time in the patient's zone, with its sessions placed.</summary>
public sealed record CandidateCourse(IsoDayOfWeek Day, LocalTime Time, IReadOnlyList<PlannedSession> Sessions);

/// <summary>A course that fits: a candidate and the therapist who can take every session of it.</summary>
public sealed record CourseSlot(TherapistDiary Therapist, CandidateCourse Course);

/// <summary>
/// Finds the best course for a referral among the therapists' diaries. Pure and in-memory: the
/// caller loads the diaries and writes the result. Candidates go earliest first session first;
/// for one candidate, the therapist with the lighter load wins.
/// </summary>
public sealed class CourseSearch(BookingRules rules)
{
    public CourseSlot? FindBest(SearchRequest request, IReadOnlyList<TherapistDiary> therapists)
    {
        var byLoad = therapists.OrderBy(t => t.BookedStarts.Count).ThenBy(t => t.Id).ToList();
        foreach (var candidate in Candidates(request))
        {
            foreach (var therapist in byLoad)
            {
                if (candidate.Sessions.All(s => Fits(therapist, s.Start)))
                    return new CourseSlot(therapist, candidate);
            }
        }
        return null;
    }

    /// <summary>Every weekly day and grid time inside the patient's windows, as 16 planned sessions, earliest first.</summary>
    public IEnumerable<CandidateCourse> Candidates(SearchRequest request)
    {
        var candidates = new List<CandidateCourse>();
        foreach (var (day, time) in GridTimesInside(request.Windows).Distinct())
        {
            var first = request.EarliestStart.With(DateAdjusters.NextOrSame(day));
            var sessions = Enumerable.Range(0, rules.SessionsPerCourse)
                .Select(week =>
                {
                    var local = first.PlusWeeks(week).At(time);
                    return new PlannedSession(week + 1, local, local.InZoneLeniently(request.Zone).ToInstant());
                })
                .ToList();
            if (sessions.All(s => InsideServiceDay(s.Start))) candidates.Add(new CandidateCourse(day, time, sessions));
        }
        return candidates.OrderBy(c => c.Sessions[0].Start);
    }

    private IEnumerable<(IsoDayOfWeek Day, LocalTime Time)> GridTimesInside(IEnumerable<AvailabilityWindow> windows)
    {
        foreach (var window in windows)
        {
            var from = window.From.ToLocalTime();
            var to = window.To.ToLocalTime();
            for (var hour = rules.FirstStart.Hour; hour <= rules.LastStart.Hour; hour++)
            {
                var time = new LocalTime(hour, 0);
                var end = time.Plus(rules.SessionPeriod);
                if (time >= from && end > time && end <= to) yield return (window.Day.ToIsoDayOfWeek(), time);
            }
        }
    }

    /// <summary>Sessions run 07:00–23:00 UK time whatever the patient's zone.</summary>
    private bool InsideServiceDay(Instant start)
    {
        var local = start.InZone(rules.ServiceZone).LocalDateTime;
        var end = start.Plus(rules.SessionLength).InZone(rules.ServiceZone).LocalDateTime;
        return local.TimeOfDay >= rules.DayOpens && end.Date == local.Date && end.TimeOfDay <= rules.DayCloses;
    }

    private bool Fits(TherapistDiary therapist, Instant start)
    {
        var local = start.InZone(rules.ServiceZone).LocalDateTime;
        var end = local.Plus(rules.SessionPeriod);
        var withinHours = therapist.Hours.Any(h =>
            h.Day == local.DayOfWeek && local.TimeOfDay >= h.From && end.Date == local.Date && end.TimeOfDay <= h.To);
        if (!withinHours) return false;
        if (Overlaps(therapist.BookedStarts, start)) return false;

        var weekStart = local.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)).AtStartOfDayInZone(rules.ServiceZone).ToInstant();
        var weekEnd = local.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)).PlusWeeks(1).AtStartOfDayInZone(rules.ServiceZone).ToInstant();
        return CountBetween(therapist.BookedStarts, weekStart, weekEnd) < therapist.MaxSessionsPerWeek;
    }

    /// <summary>Whether any booked session (same length) overlaps one starting at <paramref name="start"/>.</summary>
    private bool Overlaps(IReadOnlyList<Instant> bookedStarts, Instant start)
    {
        var firstAfter = LowerBound(bookedStarts, start - rules.SessionLength + Duration.Epsilon);
        return firstAfter < bookedStarts.Count && bookedStarts[firstAfter] < start + rules.SessionLength;
    }

    private static int CountBetween(IReadOnlyList<Instant> sorted, Instant from, Instant to) =>
        LowerBound(sorted, to) - LowerBound(sorted, from);

    /// <summary>Index of the first element not less than <paramref name="value"/>.</summary>
    private static int LowerBound(IReadOnlyList<Instant> sorted, Instant value)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (sorted[mid] < value) low = mid + 1; else high = mid;
        }
        return low;
    }
}
