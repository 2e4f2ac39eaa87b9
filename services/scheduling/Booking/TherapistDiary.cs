namespace Dit.Scheduling.Booking;

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
    IReadOnlySet<LocalDate>? LeaveDays = null)
{
    // Worked out on first use and kept with the list they came from (a `with` copy of the diary may change the list).
    // Held by reference, so that diaries shared between searches on several threads (DiaryCache) read them whole.
    private sealed record Derived<T>(IReadOnlyList<Instant> Source, T Value);

    private Derived<long[]>? _millis;

    /// <summary>
    /// The booked starts as Unix milliseconds, worked out once per list: the search's binary searches run thousands of
    /// times per booking, and over a plain array they cost a fraction of what they do over Instants behind an interface.
    /// </summary>
    internal long[] BookedMillis
    {
        get
        {
            if (_millis is { } cached && ReferenceEquals(cached.Source, BookedStarts)) return cached.Value;
            var millis = new long[BookedStarts.Count];
            for (var i = 0; i < millis.Length; i++) millis[i] = BookedStarts[i].ToUnixTimeMilliseconds();
            _millis = new Derived<long[]>(BookedStarts, millis);
            return millis;
        }
    }

    private Derived<Dictionary<long, ulong>>? _hourWeeks;

    /// <summary>
    /// Which weeks the therapist has a session at one UK weekday and hour, as bits (week number since 1 January 0001,
    /// in blocks of 64): worked out once per list, so that the search can rule out a weekly time for 16 weeks at once.
    /// A session off the hour marks both hours it overlaps.
    /// </summary>
    internal ulong BookedWeeks(IsoDayOfWeek day, int hour, long firstWeek, int weeks, DateTimeZone serviceZone)
    {
        if (_hourWeeks is not { } cached || !ReferenceEquals(cached.Source, BookedStarts))
        {
            var map = new Dictionary<long, ulong>();
            foreach (var start in BookedStarts)
            {
                var local = start.InZone(serviceZone).LocalDateTime;
                var week = local.Date.ToDateOnly().DayNumber / 7;
                Mark(map, local.DayOfWeek, local.Hour, week);
                if (local.Minute != 0 || local.Second != 0) Mark(map, local.DayOfWeek, local.Hour + 1, week);
            }
            _hourWeeks = cached = new Derived<Dictionary<long, ulong>>(BookedStarts, map);
        }
        ulong bits = 0;
        for (var block = firstWeek >> 6; block <= (firstWeek + weeks - 1) >> 6; block++)
        {
            if (!cached.Value.TryGetValue(Key(day, hour, block), out var found)) continue;
            var shift = (int)(block * 64 - firstWeek);
            bits |= shift >= 0 ? found << shift : found >> -shift;
        }
        return weeks >= 64 ? bits : bits & ((1UL << weeks) - 1);
    }

    private Derived<int[]>? _weekly;
    private const long WeekMillis = 7 * 86_400_000L, MondayShift = 3 * 86_400_000L;   // 1 January 1970 was a Thursday

    /// <summary>
    /// The therapist's load: sessions booked in the weeks (Monday to Sunday, UTC) from the one holding
    /// <paramref name="from"/> to the one holding <paramref name="to"/>. Two reads of a small array, worked out once
    /// per list: the search orders every therapist by it, and binary searches through thousands of diaries cost more.
    /// </summary>
    internal int LoadBetween(Instant from, Instant to)
    {
        var millis = BookedMillis;
        if (millis.Length == 0) return 0;
        if (_weekly is not { } cached || !ReferenceEquals(cached.Source, BookedStarts))
        {
            // before[k]: sessions in the weeks before the k-th from the first session's week.
            var before = new int[Week(millis[^1]) - Week(millis[0]) + 2];
            foreach (var start in millis) before[Week(start) - Week(millis[0]) + 1]++;
            for (var k = 1; k < before.Length; k++) before[k] += before[k - 1];
            _weekly = cached = new Derived<int[]>(BookedStarts, before);
        }
        int Before(long week) => cached.Value[(int)Math.Clamp(week - Week(millis[0]), 0, cached.Value.Length - 1)];
        return Before(Week(to.ToUnixTimeMilliseconds()) + 1) - Before(Week(from.ToUnixTimeMilliseconds()));
    }

    private static long Week(long unixMillis) => (long)Math.Floor((unixMillis + MondayShift) / (double)WeekMillis);

    private static long Key(IsoDayOfWeek day, int hour, long block) => (block * 8 + (int)day) * 25 + hour;

    private static void Mark(Dictionary<long, ulong> map, IsoDayOfWeek day, int hour, long week)
    {
        var key = Key(day, hour, week >> 6);
        map[key] = map.GetValueOrDefault(key) | (1UL << (int)(week & 63));
    }
}
