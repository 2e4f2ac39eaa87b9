using NodaTime;

namespace Dit.Contracts;

/// <summary>
/// The facts of a DIT course and of the service's day (design §4), written here and nowhere else: the service keeps UK
/// time, sessions start between 07:00 and 23:00, a course is <see cref="Sessions"/> weekly sessions of
/// <see cref="SessionMinutes"/> minutes (16 of 50), extendable to <see cref="MaxSessions"/>, in three phases. Scheduling
/// books with a shape and says which in <see cref="CourseBooked.Shape"/>, so that the invite, the updates, the
/// cancellation and the feed show each course as it was booked.
/// </summary>
public sealed record CourseShape(int Sessions, int SessionMinutes, CoursePhases Phases)
{
    public const string ServiceZoneId = "Europe/London";

    /// <summary>A course's most sessions once extended.</summary>
    public const int MaxSessions = 20;

    public static DateTimeZone ServiceZone { get; } = DateTimeZoneProviders.Tzdb[ServiceZoneId];

    /// <summary>The service's day, UK time: no session starts before <see cref="DayOpens"/> or ends after <see cref="DayCloses"/>.</summary>
    public static LocalTime DayOpens { get; } = new(7, 0);

    public static LocalTime DayCloses { get; } = new(23, 0);

    /// <summary>A course's sessions unless extended.</summary>
    public const int StandardSessions = 16;

    public static CourseShape Standard { get; } = new(StandardSessions, 50, CoursePhases.Standard);

    /// <summary>Today's date in the service's zone.</summary>
    public static LocalDate Today(IClock clock) => clock.GetCurrentInstant().InZone(ServiceZone).Date;

    /// <summary>The course's sessions once <paramref name="numbers"/> are in it: its booked length, or more once extended.</summary>
    public int LengthWith(IEnumerable<int> numbers) => Math.Max(Sessions, numbers.DefaultIfEmpty(0).Max());
}
