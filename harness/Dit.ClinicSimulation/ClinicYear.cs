using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using Dit.Testing;
using NodaTime;

namespace Dit.ClinicSimulation;

/// <summary>What a simulated year gives: every referral's outcome, the waitlist each day, and the therapists' hours used.</summary>
public sealed record YearResult(
    ClinicSetup Setup,
    IReadOnlyList<ReferralOutcome> Referrals,
    IReadOnlyList<int> WaitlistByDay,
    double Utilisation,
    IReadOnlyList<string> Violations,
    int DaysChecked,
    TimeSpan Elapsed,
    int EveningSlots = 0,
    EveningUse? Evenings = null);

/// <summary>
/// Who had the evening hours (fast simulation): sessions at 17:00–20:00 on weekdays by availability pattern, and the share
/// of late-shift therapists' evening starts booked in the weeks 10–49 they worked whole.
/// </summary>
public sealed record EveningUse(IReadOnlyDictionary<Pattern, int> SessionsByPattern, double FilledInFullWeeks);

/// <summary>One referral at the end of the year: when it came, its pattern, when its first session was (if ever), whether withdrawn first.</summary>
public sealed record ReferralOutcome(int Day, Pattern Pattern, LocalDate? FirstSession, bool WithdrawnBeforeBooking, LocalDate Arrived)
{
    public double? WeeksToFirstSession => FirstSession is { } first ? Period.Between(Arrived, first, PeriodUnits.Days).Days / 7.0 : null;
}

/// <summary>
/// A clinic's year, day by day, through the real scheduling service (issue 12): therapists join, leave and take leave
/// (booked a month ahead, their sessions in it cancelled by the clinic), referrals arrive with the availability mix and
/// are booked from the bus, referrers withdraw some, coordinators record attendance, review courses with two DNAs and
/// cancel half, reassign a leaving therapist's courses; the waitlist is retried daily. Every day ends with the
/// invariants checked against the service's database.
/// </summary>
public sealed class ClinicYear(ClinicSetup setup, TextWriter? progress = null)
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private readonly Random _random = new(setup.Seed);
    private readonly List<SimReferral> _referrals = [];
    private readonly List<(string Id, StaffMember Member)> _therapists = [];
    private readonly HashSet<string> _reviewed = [];
    private TimeSpan _bookingTime, _retryTime, _checkTime;

    public async Task<YearResult> RunAsync()
    {
        var started = DateTime.UtcNow;
        var clock = new SettableClock(At(0));
        await using var app = await SimulatedScheduling.StartAsync(clock, setup.Settings());
        var invariants = new Invariants(app, setup);
        var maker = new ReferralMaker(new Random(setup.Seed + 1));
        foreach (var kind in Enumerable.Range(0, 4))
            for (var i = 0; i < new[] { setup.DayTherapists, setup.LateTherapists, setup.PartTimeTherapists, setup.WeekendTherapists }[kind]; i++)
                await AddTherapistAsync(app, kind, 0);

        var waitlistByDay = new List<int>();
        var violations = new List<string>();
        long published = 0, withdrawn = 0;
        var owed = 0.0;
        for (var day = 0; day < setup.Days; day++)
        {
            clock.Set(At(day));
            var date = ClinicSetup.FirstDay.PlusDays(day);
            if (day == setup.JoinDay) await AddTherapistAsync(app, 0, day);
            if (day == setup.LeaveDay) await LeaveClinicAsync(app, _therapists[setup.DayTherapists], day, date);
            foreach (var (id, member) in _therapists)
                foreach (var leave in member.Leave.Where(l => l.BookOnDay == day)) await BookLeaveAsync(app, id, leave.From, leave.To);
            await RecordAttendanceAsync(app, clock.GetCurrentInstant());
            await ReviewFlaggedCoursesAsync(app);

            foreach (var referral in _referrals.Where(r => r.WithdrawOnDay == day))
            {
                await app.Bus.Publish(new ReferralWithdrawn(referral.Id, "simulated-referrer", "Simulated withdrawal", clock.GetCurrentInstant().ToDateTimeOffset()));
                withdrawn++;
            }
            owed += setup.ReferralsPerDay;
            for (; owed >= 1; owed--)
            {
                var referral = maker.Make(day, date);
                _referrals.Add(referral);
                await app.Bus.Publish(referral.Message);
                published++;
            }
            var booking = System.Diagnostics.Stopwatch.StartNew();
            await app.WaitForInboxAsync("BookCourse", published);
            await app.WaitForInboxAsync("CancelCourseOnWithdrawal", withdrawn);
            _bookingTime += booking.Elapsed;
            var retry = System.Diagnostics.Stopwatch.StartNew();
            await app.WaitlistRetry.RetryAsync(CancellationToken.None);
            _retryTime += retry.Elapsed;

            var checking = System.Diagnostics.Stopwatch.StartNew();
            violations.AddRange((await invariants.CheckAsync(day, clock.GetCurrentInstant())).Select(v => $"day {day} ({date:yyyy-MM-dd}): {v}"));
            _checkTime += checking.Elapsed;
            waitlistByDay.Add(await app.ScalarAsync<int>("select count(*) from waitlist"));
            if (day % 28 == 27) progress?.WriteLine($"  {setup.Load:P0}{(setup.Baseline ? " baseline" : "")}: day {day + 1}, {published} referrals, waitlist {waitlistByDay[^1]}, {violations.Count} violations " +
                $"(so far: booking {_bookingTime.TotalSeconds:F0} s, waitlist retries {_retryTime.TotalSeconds:F0} s, checks {_checkTime.TotalSeconds:F0} s)");
        }

        var outcomes = await OutcomesAsync(app);
        var held = await app.ScalarAsync<long>("select count(*) from appointments where attendance is not null");
        var capacity = _therapists.Count * (double)setup.Cap * setup.Days / 7.0;
        return new YearResult(setup, outcomes, waitlistByDay, held / capacity, violations, setup.Days, DateTime.UtcNow - started, StaffMember.EveningSlots(_therapists.Select(t => t.Member), setup.Days));
    }

    private static Instant At(int day) => ClinicSetup.FirstDay.PlusDays(day).At(new LocalTime(8, 0)).InZoneLeniently(London).ToInstant();

    /// <summary>A therapist of <paramref name="kind"/> (<see cref="StaffMember"/>) joins on <paramref name="day"/>.</summary>
    private async Task AddTherapistAsync(SimulatedScheduling app, int kind, int day)
    {
        var member = StaffMember.Make(_random, kind, day);
        var response = await app.PostAsync("/api/therapists/", new
        {
            name = $"Therapist {_therapists.Count + 1}", maxSessionsPerWeek = setup.Cap,
            workingHours = member.Hours.Select(h => new { day = h.Day.ToString(), from = h.From.ToString("HH:mm", null), to = h.To.ToString("HH:mm", null) }),
        });
        _therapists.Add(((await Created(response))["id"]!.GetValue<string>(), member));
    }

    private static async Task<JsonObject> Created(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Leave booked: the sessions already in it are cancelled by the clinic (a coordinator would call the patients).</summary>
    private static async Task BookLeaveAsync(SimulatedScheduling app, string therapistId, LocalDate from, LocalDate to)
    {
        var leave = await Created(await app.PostAsync($"/api/therapists/{therapistId}/leave",
            new { from = from.ToString("yyyy-MM-dd", null), to = to.ToString("yyyy-MM-dd", null), reason = "Annual leave" }));
        foreach (var session in leave["bookedSessionsInLeave"]!.AsArray())
            await app.PostAsync($"/api/appointments/{session!.GetValue<string>()}/cancel", new { by = "clinic" });
    }

    /// <summary>A therapist leaves: no new work from today (leave to the end of the year) and every course goes to others.</summary>
    private static async Task LeaveClinicAsync(SimulatedScheduling app, (string Id, StaffMember Member) therapist, int day, LocalDate today)
    {
        therapist.Member.LeaveClinic(day);
        var therapistId = therapist.Id;
        await Created(await app.PostAsync($"/api/therapists/{therapistId}/leave",
            new { from = today.ToString("yyyy-MM-dd", null), to = today.PlusDays(365).ToString("yyyy-MM-dd", null), reason = "Left the clinic" }));
        var courses = await app.QueryAsync<(string CourseId, long FirstFuture)>(
            """
            select course_id, min(session_number) from appointments
            where therapist_id = @therapistId and status = 'booked' and start_utc > @now group by course_id
            """, new { therapistId, now = At(day).ToUnixTimeMilliseconds() });
        foreach (var (courseId, first) in courses)
        {
            var response = await app.PostAsync($"/api/courses/{courseId}/reassign", new { fromSession = first });
            if (response.StatusCode != HttpStatusCode.OK)
                await app.PostAsync($"/api/courses/{courseId}/cancel", new { reason = "Therapist left; no other therapist free" });
        }
    }

    /// <summary>Every session that started since the last day gets its attendance: 85 % attended, 10 % DNA, 5 % late cancel.</summary>
    private async Task RecordAttendanceAsync(SimulatedScheduling app, Instant now)
    {
        var due = await app.QueryAsync<string>("select id from appointments where status = 'booked' and attendance is null and start_utc < @now order by start_utc, id",
            new { now = now.ToUnixTimeMilliseconds() });
        foreach (var id in due)
        {
            var roll = _random.NextDouble();
            await app.PostAsync($"/api/appointments/{id}/attendance", new { outcome = roll < 0.10 ? "dna" : roll < 0.15 ? "late-cancel" : "attended" });
        }
    }

    /// <summary>Courses with two DNAs are reviewed once; half are cancelled.</summary>
    private async Task ReviewFlaggedCoursesAsync(SimulatedScheduling app)
    {
        var flagged = (await app.Coordinator.GetFromJsonAsync<JsonArray>("/api/courses/flagged"))!;
        foreach (var course in flagged)
        {
            var id = course!["id"]!.GetValue<string>();
            if (!_reviewed.Add(id) || course["status"]!.GetValue<string>() != "booked") continue;
            if (_random.NextDouble() < 0.5) await app.PostAsync($"/api/courses/{id}/cancel", new { reason = "Two DNAs: discharged after review" });
        }
    }

    private async Task<List<ReferralOutcome>> OutcomesAsync(SimulatedScheduling app)
    {
        var firsts = (await app.QueryAsync<(string ReferralId, string LocalStart)>(
                "select c.referral_id, a.local_start from courses c join appointments a on a.course_id = c.id where a.session_number = 1"))
            .ToDictionary(r => Guid.Parse(r.ReferralId), r => LocalDate.FromDateTime(DateTime.Parse(r.LocalStart[..10])));
        return _referrals.Select(r => new ReferralOutcome(r.Day, r.Pattern, firsts.TryGetValue(r.Id, out var first) ? first : null,
            r.WithdrawOnDay is not null && !firsts.ContainsKey(r.Id), ClinicSetup.FirstDay.PlusDays(r.Day))).ToList();
    }
}
