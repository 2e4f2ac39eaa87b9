using System.Text.Json;
using Dit.Contracts;
using Dit.Platform.Messaging;
using Dit.Scheduling.Booking;
using Microsoft.Extensions.Configuration;
using NodaTime;
using NodaTime.Extensions;
using NodaTime.Text;

namespace Dit.ClinicSimulation;

/// <summary>
/// What must hold on every simulated day, read from the scheduling database and checked independently of the booking
/// code: no course booked into the past, no therapist double-booked or over their weekly cap, every course 16 sessions
/// in order and at most one a week, and every waitlisted referral truly without a course within the horizon — a
/// brute-force search over every therapist and every start, looking for 16 weekly sessions at one time that all fit.
/// </summary>
public sealed class Invariants(SimulatedScheduling app, ClinicSetup setup)
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");
    private static readonly Duration Session = Duration.FromMinutes(50);
    // The rules the service runs by in this simulation, read from the same settings it is given.
    private readonly BookingRules _rules = BookingRules.From(new ConfigurationBuilder()
        .AddInMemoryCollection(setup.Settings()).Build());

    public async Task<List<string>> CheckAsync(int day, Instant now)
    {
        var problems = new List<string>();
        var past = await app.ScalarAsync<long>(
            "select count(*) from appointments a join courses c on c.id = a.course_id where c.created_at = @now and a.start_utc < @now",
            new { now = now.ToUnixTimeMilliseconds() });
        if (past > 0) problems.Add($"{past} sessions booked today start in the past");

        var rows = await app.QueryAsync<(string CourseId, string TherapistId, long Number, string LocalStart, long StartUtc, string Status)>(
            "select course_id, therapist_id, session_number, local_start, start_utc, status from appointments");
        var booked = rows.Where(r => r.Status == "booked").GroupBy(r => r.TherapistId)
            .ToDictionary(g => g.Key, g => g.Select(r => Instant.FromUnixTimeMilliseconds(r.StartUtc)).Order().ToList());
        foreach (var (therapist, starts) in booked)
        {
            for (var i = 1; i < starts.Count; i++)
                if (starts[i] < starts[i - 1] + Session) problems.Add($"therapist {therapist[..8]} double-booked at {starts[i]}");
            foreach (var week in starts.GroupBy(s => s.InZone(London).Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday))))
                if (week.Count() > setup.Cap) problems.Add($"therapist {therapist[..8]} has {week.Count()} sessions in the week of {week.Key}");
        }
        foreach (var course in rows.GroupBy(r => r.CourseId))
        {
            var sessions = course.OrderBy(r => r.Number).ToList();
            if (!sessions.Select(s => (int)s.Number).SequenceEqual(Enumerable.Range(1, 16))) problems.Add($"course {course.Key[..8]} has sessions {string.Join(",", sessions.Select(s => s.Number))}");
            for (var i = 1; i < sessions.Count; i++)
            {
                if (sessions[i].StartUtc <= sessions[i - 1].StartUtc) problems.Add($"course {course.Key[..8]}: session {sessions[i].Number} is not after session {sessions[i - 1].Number}");
                if (Week(sessions[i].LocalStart) == Week(sessions[i - 1].LocalStart)) problems.Add($"course {course.Key[..8]}: sessions {sessions[i - 1].Number} and {sessions[i].Number} in one week");
            }
        }
        problems.AddRange(await WaitlistedWithACourseAsync(now, booked));
        return problems;
    }

    private static LocalDate Week(string localStart) => LocalPattern.Parse(localStart).Value.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));

    /// <summary>Waitlisted referrals for which 16 weekly sessions at one time with one therapist all fit inside the horizon.</summary>
    private async Task<List<string>> WaitlistedWithACourseAsync(Instant now, Dictionary<string, List<Instant>> booked)
    {
        var waiting = await app.QueryAsync<string>("select request_json from waitlist");
        if (waiting.Count == 0) return [];
        var hours = (await app.QueryAsync<(string TherapistId, long Weekday, long From, long To)>("select therapist_id, weekday, from_minute, to_minute from working_hours"))
            .ToLookup(h => h.TherapistId);
        var leave = (await app.QueryAsync<(string TherapistId, string From, string To)>("select therapist_id, from_date, to_date from leave"))
            .ToLookup(l => l.TherapistId);
        var therapists = await app.QueryAsync<string>("select id from therapists");
        // Which UK (weekday, hour) each therapist can start a session at, and their leave days, looked up once.
        var startsAt = therapists.ToDictionary(t => t, t => hours[t]
            .SelectMany(h => Enumerable.Range(0, 24).Where(hour => h.From <= hour * 60 && hour * 60 + 50 <= h.To).Select(hour => ((int)h.Weekday, hour)))
            .ToHashSet());
        var leaveDays = therapists.ToDictionary(t => t, t => leave[t]
            .SelectMany(l => Days(LocalDatePattern.Iso.Parse(l.From).Value, LocalDatePattern.Iso.Parse(l.To).Value)).ToHashSet());
        var closed = await ClosedDaysAsync();
        var problems = new List<string>();
        foreach (var json in waiting)
        {
            var referral = JsonSerializer.Deserialize<ReferralForBooking>(json, MessageJson.Options)!;
            var zone = DateTimeZoneProviders.Tzdb[referral.TimeZone];
            var notBefore = Instant.Max(LocalDate.FromDateOnly(referral.EarliestStart).AtStartOfDayInZone(zone).ToInstant(), now + Duration.FromDays(_rules.LeadDays));
            var firstDay = notBefore.InZone(zone).Date;
            // Every UK hour start on the grid whose local date is inside the horizon's start dates.
            for (var start = notBefore.InZone(London).Date.AtStartOfDayInZone(London).ToInstant(); ; start += Duration.FromHours(1))
            {
                var local = start.InZone(zone).LocalDateTime;
                if (local.Date >= firstDay.PlusWeeks(setup.CheckHorizonWeeks ?? _rules.HorizonWeeks)) break;
                if (start < notBefore || !Inside(referral.Availability, local)) continue;
                var ukStart = start.InZone(London);
                foreach (var therapist in therapists)
                {
                    if (!startsAt[therapist].Contains(((int)ukStart.DayOfWeek, ukStart.Hour))) continue;
                    if (AllSixteenFit(local, zone, startsAt[therapist], leaveDays[therapist], booked.GetValueOrDefault(therapist) ?? [], closed))
                    {
                        problems.Add($"waitlisted referral {referral.ReferralId.ToString()[..8]} fits {local:uuuu-MM-dd HH:mm} ({zone.Id}) weekly with therapist {therapist[..8]}");
                        goto nextReferral;
                    }
                }
            }
            nextReferral:;
        }
        return problems;
    }

    private static IEnumerable<LocalDate> Days(LocalDate from, LocalDate to)
    {
        for (var day = from; day <= to; day = day.PlusDays(1)) yield return day;
    }

    private bool AllSixteenFit(LocalDateTime first, DateTimeZone zone, HashSet<(int, int)> startsAt, HashSet<LocalDate> leave, List<Instant> booked,
        ClosedDays closed)
    {
        for (var week = 0; week < 16; week++)
        {
            var local = first.PlusWeeks(week);
            var start = local.InZoneLeniently(zone).ToInstant();
            var uk = start.InZone(London).LocalDateTime;
            var end = uk.PlusMinutes(50);
            if (uk.Minute != 0 || uk.Hour < 7 || uk.Hour > 22 || end.Date != uk.Date) return false;
            if (!startsAt.Contains(((int)uk.DayOfWeek, uk.Hour))) return false;
            if (closed.Contains(uk.Date) || leave.Contains(uk.Date)) return false;
            // booked is sorted: the sessions just before and after this start are the only ones that can overlap it.
            var at = booked.BinarySearch(start);
            if (at >= 0) return false;
            at = ~at;
            if ((at < booked.Count && booked[at] < start + Session) || (at > 0 && start < booked[at - 1] + Session)) return false;
            var monday = uk.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)).AtStartOfDayInZone(London).ToInstant();
            if (Index(booked, monday + Duration.FromDays(7)) - Index(booked, monday) >= setup.Cap) return false;
        }
        return true;
    }

    private static int Index(List<Instant> sorted, Instant value)
    {
        var at = sorted.BinarySearch(value);
        if (at < 0) return ~at;
        while (at > 0 && sorted[at - 1] == value) at--;
        return at;
    }

    private static bool Inside(IReadOnlyList<AvailabilityWindow> windows, LocalDateTime local)
    {
        var end = local.PlusMinutes(50);
        return end.Date == local.Date && windows.Any(w => w.Day.ToIsoDayOfWeek() == local.DayOfWeek
            && local.TimeOfDay >= w.From.ToLocalTime() && end.TimeOfDay <= w.To.ToLocalTime());
    }

    private async Task<ClosedDays> ClosedDaysAsync()
    {
        await using var connection = await app.Database.OpenAsync();
        return await ClosedDays.LoadAsync(connection, null);
    }
}
