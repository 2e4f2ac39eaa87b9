namespace Dit.Notifications.Invites;

/// <summary>One session was cancelled: it leaves the series as an EXDATE.</summary>
public sealed class SendSessionCancelled(SeriesUpdates updates) : IConsumer<AppointmentCancelled>
{
    public Task Consume(ConsumeContext<AppointmentCancelled> context)
    {
        var cancelled = context.Message;
        return updates.ApplyAsync(context, nameof(SendSessionCancelled), cancelled.CourseId,
            series => SeriesChanges.Apply(series, cancelled),
            $"Session {cancelled.SessionNumber} of your therapy is cancelled",
            _ => $"Session {cancelled.SessionNumber} on {Formats.Describe(cancelled.LocalStart)} is cancelled.");
    }
}
