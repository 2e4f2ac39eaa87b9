namespace Dit.Notifications.Invites;

/// <summary>A coordinator moved a session and all later ones to a new weekly slot.</summary>
public sealed class SendCourseMoved(SeriesUpdates updates) : IConsumer<CourseRescheduled>
{
    public Task Consume(ConsumeContext<CourseRescheduled> context)
    {
        var moved = context.Message;
        return updates.ApplyAsync(context, nameof(SendCourseMoved), moved.CourseId,
            series => SeriesChanges.Apply(series, moved),
            "Your therapy sessions have moved",
            _ => $"From session {moved.Moves.Min(m => m.SessionNumber)}, your sessions are now on {moved.Weekday}s at {moved.LocalTime:HH:mm}.");
    }
}
