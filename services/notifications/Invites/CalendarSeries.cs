using System.Text.Json;
using Dit.Notifications.Contacts;
using NodaTime.Text;

namespace Dit.Notifications.Invites;

/// <summary>
/// A course's calendar series as the patient's calendar holds it: stable UID, SEQUENCE, and the
/// sessions. Every update re-sends the whole series from here. Changes to one session are applied
/// only if newer than the last applied to it, so events arriving out of order settle on the
/// scheduling service's state.
/// </summary>
public sealed record CalendarSeries(string CourseId, string ReferralId, string Uid, int Sequence, string TimeZone, string Status,
    IReadOnlyList<SeriesSession> Sessions)
{
    /// <summary>The course's length, sessions' minutes and phases as booked.</summary>
    public CourseShape Shape { get; init; } = CourseShape.Standard;

    /// <summary>The course's video room (scheduling's <see cref="CourseBooked.JoinUrl"/>); null with no video platform set, or once the course is cancelled.</summary>
    public string? JoinUrl { get; init; }

    public IReadOnlyList<CalendarSession> ActiveSessions =>
        Sessions.Where(s => !s.Cancelled).Select(s => new CalendarSession(s.Number, s.LocalStart, s.Start)).ToList();

    /// <summary>
    /// The series with session <paramref name="number"/> changed, if <paramref name="sequence"/> is newer than its last
    /// change. A series left with no session is cancelled.
    /// </summary>
    public CalendarSeries Apply(int number, int sequence, Func<SeriesSession, SeriesSession> change)
    {
        var sessions = Sessions.Select(s => s.Number == number && sequence > s.Sequence ? change(s) with { Sequence = sequence } : s).ToList();
        return this with
        {
            Sequence = Math.Max(Sequence, sequence),
            Sessions = sessions,
            Status = sessions.Any(s => !s.Cancelled) ? Status : "cancelled",
        };
    }

    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.ExtendedIso;

    public static string UidFor(Guid courseId) => $"dit-course-{courseId}@dit-scheduling";

    /// <returns>False when the course's series exists already (the booking was handled before).</returns>
    public async Task<bool> InsertAsync(DbConnection connection, DbTransaction transaction, Instant now) =>
        await connection.ExecuteAsync(
            """
            insert into calendar_series (course_id, referral_id, uid, sequence, time_zone, status, sessions_json, updated_at,
                                         course_sessions, session_minutes, middle_from, ending_from, join_url)
            values (@CourseId, @ReferralId, @Uid, @Sequence, @TimeZone, @Status, @json, @now,
                    @courseSessions, @sessionMinutes, @middleFrom, @endingFrom, @JoinUrl)
            on conflict do nothing
            """,
            new
            {
                CourseId, ReferralId, Uid, Sequence, TimeZone, Status, JoinUrl, json = SessionsJson(), now = now.ToUnixTimeMilliseconds(),
                courseSessions = Shape.Sessions, sessionMinutes = Shape.SessionMinutes, middleFrom = Shape.Phases.MiddleFrom, endingFrom = Shape.Phases.EndingFrom,
            },
            transaction) == 1;

    /// <summary>Gives the series a private feed token (only its hash is stored) and returns the token.</summary>
    public async Task<string> IssueFeedTokenAsync(DbConnection connection, DbTransaction transaction)
    {
        var token = Dit.Platform.Http.ApiKeys.NewToken();
        await connection.ExecuteAsync("update calendar_series set feed_token_hash = @hash where course_id = @CourseId",
            new { CourseId, hash = Dit.Platform.Http.ApiKeys.Hash(token) }, transaction);
        return token;
    }

    public Task UpdateAsync(DbConnection connection, DbTransaction transaction, Instant now) =>
        connection.ExecuteAsync(
            """
            update calendar_series set sequence = @Sequence, status = @Status, sessions_json = @json, updated_at = @now
            where course_id = @CourseId
            """,
            new { CourseId, Sequence, Status, json = SessionsJson(), now = now.ToUnixTimeMilliseconds() }, transaction);

    public static async Task<CalendarSeries?> LoadAsync(DbConnection connection, DbTransaction? transaction, Guid courseId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string CourseId, string ReferralId, string Uid, long Sequence, string TimeZone, string Status, string Json,
            long CourseSessions, long SessionMinutes, long MiddleFrom, long EndingFrom, string? JoinUrl)>(
            """
            select course_id, referral_id, uid, sequence, time_zone, status, sessions_json, course_sessions, session_minutes, middle_from, ending_from, join_url
            from calendar_series where course_id = @id
            """,
            new { id = courseId.ToString() }, transaction);
        if (row.CourseId is null) return null;
        var sessions = JsonSerializer.Deserialize<List<StoredSession>>(row.Json, MessageJson.Options)!
            .Select(s => new SeriesSession(s.Number, LocalPattern.Parse(s.LocalStart).Value, Instant.FromUnixTimeMilliseconds(s.StartUtc), s.Sequence, s.Cancelled))
            .ToList();
        return new CalendarSeries(row.CourseId, row.ReferralId, row.Uid, (int)row.Sequence, row.TimeZone, row.Status, sessions)
        {
            Shape = new CourseShape((int)row.CourseSessions, (int)row.SessionMinutes, new CoursePhases((int)row.MiddleFrom, (int)row.EndingFrom)),
            JoinUrl = row.JoinUrl,
        };
    }

    /// <summary>The course's booked length, or more once it is extended (up to 20).</summary>
    public int SessionsInCourse => Shape.LengthWith(Sessions.Select(s => s.Number));

    public CourseCalendar ToCalendar(PatientContact patient, ClinicDetails clinic) =>
        new(Uid, Sequence, DateTimeZoneProviders.Tzdb[TimeZone], SessionsInCourse, Shape.SessionMinutes, Shape.Phases, ActiveSessions, patient.FullName, patient.Email, clinic,
            Sessions.MinBy(s => s.Number) is { } first ? new CalendarSession(first.Number, first.LocalStart, first.Start) : null)
        {
            JoinUrl = JoinUrl,
        };

    private string SessionsJson() => JsonSerializer.Serialize(
        Sessions.Select(s => new StoredSession(s.Number, LocalPattern.Format(s.LocalStart), s.Start.ToUnixTimeMilliseconds(), s.Sequence, s.Cancelled)),
        MessageJson.Options);

    private sealed record StoredSession(int Number, string LocalStart, long StartUtc, int Sequence, bool Cancelled);
}
