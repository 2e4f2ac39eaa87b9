using System.Text.Json;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using NodaTime.Text;

namespace Dit.Scheduling.Waitlist;

/// <summary>
/// A booked course whose first session is more than <see cref="NearestWindows.WithinWeeks"/> weeks after the later of
/// now and the patient's earliest start: the patient waits as surely as one on the waitlist, only with a date. What the
/// search needs to find it a sooner start: the patient's windows, zone and earliest start, and the course's sessions.
/// Courses booked before their earliest start was kept (migration 0016) have none and are never late. <see cref="CouldStart"/>:
/// the later of now and the earliest start.
/// </summary>
public sealed record LateCourse(string CourseId, string ReferralId, string TherapistId, string TherapistName, string PatientInitials,
    IReadOnlyList<AvailabilityWindow> Windows, DateTimeZone Zone, LocalDate EarliestStart, Instant CouldStart, Instant FirstStart, string FirstLocalStart,
    IReadOnlyList<SessionRow> Sessions)
{
    // Settable, not positional: SQLite names no type for an aggregate over no rows, and Dapper then finds no constructor.
    private sealed class Row
    {
        public string CourseId { get; set; } = "";
        public string ReferralId { get; set; } = "";
        public string TherapistId { get; set; } = "";
        public string TherapistName { get; set; } = "";
        public string? PatientInitials { get; set; }
        public string? AvailabilityJson { get; set; }
        public string TimeZone { get; set; } = "";
        public string EarliestStart { get; set; } = "";
        public long FirstStart { get; set; }
        public string FirstLocalStart { get; set; } = "";
    }

    private const string Select = """
        select c.id as CourseId, c.referral_id as ReferralId, c.therapist_id as TherapistId, t.name as TherapistName,
               c.patient_initials as PatientInitials, c.availability_json as AvailabilityJson, c.time_zone as TimeZone,
               c.earliest_start as EarliestStart, min(a.start_utc) as FirstStart,
               (select f.local_start from appointments f where f.course_id = c.id and f.status = 'booked' order by f.start_utc limit 1) as FirstLocalStart
        from courses c
        join appointments a on a.course_id = c.id and a.status = 'booked'
        join therapists t on t.id = c.therapist_id
        where c.status = 'booked' and c.earliest_start is not null
        """;

    /// <summary>The booked sessions, first to last (loaded for one referral's course, not for the list).</summary>
    public IReadOnlyList<SessionRow> Booked => Sessions.Where(s => s.Status == "booked").ToList();

    /// <summary>When the patient could start: the later of now and the start of their earliest start's day.</summary>
    public static Instant CouldStartAt(Instant now, LocalDate earliestStart, DateTimeZone zone) =>
        Instant.Max(now, earliestStart.AtStartOfDayInZone(zone).ToInstant());

    /// <summary>Whether a course starting at <paramref name="firstStart"/> is late for a patient who could start at <paramref name="couldStart"/>.</summary>
    public static bool IsLate(Instant firstStart, Instant couldStart) => firstStart > couldStart + Duration.FromDays(7 * NearestWindows.WithinWeeks);

    /// <summary>What the search asks for this patient: their windows and zone, from now plus the lead time, never before their earliest start.</summary>
    public SearchRequest RequestFor(ClosedDays closed, Instant now, BookingRules rules) =>
        SearchRequest.For(Windows, EarliestStart, Zone, closed, now, rules);

    /// <summary>The therapists' diaries as if this course were not booked, so that its own therapist may take the sooner time.</summary>
    public IReadOnlyList<TherapistDiary> Without(IReadOnlyList<TherapistDiary> diaries) =>
        Without(diaries, Guid.Parse(TherapistId), Booked.Select(s => s.Start).ToHashSet());

    /// <summary>The diaries with a course's own starts taken out of its therapist's.</summary>
    public static IReadOnlyList<TherapistDiary> Without(IReadOnlyList<TherapistDiary> diaries, Guid therapistId, IReadOnlySet<Instant> courseStarts) =>
        diaries.Select(d => d.Id == therapistId ? d with { BookedStarts = d.BookedStarts.Where(s => !courseStarts.Contains(s)).ToList() } : d).ToList();

    /// <summary>Every late course, soonest first session first (without their sessions).</summary>
    public static Task<List<LateCourse>> ListAsync(DbConnection connection, Instant now) => LoadAsync(connection, null, now, null);

    /// <summary>The referral's course if it is late; null otherwise (not booked, started soon enough, or without an earliest start).</summary>
    public static async Task<LateCourse?> ForReferralAsync(DbConnection connection, DbTransaction? transaction, string referralId, Instant now) =>
        (await LoadAsync(connection, transaction, now, referralId)).SingleOrDefault();

    private static async Task<List<LateCourse>> LoadAsync(DbConnection connection, DbTransaction? transaction, Instant now, string? referralId)
    {
        var rows = await connection.QueryAsync<Row>(
            $"{Select} {(referralId is null ? "" : "and c.referral_id = @referralId")} group by c.id, c.referral_id, c.therapist_id, t.name, c.patient_initials, c.availability_json, c.time_zone, c.earliest_start order by min(a.start_utc)",
            new { referralId }, transaction);
        var late = new List<LateCourse>();
        foreach (var row in rows)
        {
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(row.TimeZone) ?? DateTimeZone.Utc;
            var earliest = LocalDatePattern.Iso.Parse(row.EarliestStart).Value;
            var from = CouldStartAt(now, earliest, zone);
            if (!IsLate(Instant.FromUnixTimeMilliseconds(row.FirstStart), from)) continue;
            var windows = row.AvailabilityJson is null ? [] : JsonSerializer.Deserialize<List<AvailabilityWindow>>(row.AvailabilityJson, MessageJson.Options)!;
            late.Add(new LateCourse(row.CourseId, row.ReferralId, row.TherapistId, row.TherapistName, row.PatientInitials ?? "", windows, zone, earliest, from,
                Instant.FromUnixTimeMilliseconds(row.FirstStart), row.FirstLocalStart,
                referralId is null ? [] : await SessionRow.ForCourseAsync(connection, transaction, row.CourseId)));
        }
        return late;
    }
}
