using System.Text.Json;
using Dit.Contracts;
using Dit.Platform.Messaging;
using Dit.Scheduling;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Waitlist;
using System.Globalization;
using Dit.Testing;
using Microsoft.Extensions.Configuration;
using NodaTime;

namespace Dit.ClinicSimulation;

/// <summary>
/// The same clinic year as <see cref="ClinicYear"/> — the same staff, leave, referrals and withdrawals from the same
/// seeds, the same day's order — booked by the same code (<see cref="CourseSearch"/>, <see cref="SlotScarcity"/>,
/// <see cref="CourseReassignment.Best"/>, <see cref="SearchRequest.For"/>) over diaries held in memory instead of the
/// service's database, bus and HTTP API: a manager's what-if ("six more late shifts", "Saturday clinics", "110 %")
/// in well under a minute a year. Nothing is checked against a database (there is none); the full simulation's daily
/// invariants are what show the booking code keeps its promises. The attendance and review draws come in another
/// order than the full simulation's, so the two agree in their figures, not patient by patient (docs/booking-quality.md).
/// </summary>
public sealed class FastClinicYear(ClinicSetup setup, TextWriter? progress = null)
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private readonly Random _random = new(setup.Seed);
    private readonly Random _ids = new(setup.Seed + 2);
    private readonly Random _agrees = new(setup.Seed + 3);
    private readonly BookingRules _rules = BookingRules.From(new ConfigurationBuilder().AddInMemoryCollection(setup.Settings()).Build());
    private readonly ClosedDays _closed = new(new Dictionary<LocalDate, string>(), new HashSet<LocalDate>());
    private readonly SettableClock _clock = new(At(0));
    private readonly List<Therapist> _therapists = [];
    private readonly List<Course> _courses = [];
    private readonly Dictionary<Guid, Course> _courseOf = [];
    private readonly List<(SimReferral Referral, int Since)> _waitlist = [];
    private CourseSearch _search = null!;
    private SlotScarcity? _scarcity;

    /// <summary>A therapist: their diary as the search sees it, whose leave days are <paramref name="leaveDays"/> (added to as leave is booked).</summary>
    private sealed class Therapist(StaffMember member, TherapistDiary diary, HashSet<LocalDate> leaveDays)
    {
        public StaffMember Member => member;
        public TherapistDiary Diary { get; set; } = diary;
        public HashSet<LocalDate> LeaveDays => leaveDays;
    }

    private sealed class Session(int number, Instant start, LocalDateTime local)
    {
        public int Number => number;
        public Instant Start { get; set; } = start;
        public LocalDateTime Local { get; set; } = local;
        public bool Cancelled { get; set; }
        public bool Recorded { get; set; }
    }

    private sealed class Course(SimReferral referral, Therapist therapist, List<Session> sessions)
    {
        public Guid Id { get; } = Guid.NewGuid();
        public SimReferral Referral { get; set; } = referral;
        public Therapist Therapist { get; set; } = therapist;
        public List<Session> Sessions => sessions;
        public int Dnas { get; set; }
        public bool Reviewed { get; set; }
        public bool Cancelled { get; set; }
    }

    public Task<YearResult> RunAsync()
    {
        var started = DateTime.UtcNow;
        _search = new CourseSearch(_rules);
        var reassignment = new CourseReassignment(_search, _rules, _clock);
        var maker = new ReferralMaker(new Random(setup.Seed + 1));
        var referrals = new List<SimReferral>();
        foreach (var kind in Enumerable.Range(0, 4))
            for (var i = 0; i < new[] { setup.DayTherapists, setup.LateTherapists, setup.PartTimeTherapists, setup.WeekendTherapists }[kind]; i++)
                AddTherapist(kind, 0);

        var waitlistByDay = new List<int>();
        var owed = 0.0;
        for (var day = 0; day < setup.Days; day++)
        {
            _clock.Set(At(day));
            var now = _clock.GetCurrentInstant();
            var date = ClinicSetup.FirstDay.PlusDays(day);
            if (day == setup.JoinDay) AddTherapist(0, day);
            if (day == setup.LeaveDay) LeaveClinic(reassignment, _therapists[setup.DayTherapists], day, date);
            foreach (var therapist in _therapists)
                foreach (var leave in therapist.Member.Leave.Where(l => l.BookOnDay == day)) BookLeave(therapist, leave.From, leave.To);
            RecordAttendance(now);
            ReviewFlaggedCourses(now);

            foreach (var referral in referrals.Where(r => r.WithdrawOnDay == day))
            {
                _waitlist.RemoveAll(w => w.Referral.Id == referral.Id);
                if (_courseOf.TryGetValue(referral.Id, out var course)) Cancel(course, now);
            }
            _scarcity = _rules.ScarceTimesLast ? Scarcity(day, now) : null;
            for (owed += setup.ReferralsPerDay; owed >= 1; owed--)
            {
                var referral = maker.Make(day, date);
                referrals.Add(referral);
                if (!Book(referral, now)) _waitlist.Add((referral, day));
            }
            RetryWaitlist(now);
            if (setup.BringForward > 0 && date.DayOfWeek == IsoDayOfWeek.Monday) BringLateCoursesForward(now);
            waitlistByDay.Add(_waitlist.Count);
            if (day % 28 == 27) progress?.WriteLine($"  {setup.Load:P0}{(setup.Baseline ? " baseline" : "")} (fast): day {day + 1}, {referrals.Count} referrals, waitlist {_waitlist.Count}");
        }

        var outcomes = referrals.Select(r => new ReferralOutcome(r.Day, r.Pattern,
            _courseOf.TryGetValue(r.Id, out var course) ? course.Sessions[0].Local.Date : null,
            r.WithdrawOnDay is not null && !_courseOf.ContainsKey(r.Id), ClinicSetup.FirstDay.PlusDays(r.Day))).ToList();
        if (setup.BringForward > 0) progress?.WriteLine($"  {setup.Load:P0} (fast): {BroughtForward} courses brought forward by a coordinator");
        var held = _courses.Sum(c => c.Sessions.Count(s => s.Recorded));
        var capacity = _therapists.Count * (double)setup.Cap * setup.Days / 7.0;
        return Task.FromResult(new YearResult(setup, outcomes, waitlistByDay, held / capacity, [], 0, DateTime.UtcNow - started,
            StaffMember.EveningSlots(_therapists.Select(t => t.Member), setup.Days), Evenings()));
    }

    private static bool Evening(LocalDateTime uk) => uk.DayOfWeek <= IsoDayOfWeek.Friday && uk.Hour is >= 17 and <= 20;

    private EveningUse Evenings()
    {
        var byPattern = _courses.GroupBy(c => c.Referral.Pattern)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Sessions.Count(s => !s.Cancelled && Evening(s.Start.InZone(London).LocalDateTime))));
        int slots = 0, filled = 0;
        foreach (var therapist in _therapists.Where(t => t.Member.Kind == 1))
            for (var week = 10; week < Math.Min(50, setup.Days / 7); week++)
            {
                var monday = ClinicSetup.FirstDay.PlusWeeks(week);
                if (Enumerable.Range(0, 5).Any(d => therapist.LeaveDays.Contains(monday.PlusDays(d)))) continue;
                slots += 20;
                filled += therapist.Diary.BookedStarts.Select(b => b.InZone(London).LocalDateTime)
                    .Count(l => l.Date >= monday && l.Date < monday.PlusWeeks(1) && Evening(l));
            }
        return new EveningUse(byPattern, slots == 0 ? 0 : filled / (double)slots);
    }

    private static Instant At(int day) => ClinicSetup.FirstDay.PlusDays(day).At(new LocalTime(8, 0)).InZoneLeniently(London).ToInstant();

    private void AddTherapist(int kind, int day)
    {
        var member = StaffMember.Make(_random, kind, day);
        var hours = member.Hours.Select(h => new WorkingHours(h.Day, h.From, h.To)).ToList();
        // Ids from the seed: the search breaks ties between equally loaded therapists by id, so a rerun is the same year.
        var id = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)_ids.Next(256)).ToArray());
        var leave = new HashSet<LocalDate>();
        _therapists.Add(new Therapist(member, new TherapistDiary(id, $"Therapist {_therapists.Count + 1}", setup.Cap, hours, new List<Instant>(), leave), leave));
    }

    /// <summary>The diary with its booked starts changed: a new list, so that the search's per-list caches start again.</summary>
    private static void Rebook(Therapist therapist, IEnumerable<Instant> add, IEnumerable<Instant> remove)
    {
        var booked = therapist.Diary.BookedStarts.Except(remove).Concat(add).Order().ToList();
        therapist.Diary = therapist.Diary with { BookedStarts = booked };
    }

    /// <summary>
    /// The waitlist, oldest first, each searched against the diaries as the ones before it left them — as the service's
    /// retry does. The searches run on every core against the diaries at the round's start: a referral that finds
    /// nothing there finds nothing after other bookings either (a booking only takes times away), and one that finds a
    /// course before anything was booked in the round finds the same; only those after a booking are searched again.
    /// </summary>
    private void RetryWaitlist(Instant now)
    {
        var waiting = _waitlist.ToList();
        var diaries = _therapists.Select(t => t.Diary).ToList();
        var found = new CourseSlot?[waiting.Count];
        Parallel.For(0, waiting.Count, i => found[i] = Search(waiting[i].Referral, now, diaries));
        var booked = false;
        for (var i = 0; i < waiting.Count; i++)
        {
            if (found[i] is null) continue;
            var slot = booked ? Search(waiting[i].Referral, now, _therapists.Select(t => t.Diary).ToList()) : found[i];
            if (slot is null) continue;
            Book(waiting[i].Referral, slot);
            _waitlist.Remove(waiting[i]);
            booked = true;
        }
    }

    /// <summary>
    /// A coordinator's Monday round (the page's "Booked to start more than 6 weeks away"): each late
    /// course is offered the nearest hour that would start it sooner (<see cref="NearestWindows"/>); a patient who agrees
    /// (<see cref="ClinicSetup.BringForward"/> of them) has it added and the same course moves as a whole, as
    /// <see cref="CourseBringForward"/> moves it.
    /// </summary>
    private void BringLateCoursesForward(Instant now)
    {
        var nearest = new NearestWindows(_search);
        foreach (var course in _courses.Where(c => !c.Cancelled && c.Sessions.Where(s => !s.Cancelled).All(s => s.Start > now)).ToList())
        {
            var booked = course.Sessions.Where(s => !s.Cancelled).ToList();
            if (booked.Count == 0) continue;
            var message = course.Referral.Message;
            var request = SearchRequest.For(message, _closed, now, _rules);
            if (!LateCourse.IsLate(booked[0].Start, LateCourse.CouldStartAt(now, request.EarliestStart, request.Zone))) continue;
            var own = booked.Select(s => s.Start).ToHashSet();
            var diaries = LateCourse.Without(_therapists.Select(t => t.Diary).ToList(), course.Therapist.Diary.Id, own);
            if (nearest.For(request, diaries, before: booked[0].Start).FirstOrDefault() is not { } offer || _agrees.NextDouble() >= setup.BringForward) continue;
            var window = new AvailabilityWindow(Enum.Parse<DayOfWeek>(offer.Day), TimeOnly.Parse(offer.From, CultureInfo.InvariantCulture), TimeOnly.Parse(offer.To, CultureInfo.InvariantCulture));
            var widened = message with { Availability = [.. message.Availability, window] };
            if (nearest.Sooner(SearchRequest.For(widened, _closed, now, _rules), diaries, booked[0].Start) is not { } slot || booked.Count > slot.Course.Sessions.Count) continue;
            Rebook(course.Therapist, [], own);
            foreach (var (session, planned) in booked.Zip(slot.Course.Sessions)) (session.Start, session.Local) = (planned.Start, planned.LocalStart);
            course.Therapist = _therapists.Single(t => t.Diary.Id == slot.Therapist.Id);
            Rebook(course.Therapist, booked.Select(s => s.Start), []);
            course.Referral = course.Referral with { Message = widened };
            BroughtForward++;
        }
    }

    /// <summary>Courses a coordinator brought forward in the year.</summary>
    public int BroughtForward { get; private set; }

    private CourseSlot? Search(SimReferral referral, Instant now, IReadOnlyList<TherapistDiary> diaries) =>
        _search.FindBest(SearchRequest.For(referral.Message, _closed, now, _rules) with { Scarcity = _scarcity }, diaries);

    private bool Book(SimReferral referral, Instant now)
    {
        var slot = Search(referral, now, _therapists.Select(t => t.Diary).ToList());
        if (slot is null) return false;
        Book(referral, slot);
        return true;
    }

    private void Book(SimReferral referral, CourseSlot slot)
    {
        var therapist = _therapists.Single(t => t.Diary.Id == slot.Therapist.Id);
        var course = new Course(referral, therapist, slot.Course.Sessions.Select(s => new Session(s.Number, s.Start, s.LocalStart)).ToList());
        Rebook(therapist, course.Sessions.Select(s => s.Start), []);
        _courses.Add(course);
        _courseOf[referral.Id] = course;
    }

    /// <summary>The clinic's demand as the scheduling service reads it (<see cref="ClinicDemand"/>): the waitlist, and courses referred in the last four weeks.</summary>
    private SlotScarcity Scarcity(int day, Instant now)
    {
        var since = now - Duration.FromDays(7 * SlotScarcity.RecentWeeks);
        var patients = _waitlist.Select(w => w.Referral)
            .Concat(_courses.Select(c => c.Referral).Where(r => Instant.FromDateTimeOffset(r.Message.OccurredAt) >= since))
            .Select(r => ((IReadOnlyList<AvailabilityWindow>)r.Message.Availability, DateTimeZoneProviders.Tzdb[r.Message.TimeZone]));
        var monday = now.InZone(_rules.ServiceZone).Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        return SlotScarcity.Of(patients, _therapists.Select(t => t.Diary).ToList(), _search, monday);
    }

    private void Cancel(Course course, Instant now)
    {
        course.Cancelled = true;
        var future = course.Sessions.Where(s => !s.Cancelled && s.Start > now).ToList();
        foreach (var session in future) session.Cancelled = true;
        Rebook(course.Therapist, [], future.Select(s => s.Start));
    }

    /// <summary>Leave booked: the sessions already in it are cancelled by the clinic, the course going on without them.</summary>
    private void BookLeave(Therapist therapist, LocalDate from, LocalDate to)
    {
        for (var date = from; date <= to; date = date.PlusDays(1)) therapist.LeaveDays.Add(date);
        var inLeave = _courses.Where(c => c.Therapist == therapist).SelectMany(c => c.Sessions)
            .Where(s => !s.Cancelled && s.Start.InZone(London).Date is var d && d >= from && d <= to).ToList();
        foreach (var session in inLeave) session.Cancelled = true;
        Rebook(therapist, [], inLeave.Select(s => s.Start));
    }

    /// <summary>A therapist leaves: on leave from today to a year ahead, and each course goes from its next session to whoever keeps most of its times (else it is cancelled).</summary>
    private void LeaveClinic(CourseReassignment reassignment, Therapist leaving, int day, LocalDate today)
    {
        leaving.Member.LeaveClinic(day);
        for (var date = today; date <= today.PlusDays(365); date = date.PlusDays(1)) leaving.LeaveDays.Add(date);
        var now = _clock.GetCurrentInstant();
        foreach (var course in _courses.Where(c => c.Therapist == leaving && c.Sessions.Any(s => !s.Cancelled && s.Start > now)).ToList())
        {
            var first = course.Sessions.Where(s => !s.Cancelled && s.Start > now).Min(s => s.Number);
            var moving = course.Sessions.Where(s => s.Number >= first && !s.Cancelled).ToList();
            var previous = course.Sessions.Where(s => s.Number < first && !s.Cancelled).Select(s => (Instant?)s.Start).LastOrDefault();
            var rows = moving.Select(s => new SessionRow(s.Number.ToString(), course.Id.ToString(), course.Referral.Id.ToString(), leaving.Diary.Id.ToString(),
                s.Number, SessionRow.LocalPattern.Format(s.Local), s.Start.ToUnixTimeMilliseconds(), "booked", null, course.Referral.Message.TimeZone,
                JsonSerializer.Serialize(course.Referral.Message.Availability, MessageJson.Options), 0, "booked")).ToList();
            var best = reassignment.Best(_therapists.Where(t => t != leaving).Select(t => t.Diary), rows, previous, _closed);
            if (best.Plan is null)
            {
                Cancel(course, now);
                continue;
            }
            var taker = _therapists.Single(t => t.Diary.Id == best.Diary.Id);
            Rebook(leaving, [], moving.Select(s => s.Start));
            foreach (var (row, local, start) in best.Plan)
            {
                var session = moving.Single(s => s.Number == row.Number);
                (session.Local, session.Start) = (local, start);
            }
            Rebook(taker, moving.Select(s => s.Start), []);
            course.Therapist = taker;
        }
    }

    /// <summary>Every session that started since the last day gets its attendance: 85 % attended, 10 % DNA, 5 % late cancel.</summary>
    private void RecordAttendance(Instant now)
    {
        foreach (var (course, session) in _courses.SelectMany(c => c.Sessions.Select(s => (c, s)))
                     .Where(x => !x.s.Cancelled && !x.s.Recorded && x.s.Start < now).OrderBy(x => x.s.Start).ToList())
        {
            session.Recorded = true;
            if (_random.NextDouble() < 0.10) course.Dnas++;
        }
    }

    /// <summary>Courses with two DNAs are reviewed once; half are cancelled.</summary>
    private void ReviewFlaggedCourses(Instant now)
    {
        foreach (var course in _courses.Where(c => c.Dnas >= 2 && !c.Reviewed && !c.Cancelled))
        {
            course.Reviewed = true;
            if (_random.NextDouble() < 0.5) Cancel(course, now);
        }
    }
}
