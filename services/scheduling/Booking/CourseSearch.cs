using NodaTime.Extensions;

namespace Dit.Scheduling.Booking;

/// <summary>
/// Finds the best course for a referral among the therapists' diaries (design §4). Pure and
/// in-memory: the caller loads the diaries and writes the result.
/// <list type="bullet">
/// <item>First sessions: every start on the UK hourly grid, inside 07:00–23:00 UK time, that falls inside the
/// patient's windows (their zone), from the later of the earliest start and <see cref="SearchRequest.NotBefore"/>,
/// over <see cref="BookingRules.HorizonWeeks"/> weeks; earliest first — or, when the request carries the clinic's
/// <see cref="SlotScarcity"/>, week by week from the first moment (never a later week for the sake of scarcity) and
/// within each week the least scarce times first, so that a patient who could come at many times leaves the evenings
/// and weekends to those who can come only then.</item>
/// <item>A course is that local weekday and time, weekly. For a first session, therapists are tried lightest load
/// first. A session fits a therapist inside their hours, off their leave and the service's closed days, clear of
/// their other appointments and under their weekly cap.</item>
/// <item>A week whose session falls on leave or a closed day (or, for a patient abroad, off the UK grid that week)
/// moves that session to the nearest free time that week inside the patient's windows; if there is none the course
/// skips the week (not the first), at most <see cref="BookingRules.MaxSkippedWeeks"/> times; otherwise the next
/// therapist, then the next first session. For one first session a course without skipped weeks wins over a lighter
/// load.</item>
/// </list>
/// </summary>
public sealed class CourseSearch(BookingRules rules)
{
    public BookingRules Rules => rules;

    public CourseSlot? FindBest(SearchRequest request, IReadOnlyList<TherapistDiary> therapists, int? horizonWeeks = null)
    {
        var closed = request.ClosedDays ?? ClosedDays.None;
        var notBefore = NotBefore(request);
        // Load: sessions booked in the weeks this search can book (diaries may hold more, DiaryCache's do).
        var loadUntil = notBefore + rules.DiaryReach(horizonWeeks ?? rules.HorizonWeeks);
        var byLoad = ByLoad(therapists, notBefore - Duration.FromDays(7), loadUntil);
        var pools = new TherapistPools(byLoad, request.Zone.Id == rules.ServiceZone.Id, WeekNumber(notBefore.InZone(rules.ServiceZone).Date), rules);
        var grid = new PatientGrid(this, request.Windows, request.Zone);
        var weeks = new WeeklyTimes(this, request.Zone, closed);
        foreach (var first in LeastScarceFirst(FirstStarts(request, horizonWeeks ?? rules.HorizonWeeks, grid), notBefore, request.Scarcity))
        {
            weeks.StartAt(first.LocalStart);
            CourseSlot? withSkips = null;
            var pool = pools.For(weeks.Probe(0));
            var offset = (int)(WeekNumber(weeks.Probe(0).Local.Date) - pools.FirstWeek);
            var masked = offset >= 0 && offset + rules.SessionsPerCourse <= 64;
            for (var i = 0; i < pool.Therapists.Length; i++)
            {
                // Most pairs fail here, on the pool's mask of the weeks whose regular time the therapist already has booked,
                // before the therapist's diary is read at all (among thousands of diaries, each read is a trip to memory).
                var taken = masked ? pool.Taken(i) : null;
                if (taken is { } booked
                    && TooManyTaken(weeks, (booked >> offset) & ((1UL << rules.SessionsPerCourse) - 1), pool.OnLeave(i) ? byLoad[pool.Therapists[i]] : null))
                    continue;
                var therapist = byLoad[pool.Therapists[i]];
                var placed = Place(weeks, therapist, request, closed, notBefore, grid, takenChecked: taken is not null);
                if (placed is null) continue;
                // For the same first session, a course without skipped weeks beats a lighter load.
                if (placed.SkippedWeeks.Count == 0) return new CourseSlot(therapist, placed);
                if (withSkips is null || placed.SkippedWeeks.Count < withSkips.Course.SkippedWeeks.Count) withSkips = new CourseSlot(therapist, placed);
            }
            if (withSkips is not null) return withSkips;
        }
        return null;
    }

    /// <summary>The therapists lightest load first (then by id): the order the search tries them in.</summary>
    private static List<TherapistDiary> ByLoad(IReadOnlyList<TherapistDiary> therapists, Instant from, Instant until)
    {
        var keys = new (int Load, Guid Id, int Index)[therapists.Count];
        for (var i = 0; i < keys.Length; i++) keys[i] = (therapists[i].LoadBetween(from, until), therapists[i].Id, i);
        Array.Sort(keys);
        var byLoad = new List<TherapistDiary>(keys.Length);
        foreach (var key in keys) byLoad.Add(therapists[key.Index]);
        return byLoad;
    }

    /// <summary>
    /// The therapists worth trying for a first session, lightest load first: for a patient on UK time, those who work at
    /// that UK weekday and time (nobody else can take a weekly course there); for a patient abroad, whose UK time may
    /// shift with the clocks, everyone. Worked out once per weekly time per search: most of a big clinic does not work
    /// at any one hour, and skipping them is most of the search's speed.
    /// </summary>
    private sealed class TherapistPools(List<TherapistDiary> byLoad, bool ukTime, long firstWeek, BookingRules rules)
    {
        private readonly Dictionary<(IsoDayOfWeek, LocalTime, LocalTime), Pool> _working = [];
        private readonly Pool _everyone = new(Enumerable.Range(0, byLoad.Count).ToArray(), null, null);

        /// <summary>
        /// Each therapist's <see cref="TherapistDiary.OnTheHourMask"/>, side by side in the search's order: read from the
        /// diaries once per search rather than once per weekly time (thousands of diaries, each read a trip to memory).
        /// </summary>
        private ulong[] OnTheHour => field ??= OnTheHourMasks(rules.SessionPeriod);

        private ulong[] OnTheHourMasks(Period length)
        {
            var masks = new ulong[byLoad.Count * TherapistDiary.MaskLength];
            for (var i = 0; i < byLoad.Count; i++) byLoad[i].OnTheHourMask(length).CopyTo(masks, i * TherapistDiary.MaskLength);
            return masks;
        }

        /// <summary>The UK week (<see cref="WeekNumber"/>) the search starts in: bit 0 of <see cref="Pool.Taken"/>'s masks.</summary>
        public long FirstWeek => firstWeek;

        public Pool For(in SlotProbe first)
        {
            if (!ukTime || !first.OnGrid) return _everyone;
            var key = (first.Day, first.From, first.To);
            if (!_working.TryGetValue(key, out var found))
            {
                var probe = first;
                // On the grid (the only probes that reach here) a session starts on the hour: each diary keeps which hours
                // its ranges hold such a session.
                var working = _everyone.Therapists.Where(i =>
                    TherapistDiary.WorksFrom(OnTheHour.AsSpan(i * TherapistDiary.MaskLength, TherapistDiary.MaskLength), probe.Day, probe.From.Hour)).ToArray();
                _working[key] = found = new Pool(working, working.Select(i => byLoad[i].LeaveDays is { Count: > 0 }).ToArray(),
                    i => byLoad[i].BookedWeeks(probe.Day, probe.From.Hour, firstWeek, 64, rules.ServiceZone));
            }
            return found;
        }
    }

    /// <summary>
    /// The therapists to try for one weekly time (indexes into the search's list) and, for a patient on UK time, for
    /// each of them the 64 weeks from the search's first week in which they have a session at that weekday and hour
    /// (bit n = week n): looked up once per weekly time and therapist, not once per start week.
    /// </summary>
    private sealed class Pool(int[] therapists, bool[]? onLeave, Func<int, ulong>? bookedWeeks)
    {
        private readonly ulong?[]? _taken = bookedWeeks is null ? null : new ulong?[therapists.Length];

        public int[] Therapists => therapists;

        /// <summary>Whether the <paramref name="nth"/> therapist of the pool has any leave (then their diary says which weeks).</summary>
        public bool OnLeave(int nth) => onLeave?[nth] ?? true;

        /// <summary>The weeks the <paramref name="nth"/> therapist of the pool has that weekly time booked; null when not known.</summary>
        public ulong? Taken(int nth) => _taken is null ? null : _taken[nth] ??= bookedWeeks!(therapists[nth]);
    }

    /// <summary>Weeks since 1 January 0001 (a Monday), as the therapists' booked-week masks count them.</summary>
    private static long WeekNumber(LocalDate date) => date.ToDateOnly().DayNumber / 7;

    /// <summary>Every first session the search tries, each as a course of its regular weekly times, earliest first.</summary>
    public IEnumerable<CandidateCourse> Candidates(SearchRequest request) =>
        FirstStarts(request, rules.HorizonWeeks).Select(first =>
        {
            var weeks = new WeeklyTimes(this, request.Zone, request.ClosedDays ?? ClosedDays.None);
            weeks.StartAt(first.LocalStart);
            return new CandidateCourse(first.LocalStart.DayOfWeek, first.LocalStart.TimeOfDay,
                Enumerable.Range(0, rules.SessionsPerCourse).Select(w => weeks.Session(w) with { Number = w + 1 }).ToList());
        });

    /// <summary>
    /// Why nothing fits: no start of the patient's on the service's grid, or no therapist's hours covering one, or every
    /// therapist whose hours fit full. Null when the hours fit, so that the caller can say until when they are full.
    /// </summary>
    public string? WhyNothingFits(SearchRequest request, IReadOnlyList<TherapistDiary> therapists)
    {
        var anyStart = false;
        foreach (var first in FirstStarts(request, 1))
        {
            anyStart = true;
            var probe = Probe(first.Start);
            if (therapists.Any(t => WithinHours(t.Hours, probe))) return null;
        }
        return anyStart
            ? "No therapist works inside the patient's availability: the windows are too narrow for every therapist's hours."
            : "None of the patient's times falls on the service's hours (sessions start on the hour, 07:00–22:00 UK time).";
    }

    /// <summary>
    /// Free starts for one session of <paramref name="therapist"/> between two dates (inclusive, in
    /// <paramref name="zone"/>): inside the patient's windows, or anywhere on the grid when
    /// <paramref name="windows"/> is null. Nearest to <paramref name="near"/> first.
    /// </summary>
    public IEnumerable<PlannedSession> FreeStarts(TherapistDiary therapist, LocalDate from, LocalDate to, DateTimeZone zone,
        IReadOnlyList<AvailabilityWindow>? windows, ClosedDays? closedDays, Instant near) =>
        FreeStarts(therapist, from, to, new PatientGrid(this, windows, zone), closedDays, near);

    private List<PlannedSession> FreeStarts(TherapistDiary therapist, LocalDate from, LocalDate to, PatientGrid grid, ClosedDays? closedDays, Instant near)
    {
        var starts = new List<PlannedSession>();
        // On UK time a day of leave, a closed day or a day the therapist does not work has no free start: skipped unread.
        var ukDates = grid.Zone.Id == rules.ServiceZone.Id;
        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            if (ukDates && !OpenTo(therapist, date, closedDays)) continue;
            foreach (var start in grid.On(date))
                if (Fits(therapist, start.Start, closedDays ?? ClosedDays.None)) starts.Add(start);
        }
        if (starts.Count > 1) starts.Sort((a, b) => Distance(a).CompareTo(Distance(b)) is var byDistance && byDistance != 0 ? byDistance : a.Start.CompareTo(b.Start));
        return starts;

        Duration Distance(PlannedSession s) => Duration.Max(s.Start - near, near - s.Start);
    }

    /// <summary>
    /// The grid's starts inside one patient's windows (in their zone), by date, worked out once: a search looks at the same
    /// weeks for many therapists, and most of a look's cost is the zone arithmetic.
    /// </summary>
    private sealed class PatientGrid(CourseSearch search, IReadOnlyList<AvailabilityWindow>? windows, DateTimeZone zone)
    {
        private readonly Dictionary<LocalDate, PlannedSession[]> _byDate = [];

        public DateTimeZone Zone => zone;

        public PlannedSession[] On(LocalDate date) =>
            _byDate.TryGetValue(date, out var known) ? known : _byDate[date] = search.GridOn(date, windows, zone).ToArray();
    }

    private static bool OpenTo(TherapistDiary therapist, LocalDate ukDate, ClosedDays? closedDays)
    {
        if (therapist.LeaveDays?.Contains(ukDate) == true || closedDays?.Contains(ukDate) == true) return false;
        for (var i = 0; i < therapist.Hours.Count; i++)
            if (therapist.Hours[i].Day == ukDate.DayOfWeek) return true;
        return false;
    }

    /// <summary>Whether one session starting at <paramref name="start"/> can go in <paramref name="therapist"/>'s diary.</summary>
    public bool Fits(TherapistDiary therapist, Instant start, ClosedDays closedDays) =>
        ClashAt(therapist, Probe(start), closedDays) is null;

    /// <summary>Why a session starting at <paramref name="start"/> cannot go in the diary, or null when it can.</summary>
    public string? ClashAt(TherapistDiary therapist, Instant start, ClosedDays closedDays) =>
        ClashAt(therapist, Probe(start), closedDays);

    /// <summary>Sessions run 07:00–23:00 UK time whatever the patient's zone.</summary>
    public bool InsideServiceDay(Instant start)
    {
        var local = start.InZone(rules.ServiceZone).LocalDateTime;
        var end = start.Plus(rules.SessionLength).InZone(rules.ServiceZone).LocalDateTime;
        return local.TimeOfDay >= rules.DayOpens && end.Date == local.Date && end.TimeOfDay <= rules.DayCloses;
    }

    /// <summary>Whether a session starting at <paramref name="start"/> starts on the UK hourly grid (07:00–22:00 by default).</summary>
    public bool OnGrid(Instant start)
    {
        var local = start.InZone(rules.ServiceZone).LocalDateTime;
        return local.Minute == 0 && local.Second == 0 && local.TimeOfDay >= rules.FirstStart && local.TimeOfDay <= rules.LastStart
            && InsideServiceDay(start);
    }

    /// <summary>Whether a session at <paramref name="local"/> (the patient's zone) lies inside one of their windows.</summary>
    public bool InsideWindows(IReadOnlyList<AvailabilityWindow> windows, LocalDateTime local)
    {
        var end = local.Plus(rules.SessionPeriod);
        return end.Date == local.Date && windows.Any(w =>
            w.Day.ToIsoDayOfWeek() == local.DayOfWeek && local.TimeOfDay >= w.From.ToLocalTime() && end.TimeOfDay <= w.To.ToLocalTime());
    }

    /// <summary>The first moment a session may start: the earliest start's midnight in the patient's zone, or later.</summary>
    public static Instant NotBefore(SearchRequest request)
    {
        var earliest = request.EarliestStart.AtStartOfDayInZone(request.Zone).ToInstant();
        return request.NotBefore is { } notBefore && notBefore > earliest ? notBefore : earliest;
    }

    /// <summary>The starts on the UK grid that fall on <paramref name="date"/> in <paramref name="zone"/> inside the windows (any, when null), in order.</summary>
    public IEnumerable<PlannedSession> GridOn(LocalDate date, IReadOnlyList<AvailabilityWindow>? windows, DateTimeZone zone)
    {
        if (windows is not null && !windows.Any(w => w.Day.ToIsoDayOfWeek() == date.DayOfWeek)) yield break;
        // The UK dates whose grid can fall on this date in the patient's zone: the day itself, and one either side abroad.
        var sameZone = zone.Id == rules.ServiceZone.Id;
        for (var ukDate = sameZone ? date : date.PlusDays(-1); ukDate <= (sameZone ? date : date.PlusDays(1)); ukDate = ukDate.PlusDays(1))
        {
            for (var time = rules.FirstStart; time <= rules.LastStart && time >= rules.FirstStart; time = time.PlusHours(1))
            {
                var start = ukDate.At(time).InZoneLeniently(rules.ServiceZone).ToInstant();
                var local = start.InZone(zone).LocalDateTime;
                if (local.Date != date || !InsideServiceDay(start)) continue;
                if (windows is null || InsideWindows(windows, local)) yield return new PlannedSession(0, local, start);
            }
        }
    }

    /// <summary>
    /// The UK wall-clock starts in the UK week from <paramref name="monday"/> that fall inside the windows, read in
    /// <paramref name="zone"/> as that week's clocks put them (the patient's days either side too, for a patient abroad).
    /// </summary>
    public IEnumerable<LocalDateTime> UkStartsInWeek(IReadOnlyList<AvailabilityWindow> windows, DateTimeZone zone, LocalDate monday)
    {
        for (var date = monday.PlusDays(-1); date <= monday.PlusDays(7); date = date.PlusDays(1))
        {
            foreach (var start in GridOn(date, windows, zone))
            {
                var uk = start.Start.InZone(rules.ServiceZone).LocalDateTime;
                if (uk.Date >= monday && uk.Date < monday.PlusDays(7)) yield return uk;
            }
        }
    }

    /// <summary>The grid's starts (UK time) whose session fits inside one range of a therapist's working hours.</summary>
    public IEnumerable<LocalTime> StartsWithin(WorkingHours range)
    {
        for (var time = rules.FirstStart; time <= rules.LastStart && time >= rules.FirstStart; time = time.PlusHours(1))
            if (time >= range.From && time.PlusMinutes(rules.SessionMinutes) <= range.To) yield return time;
    }

    private IEnumerable<PlannedSession> FirstStarts(SearchRequest request, int horizonWeeks, PatientGrid? grid = null)
    {
        grid ??= new PatientGrid(this, request.Windows, request.Zone);
        var notBefore = NotBefore(request);
        var from = notBefore.InZone(request.Zone).Date;
        var starts = new List<PlannedSession>();
        for (var date = from; date < from.PlusWeeks(horizonWeeks); date = date.PlusDays(1))
            starts.AddRange(grid.On(date).Where(s => s.Start >= notBefore));
        return starts.OrderBy(s => s.Start);
    }

    /// <summary>
    /// The starts in the order the search tries them: as they come (earliest first) without scarcity; with it, by the
    /// week from <paramref name="notBefore"/> they fall in, then the least scarce, then the earliest.
    /// </summary>
    private IEnumerable<PlannedSession> LeastScarceFirst(IEnumerable<PlannedSession> starts, Instant notBefore, SlotScarcity? scarcity) =>
        scarcity is null
            ? starts
            : starts.OrderBy(s => (long)Math.Floor((s.Start - notBefore).TotalDays / 7))
                .ThenBy(s => scarcity.At(s.Start, rules.ServiceZone))
                .ThenBy(s => s.Start);

    /// <summary>A session's start with its UK wall-clock time and week worked out once, for checking against many diaries.</summary>
    private readonly record struct SlotProbe(Instant Start, LocalDateTime Local, LocalDateTime End, Instant WeekStart, Instant WeekEnd, bool OnGrid,
        bool Closed = false)
    {
        // Worked out once: the search compares them against every therapist's hours.
        public IsoDayOfWeek Day { get; } = Local.DayOfWeek;
        public LocalTime From { get; } = Local.TimeOfDay;
        public LocalTime To { get; } = End.TimeOfDay;
        public bool EndsSameDay { get; } = End.Date == Local.Date;
    }

    private SlotProbe Probe(Instant start)
    {
        var local = start.InZone(rules.ServiceZone).LocalDateTime;
        var monday = local.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        return new SlotProbe(start, local, local.Plus(rules.SessionPeriod),
            monday.AtStartOfDayInZone(rules.ServiceZone).ToInstant(), monday.PlusWeeks(1).AtStartOfDayInZone(rules.ServiceZone).ToInstant(),
            OnGrid(start));
    }

    /// <summary>
    /// The regular weekly times of one candidate course in the patient's zone, worked out as the search reaches them:
    /// most candidates fail at the first session, so later weeks are rarely needed. Each time's instant and probe are
    /// worked out once per search: candidates a week apart share fifteen of their sixteen weeks, and the zone arithmetic
    /// of a probe costs more than the rest of a (candidate, therapist) pair's checks.
    /// </summary>
    private sealed class WeeklyTimes(CourseSearch search, DateTimeZone zone, ClosedDays closed)
    {
        private readonly PlannedSession?[] _sessions = new PlannedSession?[search.Rules.MaxCourseWeeks];
        private readonly SlotProbe[] _probes = new SlotProbe[search.Rules.MaxCourseWeeks];
        private readonly Instant[] _starts = new Instant[search.Rules.MaxCourseWeeks];
        private readonly bool[] _probed = new bool[search.Rules.MaxCourseWeeks];
        private readonly Dictionary<LocalDateTime, (Instant Start, SlotProbe Probe)> _known = [];
        private LocalDateTime first;
        private ulong? _unusable;

        public int Count => _sessions.Length;

        /// <summary>Another candidate: the same arrays, used again (the search tries hundreds of first sessions).</summary>
        public void StartAt(LocalDateTime firstSession)
        {
            first = firstSession;
            Array.Clear(_sessions);
            Array.Clear(_probed);
            _unusable = null;
        }

        public PlannedSession Session(int week) =>
            _sessions[week] ??= new PlannedSession(week + 1, first.PlusWeeks(week), _starts[Probed(week)]);

        public ref readonly SlotProbe Probe(int week) => ref _probes[Probed(week)];

        /// <summary>
        /// The course's regular weeks (bit n = session n + 1's week) whose time no therapist can keep: a closed day, or
        /// off the UK grid that week (a patient abroad when the clocks differ). Worked out once per candidate.
        /// </summary>
        public ulong Unusable
        {
            get
            {
                if (_unusable is { } known) return known;
                ulong bits = 0;
                for (var week = 0; week < search.Rules.SessionsPerCourse && week < 64; week++)
                    if (Probe(week) is { OnGrid: false } or { Closed: true }) bits |= 1UL << week;
                return (_unusable = bits).Value;
            }
        }

        private int Probed(int week)
        {
            if (_probed[week]) return week;
            var local = first.PlusWeeks(week);
            if (!_known.TryGetValue(local, out var worked)) _known[local] = worked = Work(local);
            (_starts[week], _probes[week], _probed[week]) = (worked.Start, worked.Probe, true);
            return week;
        }

        private (Instant, SlotProbe) Work(LocalDateTime local)
        {
            var start = local.InZoneLeniently(zone).ToInstant();
            var probe = search.Probe(start);
            if (closed.Contains(probe.Local.Date)) probe = probe with { Closed = true };
            // A wall-clock time the clocks skip that week is no weekly time at all.
            if (start.InZone(zone).LocalDateTime != local) probe = probe with { OnGrid = false };
            return (start, probe);
        }
    }

    /// <param name="takenChecked">Whether the caller has already ruled out (<see cref="TooManyTaken"/>) a course with more of its regular weeks taken than may move.</param>
    private CandidateCourse? Place(WeeklyTimes weeks, TherapistDiary therapist, SearchRequest request, ClosedDays closed, Instant notBefore,
        PatientGrid grid, bool takenChecked = false)
    {
        // Most pairs fail at once: the first session, before anything is allocated. (The weeks already taken are checked by
        // the caller from the pool's mask; therapists who never work at a UK patient's weekly time are not tried at all.)
        ref readonly var firstProbe = ref weeks.Probe(0);
        var mayMove = rules.MaxMovedTakenWeeks;
        if (firstProbe.OnGrid && !FitsQuickly(therapist, firstProbe) && !Blocked(therapist, firstProbe)) return null;
        if (!takenChecked && mayMove == 0 && RegularTimeTaken(weeks, therapist, request.Zone, firstProbe)) return null;
        var sessions = new List<PlannedSession>(rules.SessionsPerCourse);
        List<LocalDate>? skipped = null;
        for (var week = 0; week < weeks.Count && sessions.Count < rules.SessionsPerCourse; week++)
        {
            var regular = weeks.Session(week);
            ref readonly var probe = ref weeks.Probe(week);
            if (probe.OnGrid && FitsQuickly(therapist, probe))
            {
                sessions.Add(regular with { Number = sessions.Count + 1 });
                continue;
            }
            // Another session or a full week: this therapist cannot take this weekly time — unless a few such weeks may move.
            var taken = probe.OnGrid && !Blocked(therapist, probe);
            if (taken && (sessions.Count == 0 || mayMove-- <= 0)) return null;

            // A taken week allowed to move, leave, a closed day, or a patient abroad off the UK grid this week: the nearest free time that week.
            var moved = NearestFreeInWeek(therapist, regular, closed, sessions.Count > 0 ? sessions[^1].Start : null, notBefore, grid);
            if (moved is not null)
            {
                sessions.Add(moved with { Number = sessions.Count + 1 });
                continue;
            }
            // A taken week is never skipped (the course would overrun another's). The first session is never skipped (a later
            // first session is another candidate); later ones a limited number of times.
            if (taken || sessions.Count == 0 || (skipped?.Count ?? 0) >= rules.MaxSkippedWeeks) return null;
            (skipped ??= []).Add(regular.LocalStart.Date);
        }
        if (sessions.Count < rules.SessionsPerCourse) return null;
        var firstRegular = weeks.Session(0).LocalStart;
        return new CandidateCourse(firstRegular.DayOfWeek, firstRegular.TimeOfDay, sessions) { SkippedWeeks = skipped ?? [] };
    }

    /// <summary>
    /// For a patient on UK time: whether the therapist has another session at the course's weekly time in one of its 16
    /// regular weeks that is not closed to them (a week the course can neither move nor skip) — told by one look at
    /// the therapist's weeks at that hour rather than a search per week.
    /// </summary>
    private bool RegularTimeTaken(WeeklyTimes weeks, TherapistDiary therapist, DateTimeZone zone, in SlotProbe first)
    {
        if (zone.Id != rules.ServiceZone.Id || !first.OnGrid) return false;
        return TooManyTaken(weeks,
            therapist.BookedWeeks(first.Day, first.From.Hour, WeekNumber(first.Local.Date), rules.SessionsPerCourse, rules.ServiceZone), therapist);
    }

    /// <summary>
    /// Whether more of the course's regular weeks are taken by the therapist's other sessions than may move
    /// (<see cref="BookingRules.MaxMovedTakenWeeks"/>): such a course is not tried at all. A week that is closed, off the
    /// grid or the therapist's leave does not count: it moves (or is skipped) whatever the diary holds.
    /// </summary>
    /// <param name="taken">The course's weeks in which the therapist has a session at its regular time (bit n = week n).</param>
    /// <param name="onLeave">The therapist, when they have leave; null when they have none.</param>
    private bool TooManyTaken(WeeklyTimes weeks, ulong taken, TherapistDiary? onLeave)
    {
        var open = taken & ~weeks.Unusable;
        if (System.Numerics.BitOperations.PopCount(open) <= rules.MaxMovedTakenWeeks) return false;
        if (onLeave?.LeaveDays is not { Count: > 0 } leave) return true;
        var counted = 0;
        for (var week = 0; open != 0; week++, open >>= 1)
            if ((open & 1) != 0 && !leave.Contains(weeks.Probe(week).Local.Date) && ++counted > rules.MaxMovedTakenWeeks) return true;
        return false;
    }

    /// <summary>
    /// Where a session that cannot keep its weekly time goes instead: the free time nearest to it in its own week (the
    /// patient's zone, Monday to Sunday) inside the windows (any time when null), not before <paramref name="notBefore"/>
    /// and after the session before it ends; null when there is none.
    /// </summary>
    public PlannedSession? NearestFreeInWeek(TherapistDiary therapist, PlannedSession regular, DateTimeZone zone,
        IReadOnlyList<AvailabilityWindow>? windows, ClosedDays closed, Instant? previous, Instant notBefore) =>
        NearestFreeInWeek(therapist, regular, closed, previous, notBefore, new PatientGrid(this, windows, zone));

    private PlannedSession? NearestFreeInWeek(TherapistDiary therapist, PlannedSession regular, ClosedDays closed, Instant? previous,
        Instant notBefore, PatientGrid grid)
    {
        var monday = regular.LocalStart.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        return FreeStarts(therapist, monday, monday.PlusDays(6), grid, closed, regular.Start)
            .FirstOrDefault(s => s.Start >= notBefore && (previous is null || s.Start >= previous.Value + rules.SessionLength));
    }

    /// <summary>
    /// The search's inner test, for a probe whose closed day is already known: the cheapest refusals first, since
    /// nearly every (candidate, therapist) pair the search tries fails (docs/benchmarks.md).
    /// </summary>
    private bool FitsQuickly(TherapistDiary therapist, in SlotProbe probe) =>
        WithinHours(therapist.Hours, probe)
        && !Overlaps(therapist.BookedMillis, probe.Start)
        && CountBetween(therapist.BookedMillis, probe.WeekStart, probe.WeekEnd) < therapist.MaxSessionsPerWeek
        && !probe.Closed
        && !(therapist.LeaveDays is { Count: > 0 } leave && leave.Contains(probe.Local.Date));

    private string? ClashAt(TherapistDiary therapist, in SlotProbe probe, ClosedDays closedDays)
    {
        var local = probe.Local;
        if (closedDays.Contains(local.Date)) return "The service is closed that day.";
        if (therapist.LeaveDays is { Count: > 0 } leave && leave.Contains(local.Date)) return "The therapist is on leave that day.";
        if (!WithinHours(therapist.Hours, probe)) return "The therapist does not work then.";
        if (Overlaps(therapist.BookedMillis, probe.Start)) return "The therapist has another session then.";
        return CountBetween(therapist.BookedMillis, probe.WeekStart, probe.WeekEnd) < therapist.MaxSessionsPerWeek
            ? null
            : "The therapist's week is full.";
    }

    private static bool WithinHours(IReadOnlyList<WorkingHours> hours, in SlotProbe probe)
    {
        if (!probe.EndsSameDay) return false;
        for (var i = 0; i < hours.Count; i++)
        {
            var range = hours[i];
            if (range.Day == probe.Day && probe.From >= range.From && probe.To <= range.To) return true;
        }
        return false;
    }

    private static bool Blocked(TherapistDiary therapist, in SlotProbe probe) =>
        probe.Closed || (therapist.LeaveDays is { Count: > 0 } leave && leave.Contains(probe.Local.Date));

    /// <summary>Whether any booked session (same length) overlaps one starting at <paramref name="start"/>.</summary>
    private bool Overlaps(long[] booked, Instant start)
    {
        var at = start.ToUnixTimeMilliseconds();
        var length = (long)rules.SessionLength.TotalMilliseconds;
        var firstAfter = LowerBound(booked, at - length + 1);
        return firstAfter < booked.Length && booked[firstAfter] < at + length;
    }

    private static int CountBetween(long[] sorted, Instant from, Instant to) =>
        LowerBound(sorted, to.ToUnixTimeMilliseconds()) - LowerBound(sorted, from.ToUnixTimeMilliseconds());

    /// <summary>Index of the first element not less than <paramref name="value"/>.</summary>
    private static int LowerBound(long[] sorted, long value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] < value) low = mid + 1; else high = mid;
        }
        return low;
    }
}
