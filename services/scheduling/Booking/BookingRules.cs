namespace Dit.Scheduling.Booking;

/// <summary>
/// How scheduling books: the course's shape and the service's day (<see cref="CourseShape"/>, design §4), with what a
/// service may set (<see cref="BookingSettings"/>): the hourly grid, the lead time before a first session, how many
/// start weeks the search tries, how many closed weeks a course may skip, how many taken weeks may move within their week,
/// and whether scarce times go last.
/// </summary>
public sealed record BookingRules(
    CourseShape Course,
    LocalTime FirstStart,
    LocalTime LastStart,
    int LeadDays = 2,
    int HorizonWeeks = 18,
    int MaxSkippedWeeks = 2,
    bool ScarceTimesLast = false,
    int MaxMovedTakenWeeks = 2)
{
    public DateTimeZone ServiceZone => CourseShape.ServiceZone;

    public LocalTime DayOpens => CourseShape.DayOpens;

    public LocalTime DayCloses => CourseShape.DayCloses;

    public int SessionMinutes => Course.SessionMinutes;

    public int SessionsPerCourse => Course.Sessions;

    public Duration SessionLength => Duration.FromMinutes(SessionMinutes);

    public Period SessionPeriod => Period.FromMinutes(SessionMinutes);

    /// <summary>The weeks a course may span: its sessions plus the weeks it may skip.</summary>
    public int MaxCourseWeeks => SessionsPerCourse + MaxSkippedWeeks;

    /// <summary>How far after a search's first moment its diaries must reach for <paramref name="startWeeks"/> start weeks: the last course's weeks, and one for the cap.</summary>
    public Duration DiaryReach(int startWeeks) => Duration.FromDays(7 * (startWeeks + MaxCourseWeeks + 1));

    public static BookingRules Default { get; } = new(CourseShape.Standard, new LocalTime(7, 0), new LocalTime(22, 0));

    /// <summary>The rules as <paramref name="configuration"/> sets them (<see cref="BookingSettings"/>, the phases of <see cref="Progress.ProgressSettings"/>).</summary>
    public static BookingRules From(IConfiguration configuration) =>
        Dit.Platform.Settings.Read<BookingSettings>(configuration, BookingSettings.Section)
            .ToRules(Dit.Platform.Settings.Read<Progress.ProgressSettings>(configuration, Progress.ProgressSettings.Section).CoursePhases);
}
