using Dit.Scheduling.Booking;
using NodaTime;

namespace Dit.Scheduling.Benchmarks;

/// <summary>
/// The baseline: the same candidates and the same order, but every session is checked against every
/// appointment of the therapist, one by one (no sorted diary, no binary search).
/// </summary>
public sealed class NaiveCourseSearch(BookingRules rules)
{
    private readonly CourseSearch _candidates = new(rules);

    public CourseSlot? FindBest(SearchRequest request, IReadOnlyList<TherapistDiary> therapists)
    {
        var byLoad = therapists.OrderBy(t => t.BookedStarts.Count).ThenBy(t => t.Id).ToList();
        foreach (var candidate in _candidates.Candidates(request))
        {
            foreach (var therapist in byLoad)
            {
                if (candidate.Sessions.All(s => Fits(therapist, s.Start))) return new CourseSlot(therapist, candidate);
            }
        }
        return null;
    }

    private bool Fits(TherapistDiary therapist, Instant start)
    {
        var local = start.InZone(rules.ServiceZone).LocalDateTime;
        var end = local.Plus(rules.SessionPeriod);
        if (!therapist.Hours.Any(h => h.Day == local.DayOfWeek && local.TimeOfDay >= h.From && end.Date == local.Date && end.TimeOfDay <= h.To))
            return false;
        var weekStart = local.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)).AtStartOfDayInZone(rules.ServiceZone).ToInstant();
        var weekEnd = weekStart + Duration.FromDays(7);
        var inWeek = 0;
        foreach (var booked in therapist.BookedStarts)
        {
            if (booked < start + rules.SessionLength && start < booked + rules.SessionLength) return false;
            if (booked >= weekStart && booked < weekEnd) inWeek++;
        }
        return inWeek < therapist.MaxSessionsPerWeek;
    }
}
