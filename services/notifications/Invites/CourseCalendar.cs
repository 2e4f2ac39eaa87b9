namespace Dit.Notifications.Invites;

/// <summary>
/// Everything a course's calendar object says. <see cref="Anchor"/>: the series' first session, cancelled or not, which
/// places the weekly series when no session is left (every one then an EXDATE: a valid calendar with no instances).
/// </summary>
public sealed record CourseCalendar(
    string Uid,
    int Sequence,
    DateTimeZone Zone,
    int SessionsInCourse,
    int SessionMinutes,
    CoursePhases Phases,
    IReadOnlyList<CalendarSession> Sessions,
    string PatientName,
    string? PatientEmail,
    ClinicDetails Clinic,
    CalendarSession? Anchor = null)
{
    /// <summary>The course's video room, or null (no video platform, or the course is cancelled).</summary>
    public string? JoinUrl { get; init; }
}
