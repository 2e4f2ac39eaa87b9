namespace Dit.Notifications.Invites;

/// <summary>A coordinator moved one session.</summary>
public sealed class SendSessionMoved(SeriesUpdates updates) : IConsumer<AppointmentRescheduled>
{
    public Task Consume(ConsumeContext<AppointmentRescheduled> context)
    {
        var moved = context.Message;
        return updates.ApplyAsync(context, nameof(SendSessionMoved), moved.CourseId,
            series => SeriesChanges.Apply(series, moved),
            $"Session {moved.SessionNumber} of your therapy has moved",
            _ => $"Session {moved.SessionNumber} has moved from {Formats.Describe(moved.OldLocalStart)} to {Formats.Describe(moved.NewLocalStart)}.");
    }
}
