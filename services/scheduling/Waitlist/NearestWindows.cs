using System.Globalization;
using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Waitlist;

/// <summary>A weekly hour outside the patient's windows (their zone) and the first session a course there would have.</summary>
public sealed record WindowSuggestion(string Day, string From, string To, string FirstSession, string TimeZone);

/// <summary>
/// For a patient who waits: the weekly hours nearest to the ones they gave — the same day first, an hour either side,
/// then other days — at which a course would start within <see cref="WithinWeeks"/> weeks, found by the booking search
/// itself against today's diaries. A coordinator reads them to the patient; one the patient agrees to is added. The same
/// for a patient booked to start late (<see cref="LateCourse"/>), whose course would move sooner.
/// </summary>
public sealed class NearestWindows(CourseSearch search)
{
    public const int WithinWeeks = 6;
    public const int Most = 3;

    /// <param name="before">For a course already booked: only a course starting before this (its first session) is worth the patient's change.</param>
    public List<WindowSuggestion> For(SearchRequest request, IReadOnlyList<TherapistDiary> diaries, Instant? before = null)
    {
        var suggestions = new List<WindowSuggestion>();
        foreach (var window in Nearest(request.Windows))
        {
            var slot = before is null ? search.FindBest(request with { Windows = [window] }, diaries, WithinWeeks) : Sooner(request with { Windows = [window] }, diaries, before.Value);
            if (slot is null) continue;
            suggestions.Add(new WindowSuggestion(window.Day.ToString(), window.From.ToString("HH:mm", CultureInfo.InvariantCulture), window.To.ToString("HH:mm", CultureInfo.InvariantCulture),
                slot.Course.Sessions[0].LocalStart.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), request.Zone.Id));
            if (suggestions.Count == Most) break;
        }
        return suggestions;
    }

    /// <summary>
    /// The course the search finds within <see cref="WithinWeeks"/> weeks for <paramref name="request"/> over diaries
    /// without the patient's own booked course; null unless it starts before that course's <paramref name="firstStart"/>.
    /// </summary>
    public CourseSlot? Sooner(SearchRequest request, IReadOnlyList<TherapistDiary> diariesWithoutCourse, Instant firstStart) =>
        search.FindBest(request, diariesWithoutCourse, WithinWeeks) is { } slot && slot.Course.Sessions[0].Start < firstStart ? slot : null;

    /// <summary>Every one-hour window not inside the patient's, nearest first: on a day they gave, by hours from its edges; then other days.</summary>
    private static IEnumerable<AvailabilityWindow> Nearest(IReadOnlyList<AvailabilityWindow> windows) =>
        from day in Enum.GetValues<DayOfWeek>()
        from hour in Enumerable.Range(0, 23)
        let window = new AvailabilityWindow(day, new TimeOnly(hour, 0), new TimeOnly(hour + 1, 0))
        where !windows.Any(w => w.Day == day && w.From <= window.From && window.To <= w.To)
        let sameDay = windows.Where(w => w.Day == day).Select(w => Math.Min(Math.Abs(hour - w.From.Hour), Math.Abs(hour + 1 - w.To.Hour))).DefaultIfEmpty(-1).Min()
        let anyDay = windows.Select(w => Math.Min(Math.Abs(hour - w.From.Hour), Math.Abs(hour + 1 - w.To.Hour))).DefaultIfEmpty(24).Min()
        orderby sameDay >= 0 ? sameDay : 100 + anyDay, ((int)day + 6) % 7, hour
        select window;
}
