using System.Text.Json;
using NodaTime.Text;

namespace Dit.Scheduling.Coordinators;

/// <summary>An appointment with what its course says about it: zone, patient's windows, sequence.</summary>
public sealed record SessionRow(string Id, string CourseId, string ReferralId, string TherapistId, long Number, string LocalStart,
    long StartUtc, string Status, string? Attendance, string TimeZone, string? AvailabilityJson, long Sequence, string CourseStatus)
{
    private const string Select = """
        select a.id as Id, a.course_id as CourseId, c.referral_id as ReferralId, a.therapist_id as TherapistId,
               a.session_number as Number, a.local_start as LocalStart, a.start_utc as StartUtc, a.status as Status,
               a.attendance as Attendance, c.time_zone as TimeZone, c.availability_json as AvailabilityJson,
               c.sequence as Sequence, c.status as CourseStatus
        from appointments a join courses c on c.id = a.course_id
        """;

    public static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    public static async Task<SessionRow?> LoadAsync(DbConnection connection, DbTransaction? transaction, string appointmentId) =>
        Guid.TryParse(appointmentId, out _)
            ? await connection.QuerySingleOrDefaultAsync<SessionRow>($"{Select} where a.id = @appointmentId", new { appointmentId }, transaction)
            : null;

    public static async Task<List<SessionRow>> ForCourseAsync(DbConnection connection, DbTransaction? transaction, string courseId) =>
        (await connection.QueryAsync<SessionRow>($"{Select} where a.course_id = @courseId order by a.session_number", new { courseId }, transaction)).ToList();

    /// <summary>
    /// A booked session (or one set 'moving' while its course moves as a whole) given to <paramref name="therapistId"/>
    /// at <paramref name="start"/>, booked; the unique index refuses a time already taken.
    /// </summary>
    public static Task GiveAsync(DbConnection connection, DbTransaction transaction, string id, string therapistId, Instant start, LocalDateTime local,
        Duration length, string fromStatus = "booked") =>
        connection.ExecuteAsync(
            """
            update appointments set therapist_id = @therapistId, start_utc = @start, end_utc = @end, local_start = @local, status = 'booked'
            where id = @id and status = @fromStatus
            """,
            new
            {
                id, therapistId, start = start.ToUnixTimeMilliseconds(), end = (start + length).ToUnixTimeMilliseconds(), local = LocalPattern.Format(local),
                fromStatus,
            }, transaction);

    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb[TimeZone];

    public Instant Start => Instant.FromUnixTimeMilliseconds(StartUtc);

    public LocalDateTime Local => LocalPattern.Parse(LocalStart).Value;

    public IReadOnlyList<AvailabilityWindow> Windows =>
        AvailabilityJson is null ? [] : JsonSerializer.Deserialize<List<AvailabilityWindow>>(AvailabilityJson, MessageJson.Options)!;
}
