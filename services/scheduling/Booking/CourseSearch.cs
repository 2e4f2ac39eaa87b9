using Dit.Contracts;
using NodaTime;
using NodaTime.Extensions;

namespace Dit.Scheduling.Booking;

/// <summary>What the patient can do: weekly windows in their own zone, from a date; and the days the service is closed.</summary>
public sealed record SearchRequest(
    IReadOnlyList<AvailabilityWindow> Windows,
    LocalDate EarliestStart,
    DateTimeZone Zone,
    IReadOnlySet<LocalDate>? ClosedDays = null);

/// <summary>
/// A therapist as the search sees them: weekly hours and leave days (service zone), and the starts
/// of their active appointments, sorted.
/// </summary>
public sealed record TherapistDiary(
    Guid Id,
    string Name,
    int MaxSessionsPerWeek,
    IReadOnlyList<WorkingHours> Hours,
    IReadOnlyList<Instant> BookedStarts,
    IReadOnlySet<LocalDate>? LeaveDays = null);

public sealed record WorkingHours(IsoDayOfWeek Day, LocalTime From, LocalTime To);

public sealed record PlannedSession(int Number, LocalDateTime LocalStart, Instant Start);

/// <summary>One weekly local day and time in the patient's zone, with its sessions placed.</summary>
public sealed record CandidateCourse(IsoDayOfWeek Day, LocalTime Time, IReadOnlyList<PlannedSession> Sessions);

/// <summary>A course that fits: the therapist, the weekly slot, and every session as placed (a clashing week may be moved).</summary>
public sealed record CourseSlot(TherapistDiary Therapist, CandidateCourse Course);

/// <summary>
/// Finds the best course for a referral among the therapists' diaries (design §4). Pure and
/// in-memory: the caller loads the diaries and writes the result.
/// <list type="bullet">
/// <item>Candidates are the whole hours of the grid inside the patient's windows, 16 weekly
/// occurrences from the first such day on or after the earliest start, inside 07:00–23:00 UK time;
/// earliest first session first.</item>
/// <item>For a candidate, therapists are tried lightest load first. A session fits a therapist inside
/// their hours, off their leave and the service's closed days, clear of their other appointments
/// and under their weekly cap.</item>
/// <item>A session that falls on leave or a closed day moves to the nearest free time that week
/// inside the patient's windows, with the same therapist; if there is none, the candidate fails.</item>
/// </list>
/// </summary>
public sealed class CourseSearch(BookingRules rules)
{
    private static readonly IReadOnlySet<LocalDate> NoDays = new HashSet<LocalDate>();

    public CourseSlot? FindBest(SearchRequest request, IReadOnlyList<TherapistDiary> therapists)
    {
        var byLoad = therapists.OrderBy(t => t.BookedStarts.Count).ThenBy(t => t.Id).ToList();
        var gridByDay = GridByDay(request.Windows);
        foreach (var candidate in Candidates(request))
        {
            var probes = candidate.Sessions.Select(s => Probe(s.Start)).ToArray();
            foreach (var therapist in byLoad)
            {
                var placed = Place(candidate, probes, therapist, request, gridByDay);
                if (placed is not null) return new CourseSlot(therapist, candidate with { Sessions = placed });
            }
        }
        return null;
    }

    /// <summary>Every weekly day and grid time inside the patient's windows, as 16 planned sessions, earliest first.</summary>
    public IEnumerable<CandidateCourse> Candidates(SearchRequest request)
    {
        var candidates = new List<CandidateCourse>();
        foreach (var (day, times) in GridByDay(request.Windows))
        {
            foreach (var time in times)
            {
                var first = request.EarliestStart.With(DateAdjusters.NextOrSame(day));
                var sessions = new List<PlannedSession>(rules.SessionsPerCourse);
                for (var week = 0; week < rules.SessionsPerCourse; week++)
                {
                    var local = first.PlusWeeks(week).At(time);
                    sessions.Add(new PlannedSession(week + 1, local, local.InZoneLeniently(request.Zone).ToInstant()));
                }
                if (sessions.All(s => InsideServiceDay(s.Start))) candidates.Add(new CandidateCourse(day, time, sessions));
            }
        }
        return candidates.OrderBy(c => c.Sessions[0].Start);
    }

    /// <summary>
    /// Free starts for one session of <paramref name="therapist"/> between two dates (inclusive, in
    /// <paramref name="zone"/>): inside the patient's windows, or anywhere on the grid when
    /// <paramref name="windows"/> is null. Nearest to <paramref name="near"/> first.
    /// </summary>
    public IEnumerable<PlannedSession> FreeStarts(TherapistDiary therapist, LocalDate from, LocalDate to, DateTimeZone zone,
        IReadOnlyList<AvailabilityWindow>? windows, IReadOnlySet<LocalDate>? closedDays, Instant near)
    {
        var gridByDay = windows is null ? FullGrid() : GridByDay(windows);
        var starts = new List<PlannedSession>();
        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            if (!gridByDay.TryGetValue(date.DayOfWeek, out var times)) continue;
            foreach (var time in times)
            {
                var start = date.At(time).InZoneLeniently(zone).ToInstant();
                if (InsideServiceDay(start) && Fits(therapist, start, closedDays ?? NoDays))
                    starts.Add(new PlannedSession(0, date.At(time), start));
            }
        }
        return starts.OrderBy(s => Duration.Max(s.Start - near, near - s.Start)).ThenBy(s => s.Start);
    }

    /// <summary>Whether one session starting at <paramref name="start"/> can go in <paramref name="therapist"/>'s diary.</summary>
    public bool Fits(TherapistDiary therapist, Instant start, IReadOnlySet<LocalDate> closedDays) =>
        ClashAt(therapist, Probe(start), closedDays) is null;

    /// <summary>Why a session starting at <paramref name="start"/> cannot go in the diary, or null when it can.</summary>
    public string? ClashAt(TherapistDiary therapist, Instant start, IReadOnlySet<LocalDate> closedDays) =>
        ClashAt(therapist, Probe(start), closedDays);

    /// <summary>A session's start with its UK wall-clock time and week worked out once, for checking against many diaries.</summary>
    private readonly record struct SlotProbe(Instant Start, LocalDateTime Local, LocalDateTime End, Instant WeekStart, Instant WeekEnd);

    private SlotProbe Probe(Instant start)
    {
        var local = start.InZone(rules.ServiceZone).LocalDateTime;
        var monday = local.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        return new SlotProbe(start, local, local.Plus(rules.SessionPeriod),
            monday.AtStartOfDayInZone(rules.ServiceZone).ToInstant(), monday.PlusWeeks(1).AtStartOfDayInZone(rules.ServiceZone).ToInstant());
    }

    private string? ClashAt(TherapistDiary therapist, in SlotProbe probe, IReadOnlySet<LocalDate> closedDays)
    {
        var local = probe.Local;
        if (closedDays.Count > 0 && closedDays.Contains(local.Date)) return "The service is closed that day.";
        if (therapist.LeaveDays is { Count: > 0 } leave && leave.Contains(local.Date)) return "The therapist is on leave that day.";
        if (!WithinHours(therapist.Hours, local, probe.End)) return "The therapist does not work then.";
        if (Overlaps(therapist.BookedStarts, probe.Start)) return "The therapist has another session then.";
        return CountBetween(therapist.BookedStarts, probe.WeekStart, probe.WeekEnd) < therapist.MaxSessionsPerWeek
            ? null
            : "The therapist's week is full.";
    }

    private static bool WithinHours(IReadOnlyList<WorkingHours> hours, LocalDateTime local, LocalDateTime end)
    {
        if (end.Date != local.Date) return false;
        for (var i = 0; i < hours.Count; i++)
        {
            var range = hours[i];
            if (range.Day == local.DayOfWeek && local.TimeOfDay >= range.From && end.TimeOfDay <= range.To) return true;
        }
        return false;
    }

    /// <summary>Sessions run 07:00–23:00 UK time whatever the patient's zone.</summary>
    public bool InsideServiceDay(Instant start)
    {
        var local = start.InZone(rules.ServiceZone).LocalDateTime;
        var end = start.Plus(rules.SessionLength).InZone(rules.ServiceZone).LocalDateTime;
        return local.TimeOfDay >= rules.DayOpens && end.Date == local.Date && end.TimeOfDay <= rules.DayCloses;
    }

    /// <summary>Whether a session at <paramref name="local"/> (the patient's zone) lies inside one of their windows.</summary>
    public bool InsideWindows(IReadOnlyList<AvailabilityWindow> windows, LocalDateTime local)
    {
        var end = local.Plus(rules.SessionPeriod);
        return end.Date == local.Date && windows.Any(w =>
            w.Day.ToIsoDayOfWeek() == local.DayOfWeek && local.TimeOfDay >= w.From.ToLocalTime() && end.TimeOfDay <= w.To.ToLocalTime());
    }

    private List<PlannedSession>? Place(CandidateCourse candidate, SlotProbe[] probes, TherapistDiary therapist, SearchRequest request,
        Dictionary<IsoDayOfWeek, List<LocalTime>> gridByDay)
    {
        var closedDays = request.ClosedDays ?? NoDays;
        List<PlannedSession>? placed = null;
        for (var i = 0; i < candidate.Sessions.Count; i++)
        {
            var session = candidate.Sessions[i];
            if (ClashAt(therapist, probes[i], closedDays) is null) continue;
            if (!Blocked(therapist, probes[i].Local.Date, closedDays)) return null;

            // Leave or a closed day: the nearest free time that week, inside the patient's windows.
            var monday = session.LocalStart.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
            var from = LocalDate.Max(monday, request.EarliestStart);
            var moved = FreeStarts(therapist, from, monday.PlusDays(6), request.Zone, request.Windows, closedDays, session.Start)
                .FirstOrDefault();
            if (moved is null) return null;
            placed ??= [.. candidate.Sessions];
            placed[i] = moved with { Number = session.Number };
        }
        return placed ?? [.. candidate.Sessions];
    }

    private static bool Blocked(TherapistDiary therapist, LocalDate date, IReadOnlySet<LocalDate> closedDays) =>
        closedDays.Contains(date) || (therapist.LeaveDays?.Contains(date) ?? false);

    private Dictionary<IsoDayOfWeek, List<LocalTime>> GridByDay(IEnumerable<AvailabilityWindow> windows)
    {
        var grid = new Dictionary<IsoDayOfWeek, List<LocalTime>>();
        foreach (var window in windows)
        {
            var day = window.Day.ToIsoDayOfWeek();
            var from = window.From.ToLocalTime();
            var to = window.To.ToLocalTime();
            for (var hour = rules.FirstStart.Hour; hour <= rules.LastStart.Hour; hour++)
            {
                var time = new LocalTime(hour, 0);
                var end = time.Plus(rules.SessionPeriod);
                if (time < from || end <= time || end > to) continue;
                if (!grid.TryGetValue(day, out var times)) grid[day] = times = [];
                if (!times.Contains(time)) times.Add(time);
            }
        }
        foreach (var times in grid.Values) times.Sort();
        return grid;
    }

    private Dictionary<IsoDayOfWeek, List<LocalTime>> FullGrid() =>
        GridByDay(Enum.GetValues<DayOfWeek>().Select(d => new AvailabilityWindow(d, TimeOnly.MinValue, TimeOnly.MaxValue)));

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
