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

    /// <summary>Booked weeks by UK weekday and hour: <see cref="Slots"/> masks per block of 64 weeks from <c>FirstBlock</c>.</summary>
    private sealed record HourWeeks(long FirstBlock, ulong[] Masks)
    {
        public const int Slots = 8 * 25;   // IsoDayOfWeek 1–7 by hour 0–24 (a session off the hour marks the next hour too)
    }

    private Derived<HourWeeks>? _hourWeeks;

    /// <summary>
    /// Which weeks the therapist has a session at one UK weekday and hour, as bits (week number since 1 January 0001,
    /// in blocks of 64): worked out once per list, so that the search can rule out a weekly time for 16 weeks at once.
    /// A session off the hour marks both hours it overlaps. Kept as one flat array: the search reads it for hundreds of
    /// therapists a search, and each read is a trip to memory.
    /// </summary>
    internal ulong BookedWeeks(IsoDayOfWeek day, int hour, long firstWeek, int weeks, DateTimeZone serviceZone)
    {
        if (_hourWeeks is not { } cached || !ReferenceEquals(cached.Source, BookedStarts))
            _hourWeeks = cached = new Derived<HourWeeks>(BookedStarts, Mark(BookedStarts, serviceZone));
        var (firstBlock, masks) = cached.Value;
        ulong bits = 0;
        for (var block = firstWeek >> 6; block <= (firstWeek + weeks - 1) >> 6; block++)
        {
            var at = (block - firstBlock) * HourWeeks.Slots + (int)day * 25 + hour;
            if (at < 0 || at >= masks.Length) continue;
            var shift = (int)(block * 64 - firstWeek);
            bits |= shift >= 0 ? masks[at] << shift : masks[at] >> -shift;
        }
        return weeks >= 64 ? bits : bits & ((1UL << weeks) - 1);
    }

    private static HourWeeks Mark(IReadOnlyList<Instant> starts, DateTimeZone serviceZone)
    {
        if (starts.Count == 0) return new HourWeeks(0, []);
        var locals = starts.Select(start => start.InZone(serviceZone).LocalDateTime).ToArray();
        long Week(LocalDateTime local) => local.Date.ToDateOnly().DayNumber / 7;
        var firstBlock = locals.Min(Week) >> 6;
        var masks = new ulong[((locals.Max(Week) >> 6) - firstBlock + 1) * HourWeeks.Slots];
        foreach (var local in locals)
        {
            var week = Week(local);
            var at = ((week >> 6) - firstBlock) * HourWeeks.Slots + (int)local.DayOfWeek * 25 + local.Hour;
            masks[at] |= 1UL << (int)(week & 63);
            if (local.Minute != 0 || local.Second != 0) masks[at + 1] |= 1UL << (int)(week & 63);
        }
        return new HourWeeks(firstBlock, masks);
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

    /// <summary>For sessions of one length: bit (day × 24 + hour) set when a session from that hour fits one range of the hours.</summary>
    private sealed record OnTheHour(IReadOnlyList<WorkingHours> Hours, Period Length, ulong[] Bits);

    private OnTheHour? _onTheHour;

    /// <summary>
    /// The hours of the week from which a session of <paramref name="length"/> starting on the hour lies inside one range
    /// of the therapist's hours, as bits (<see cref="WorksFrom"/> reads them): worked out once per list of hours, since a
    /// search asks it of every therapist.
    /// </summary>
    internal ulong[] OnTheHourMask(Period length)
    {
        if (_onTheHour is { } cached && ReferenceEquals(cached.Hours, Hours) && cached.Length == length) return cached.Bits;
        var bits = new ulong[MaskLength];
        foreach (var range in Hours)
            for (var from = 0; from < 24; from++)
            {
                var start = new LocalTime(from, 0);
                var end = start.Plus(length);
                var at = (int)range.Day * 24 + from;
                if (start >= range.From && end <= range.To && end > start) bits[at >> 6] |= 1UL << (at & 63);
            }
        _onTheHour = new OnTheHour(Hours, length, bits);
        return bits;
    }

    /// <summary>The <see cref="OnTheHourMask"/>'s length, in 64-bit words.</summary>
    internal const int MaskLength = 3;

    /// <summary>Whether an <see cref="OnTheHourMask"/> holds a session from <paramref name="hour"/>:00 on <paramref name="day"/>.</summary>
    internal static bool WorksFrom(ReadOnlySpan<ulong> mask, IsoDayOfWeek day, int hour)
    {
        var at = (int)day * 24 + hour;
        return (mask[at >> 6] & (1UL << (at & 63))) != 0;
    }
}
