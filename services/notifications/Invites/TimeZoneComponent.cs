using NodaTime.TimeZones;

namespace Dit.Notifications.Invites;

/// <summary>
/// A VTIMEZONE for a zone, generated from NodaTime's tzdb: one STANDARD or DAYLIGHT observance for
/// each offset change between <c>from</c> and <c>to</c>, plus the one in force at <c>from</c>.
/// Explicit observances (no RRULE) say exactly what tzdb says for those years.
/// </summary>
public static class TimeZoneComponent
{
    public static void Write(CalendarText calendar, DateTimeZone zone, Instant from, Instant to)
    {
        calendar.Line("BEGIN", "VTIMEZONE").Line("TZID", zone.Id);
        ZoneInterval? previous = null;
        foreach (var interval in zone.GetZoneIntervals(from, to))
        {
            var observance = interval.Savings != Offset.Zero ? "DAYLIGHT" : "STANDARD";
            var offsetFrom = previous?.WallOffset ?? OffsetBefore(zone, interval);
            // DTSTART is the local time of the change as read on the clock before it (RFC 5545 §3.6.5).
            var onset = interval.HasStart
                ? interval.Start.WithOffset(offsetFrom).LocalDateTime
                : new LocalDateTime(1970, 1, 1, 0, 0);
            calendar.Line("BEGIN", observance)
                .Line("DTSTART", Format(onset))
                .Line("TZOFFSETFROM", FormatOffset(offsetFrom))
                .Line("TZOFFSETTO", FormatOffset(interval.WallOffset))
                .TextLine("TZNAME", interval.Name)
                .Line("END", observance);
            previous = interval;
        }
        calendar.Line("END", "VTIMEZONE");
    }

    private static Offset OffsetBefore(DateTimeZone zone, ZoneInterval interval) =>
        interval.HasStart ? zone.GetUtcOffset(interval.Start - Duration.Epsilon) : interval.WallOffset;

    public static string Format(LocalDateTime local) => local.ToString("yyyyMMdd'T'HHmmss", null);

    private static string FormatOffset(Offset offset)
    {
        var seconds = offset.Seconds;
        var sign = seconds < 0 ? "-" : "+";
        seconds = Math.Abs(seconds);
        var text = $"{sign}{seconds / 3600:00}{seconds / 60 % 60:00}";
        return seconds % 60 == 0 ? text : text + $"{seconds % 60:00}";
    }
}
