using NodaTime;

namespace Dit.Scheduling.Booking;

/// <summary>The fixed shape of a DIT course and the service's day (design §4); the grid is configurable.</summary>
public sealed record BookingRules(
    DateTimeZone ServiceZone,
    LocalTime FirstStart,
    LocalTime LastStart,
    LocalTime DayOpens,
    LocalTime DayCloses,
    int SessionMinutes,
    int SessionsPerCourse)
{
    public Duration SessionLength => Duration.FromMinutes(SessionMinutes);

    public Period SessionPeriod => Period.FromMinutes(SessionMinutes);

    public static BookingRules Default { get; } = new(
        DateTimeZoneProviders.Tzdb["Europe/London"],
        new LocalTime(7, 0), new LocalTime(22, 0),
        new LocalTime(7, 0), new LocalTime(23, 0),
        50, 16);

    public static BookingRules From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Scheduling:Booking");
        return Default with
        {
            FirstStart = section["FirstStart"] is { } first ? LocalTime.FromHourMinuteSecondTick(int.Parse(first[..2]), int.Parse(first[3..]), 0, 0) : Default.FirstStart,
            LastStart = section["LastStart"] is { } last ? LocalTime.FromHourMinuteSecondTick(int.Parse(last[..2]), int.Parse(last[3..]), 0, 0) : Default.LastStart,
        };
    }
}
