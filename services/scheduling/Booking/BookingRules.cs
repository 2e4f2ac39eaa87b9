using NodaTime;

namespace Dit.Scheduling.Booking;

/// <summary>
/// The fixed shape of a DIT course and the service's day (design §4), with what is configurable under
/// <c>Scheduling:Booking</c>: the hourly grid, the lead time before a first session, how many start weeks
/// the search tries, and how many closed weeks a course may skip.
/// </summary>
public sealed record BookingRules(
    DateTimeZone ServiceZone,
    LocalTime FirstStart,
    LocalTime LastStart,
    LocalTime DayOpens,
    LocalTime DayCloses,
    int SessionMinutes,
    int SessionsPerCourse,
    int LeadDays = 2,
    int HorizonWeeks = 18,
    int MaxSkippedWeeks = 2)
{
    public Duration SessionLength => Duration.FromMinutes(SessionMinutes);

    public Period SessionPeriod => Period.FromMinutes(SessionMinutes);

    /// <summary>The weeks a course may span: its sessions plus the weeks it may skip.</summary>
    public int MaxCourseWeeks => SessionsPerCourse + MaxSkippedWeeks;

    /// <summary>How far after a search's first moment its diaries must reach for <paramref name="startWeeks"/> start weeks: the last course's weeks, and one for the cap.</summary>
    public Duration DiaryReach(int startWeeks) => Duration.FromDays(7 * (startWeeks + MaxCourseWeeks + 1));

    public static BookingRules Default { get; } = new(
        DateTimeZoneProviders.Tzdb["Europe/London"],
        new LocalTime(7, 0), new LocalTime(22, 0),
        new LocalTime(7, 0), new LocalTime(23, 0),
        50, 16);

    /// <summary>Reads <c>Scheduling:Booking</c>; a malformed value stops the service at start-up with the setting's name.</summary>
    public static BookingRules From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Scheduling:Booking");
        var rules = Default with
        {
            FirstStart = Time(section, "FirstStart") ?? Default.FirstStart,
            LastStart = Time(section, "LastStart") ?? Default.LastStart,
            LeadDays = Number(section, "LeadDays", 0, 365) ?? Default.LeadDays,
            HorizonWeeks = Number(section, "HorizonWeeks", 1, 104) ?? Default.HorizonWeeks,
            MaxSkippedWeeks = Number(section, "MaxSkippedWeeks", 0, 8) ?? Default.MaxSkippedWeeks,
        };
        if (rules.FirstStart > rules.LastStart || rules.FirstStart < rules.DayOpens || rules.LastStart.Plus(rules.SessionPeriod) > rules.DayCloses)
            throw new InvalidOperationException("Scheduling:Booking:FirstStart/LastStart must be whole hours inside 07:00–22:00.");
        return rules;
    }

    private static LocalTime? Time(IConfigurationSection section, string key)
    {
        if (section[key] is not { } text) return null;
        var parsed = NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text);
        return parsed.Success && parsed.Value.Minute == 0
            ? parsed.Value
            : throw new InvalidOperationException($"Scheduling:Booking:{key} must be a whole hour, HH:00 (was '{text}').");
    }

    private static int? Number(IConfigurationSection section, string key, int min, int max)
    {
        if (section[key] is not { } text) return null;
        return int.TryParse(text, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"Scheduling:Booking:{key} must be a whole number from {min} to {max} (was '{text}').");
    }
}
