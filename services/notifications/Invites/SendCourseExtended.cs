namespace Dit.Notifications.Invites;

/// <summary>The course was extended: one update with the added sessions.</summary>
public sealed class SendCourseExtended(SeriesUpdates updates) : IConsumer<CourseExtended>
{
    public Task Consume(ConsumeContext<CourseExtended> context)
    {
        var extended = context.Message;
        return updates.ApplyAsync(context, nameof(SendCourseExtended), extended.CourseId,
            series => SeriesChanges.Apply(series, extended),
            $"Your therapy is extended to {extended.Sessions} sessions",
            _ => $"Your course is extended to {extended.Sessions} sessions. " +
                 string.Join(" ", extended.Added.Select(a => $"Session {a.SessionNumber} is on {Formats.Describe(a.LocalStart)}.")));
    }
}
