namespace Dit.Notifications.Invites;

/// <summary>
/// What each scheduling change does to a series, as pure functions: used by the consumers as messages arrive, and for
/// changes parked before their course's booking arrived. Each session change applies only if newer than the last applied
/// to that session, so the order of arrival does not matter.
/// </summary>
public static class SeriesChanges
{
    public static CalendarSeries Apply(CalendarSeries series, AppointmentRescheduled moved) =>
        Move(series, moved.SessionNumber, moved.Sequence, moved.NewLocalStart, moved.NewStartUtc);

    public static CalendarSeries Apply(CalendarSeries series, CourseRescheduled moved) =>
        moved.Moves.Aggregate(series, (s, move) => Move(s, move.SessionNumber, moved.Sequence, move.NewLocalStart, move.NewStartUtc));

    public static CalendarSeries Apply(CalendarSeries series, CourseReassigned reassigned) =>
        reassigned.Sessions.Aggregate(series, (s, move) => Move(s, move.SessionNumber, reassigned.Sequence, move.NewLocalStart, move.NewStartUtc));

    /// <summary>The added sessions join the series (once: a repeat or an older message adds nothing).</summary>
    public static CalendarSeries Apply(CalendarSeries series, CourseExtended extended)
    {
        var added = extended.Added.Where(a => series.Sessions.All(s => s.Number != a.SessionNumber))
            .Select(a => new SeriesSession(a.SessionNumber, LocalDateTime.FromDateTime(a.LocalStart), Instant.FromDateTimeOffset(a.StartUtc), extended.Sequence, false))
            .ToList();
        return added.Count == 0 ? series : series with
        {
            Sessions = series.Sessions.Concat(added).OrderBy(s => s.Number).ToList(),
            Sequence = Math.Max(series.Sequence, extended.Sequence),
        };
    }

    public static CalendarSeries Apply(CalendarSeries series, AppointmentCancelled cancelled) =>
        series.Apply(cancelled.SessionNumber, cancelled.Sequence, s => s with { Cancelled = true });

    /// <summary>The course's sessions still to come cancelled (every one not cancelled, from an older publisher), the series cancelled.</summary>
    public static CalendarSeries Apply(CalendarSeries series, CourseCancelled cancelled)
    {
        if (series.Status == "cancelled" || series.Sequence >= cancelled.Sequence) return series;
        var numbers = cancelled.CancelledSessions ?? series.Sessions.Select(s => s.Number).ToList();
        return numbers.Aggregate(series, (s, number) => s.Apply(number, cancelled.Sequence, session => session with { Cancelled = true }))
            with { Sequence = cancelled.Sequence, Status = "cancelled" };
    }

    /// <summary>A parked message (<see cref="ParkedMessages"/>) applied by its type's name.</summary>
    public static CalendarSeries Apply(CalendarSeries series, string type, string body) => type switch
    {
        nameof(AppointmentRescheduled) => Apply(series, Read<AppointmentRescheduled>(body)),
        nameof(CourseRescheduled) => Apply(series, Read<CourseRescheduled>(body)),
        nameof(CourseReassigned) => Apply(series, Read<CourseReassigned>(body)),
        nameof(AppointmentCancelled) => Apply(series, Read<AppointmentCancelled>(body)),
        nameof(CourseCancelled) => Apply(series, Read<CourseCancelled>(body)),
        nameof(CourseExtended) => Apply(series, Read<CourseExtended>(body)),
        _ => throw new InvalidOperationException($"No change of a series is known for a parked {type}."),
    };

    private static CalendarSeries Move(CalendarSeries series, int number, int sequence, DateTime localStart, DateTimeOffset startUtc) =>
        series.Apply(number, sequence, session => session with
        {
            LocalStart = LocalDateTime.FromDateTime(localStart), Start = Instant.FromDateTimeOffset(startUtc),
        });

    private static T Read<T>(string body) => System.Text.Json.JsonSerializer.Deserialize<T>(body, Dit.Platform.Messaging.MessageJson.Options)!;
}
